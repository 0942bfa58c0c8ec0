package dev.kindling.spark.internal;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.ProjectingInternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.execution.arrow.ArrowWriter;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.ArrowUtils;
import org.apache.spark.storage.BlockResult;
import org.apache.spark.storage.RDDBlockId;
import org.apache.spark.scheduler.TaskLocation;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.util.KnownSizeEstimation;
import scala.Option;
import scala.reflect.ClassTag$;
import scala.jdk.javaapi.CollectionConverters;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Every use Kindling makes of a Spark API that is not public (Catalyst rows and expressions,
 * {@code queryExecution().toRdd}, {@code internalCreateDataFrame}, Spark's {@code ArrowWriter},
 * {@code UnsafeArrayData}'s memory layout, {@code Platform}, {@code VectorUDT}'s row layout,
 * {@code DefaultParams} persistence, {@code KnownSizeEstimation}, the block manager's cached RDD
 * blocks and the scheduler's preferred locations, class names Spark ML sends through Kryo). This is the one class to read when Spark is upgraded, and the one that has no equivalent
 * under Spark Connect; {@code SparkInternalsTest} pins the behaviour of each use, and the
 * spark-connector {@code ArchitectureTest} fails if any other class imports these packages.
 *
 * <p>The row value types {@code InternalRow} and {@code ArrayData}, which DataSource V2's public
 * interfaces hand to connectors, may be read elsewhere; what produces and consumes them in
 * non-public ways happens here.
 */
public final class SparkInternals {
    private SparkInternals() {}

    // ------------------------------------------------------------------ DataFrames as internal rows

    /** The DataFrame's rows in Spark's internal form, without converting them to {@link Row}s (one partition per partition of the plan). */
    public static JavaRDD<InternalRow> internalRows(Dataset<?> df) {
        return df.queryExecution().toRdd().toJavaRDD();
    }

    /** A DataFrame over internal rows that already match schema (classic, non-Connect sessions only). */
    public static Dataset<Row> dataFrame(SparkSession session, RDD<InternalRow> rows, StructType schema) {
        return ((org.apache.spark.sql.classic.SparkSession) session).internalCreateDataFrame(rows, schema, false);
    }

    /** A row of the given values (Spark's internal representation: UTF8String, ArrayData, nested InternalRow...). */
    public static InternalRow row(Object... values) {
        return new GenericInternalRow(values);
    }

    /** The row left followed by the columns of right, without copying either. */
    public static InternalRow joined(InternalRow left, InternalRow right) {
        return new JoinedRow(left, right);
    }

    /** A function viewing each row as the one column at ordinal, as a row of schema (a one-field struct). */
    public static UnaryOperator<InternalRow> projection(StructType schema, int ordinal) {
        scala.collection.immutable.Seq<Object> ordinals = CollectionConverters.asScala(List.<Object>of(ordinal)).toSeq();
        return row -> {
            ProjectingInternalRow p = ProjectingInternalRow.apply(schema, ordinals);
            p.project(row);
            return p;
        };
    }

    // ------------------------------------------------------------------ Spark's Arrow writer

    /**
     * Writes up to maxRows rows of schema into a new Arrow root allocated under allocator, with
     * Spark's own {@code ArrowWriter} (every Spark type it supports, nested arrays included); the
     * root is closed again if writing fails.
     */
    public static VectorSchemaRoot writeArrow(Iterator<InternalRow> rows, int maxRows, StructType schema, BufferAllocator allocator) {
        VectorSchemaRoot root = VectorSchemaRoot.create(ArrowUtils.toArrowSchema(schema, "UTC", true, false), allocator);
        try {
            ArrowWriter writer = ArrowWriter.create(root);
            int n = 0;
            while (rows.hasNext() && n < maxRows) {
                writer.write(rows.next());
                n++;
            }
            writer.finish();
            return root;
        } catch (RuntimeException | Error e) {
            root.close();
            throw e;
        }
    }

    // ------------------------------------------------------------------ UnsafeArrayData

    /** What {@link #copyUnsafeArrayAsFloats} did. */
    public enum ArrayCopy { COPIED, HAS_NULL, NOT_UNSAFE }

    /**
     * Copies the n elements of an {@code array<float|double|int|long>} value to float32 at dst
     * straight from {@code UnsafeArrayData}'s memory (one memory copy for floats), after checking
     * its null bitmap. Any other ArrayData is left alone ({@link ArrayCopy#NOT_UNSAFE}); an array
     * with a null element is not copied ({@link ArrayCopy#HAS_NULL}).
     */
    public static ArrayCopy copyUnsafeArrayAsFloats(ArrayData a, DataType elementType, long dst, int n) {
        if (!(a instanceof UnsafeArrayData u)) return ArrayCopy.NOT_UNSAFE;
        Object base = u.getBaseObject();
        long off = u.getBaseOffset();
        for (int w = 0; w < (n + 63) / 64; w++) {
            if (Platform.getLong(base, off + 8 + 8L * w) != 0) return ArrayCopy.HAS_NULL;
        }
        long values = off + UnsafeArrayData.calculateHeaderPortionInBytes(n);
        if (elementType.equals(DataTypes.FloatType)) {
            Platform.copyMemory(base, values, null, dst, 4L * n);
        } else if (elementType.equals(DataTypes.DoubleType)) {
            for (int i = 0; i < n; i++) Platform.putFloat(null, dst + 4L * i, (float) Platform.getDouble(base, values + 8L * i));
        } else if (elementType.equals(DataTypes.IntegerType)) {
            for (int i = 0; i < n; i++) Platform.putFloat(null, dst + 4L * i, Platform.getInt(base, values + 4L * i));
        } else if (elementType.equals(DataTypes.LongType)) {
            for (int i = 0; i < n; i++) Platform.putFloat(null, dst + 4L * i, Platform.getLong(base, values + 8L * i));
        } else {
            throw new IllegalArgumentException("copyUnsafeArrayAsFloats: expected float, double, int or long elements but got "
                    + elementType.simpleString());
        }
        return ArrayCopy.COPIED;
    }

    // ------------------------------------------------------------------ off-heap memory (Spark's Platform)

    /** Writes v at the native address. */
    public static void putFloat(long address, float v) { Platform.putFloat(null, address, v); }

    /** The float at the native address. */
    public static float getFloat(long address) { return Platform.getFloat(null, address); }

    /** Writes v at the native address. */
    public static void putLong(long address, long v) { Platform.putLong(null, address, v); }

    /** The long at the native address. */
    public static long getLong(long address) { return Platform.getLong(null, address); }

    /** Sets bytes bytes from the native address to zero. */
    public static void zero(long address, long bytes) { Platform.setMemory(address, (byte) 0, bytes); }

    /** Copies length bytes of src to the native address. */
    public static void copyBytes(byte[] src, long address, int length) {
        Platform.copyMemory(src, Platform.BYTE_ARRAY_OFFSET, null, address, length);
    }

    // ------------------------------------------------------------------ Spark ML vectors in rows

    /** True for the type of a Spark ML {@code Vector} column. */
    public static boolean isMlVector(DataType type) {
        return type instanceof VectorUDT;
    }

    /**
     * A Spark ML vector as {@code VectorUDT} stores it in a row: dense or sparse, its size, the
     * sparse indices (null when dense) and the values.
     */
    public record MlVector(boolean dense, int size, ArrayData indices, ArrayData values) {}

    /** The ML vector in column ordinal of row (which must not be null there). */
    public static MlVector mlVector(InternalRow row, int ordinal) {
        InternalRow v = row.getStruct(ordinal, 4);
        boolean dense = v.getByte(0) == 1;
        ArrayData values = v.getArray(3);
        return dense ? new MlVector(true, values.numElements(), null, values) : new MlVector(false, v.getInt(1), v.getArray(2), values);
    }

    private static final VectorUDT VECTOR = new VectorUDT();

    /** The internal value of a dense ML vector, for a column of ML vector type. */
    public static Object denseMlVector(double[] values) {
        return VECTOR.serialize(Vectors.dense(values));
    }

    // ------------------------------------------------------------------ block manager size

    /**
     * A base for objects Spark caches whose size Spark should take from them instead of walking
     * their object graph ({@code SizeEstimator}), e.g. objects that hold off-heap memory.
     */
    public abstract static class KnownSize implements KnownSizeEstimation {
        /** Bytes Spark's block manager should count for this object. */
        @Override
        public abstract long estimatedSize();
    }

    // ------------------------------------------------------------------ cached RDD blocks

    /**
     * The values of partition of the cached RDD rddId, from this JVM's block manager or fetched
     * from the executor that holds them; empty when no block manager has them (evicted, or their
     * executor lost). Spark's {@code BlockManager} is {@code private[spark]}. Inside a task the
     * block's read lock is held until the task ends; elsewhere until the iterator is consumed.
     */
    public static <T> Optional<scala.collection.Iterator<T>> cachedPartition(int rddId, int partition, Class<T> type) {
        Option<BlockResult> block = SparkEnv.get().blockManager().get(new RDDBlockId(rddId, partition), ClassTag$.MODULE$.apply(type));
        if (block.isEmpty()) return Optional.empty();
        @SuppressWarnings("unchecked")
        scala.collection.Iterator<T> values = (scala.collection.Iterator<T>) (scala.collection.Iterator<?>) block.get().data();
        return Optional.of(values);
    }

    /** Where the scheduler would run a task of partition of rdd: where its cached blocks are, or its input's locations ({@code private[spark]}). */
    public static scala.collection.immutable.Seq<String> preferredLocations(RDD<?> rdd, int partition) {
        return rdd.context().getPreferredLocs(rdd, partition).map(TaskLocation::toString).toSeq();
    }

    // ------------------------------------------------------------------ ML persistence

    /** The metadata line Spark ML's default persistence writes for stage (class, uid, params, Spark version...). */
    public static String paramsMetadata(Params stage, SparkSession session) {
        return DefaultParamsWriter.getMetadataToSave(stage, session);
    }

    /**
     * Reads a metadata line written for className: creates the stage with the saved uid, sets the
     * saved params (and defaults) on it, and returns it.
     */
    public static <T extends Params> T readParams(String metadata, String className, Function<String, T> create) {
        DefaultParamsReader.Metadata m = DefaultParamsReader.parseMetadata(metadata, className);
        T stage = create.apply(m.uid());
        m.getAndSetParams(stage, Option.empty());
        return stage;
    }

    // ------------------------------------------------------------------ Kryo

    /**
     * Spark classes that Spark ML ships through Kryo unregistered (found with
     * registrationRequired=true): StringIndexerModel's Parquet reader sends a schema holding an
     * ArrayType; RegressionEvaluator aggregates SummarizerBuffers and the metric objects they
     * hold. Named, not referenced, since most are private to Spark.
     */
    public static final List<String> SPARK_ML_KRYO_CLASSES = List.of(
            "[Lorg.apache.spark.sql.types.DataType;",
            "org.apache.spark.sql.types.ArrayType",
            "org.apache.spark.ml.stat.SummarizerBuffer",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeL1$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeM2$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeM2n$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeMean$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeWeightSum$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$Mean$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$NormL1$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$NormL2$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$Variance$");
}
