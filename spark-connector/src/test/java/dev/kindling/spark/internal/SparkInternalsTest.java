package dev.kindling.spark.internal;

import dev.kindling.spark.LocalSparkTest;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.feature.Binarizer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SizeEstimator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pins what each use of Spark's non-public API in {@link SparkInternals} does with this Spark, so
 * an upgrade that changes one fails here, by name, rather than somewhere inside a fit.
 */
class SparkInternalsTest extends LocalSparkTest {

    @Test
    void internalRowsAreTheDataFramesRowsPartitionByPartition() {
        Dataset<Row> df = spark.range(0, 10, 1, 3).selectExpr("cast(id as int) as a", "cast(id * 2 as double) as b");
        var rows = SparkInternals.internalRows(df);
        assertEquals(3, rows.getNumPartitions());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), rows.map(r -> r.getInt(0)).collect());
        assertEquals(List.of(0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0, 18.0), rows.map(r -> r.getDouble(1)).collect());
    }

    @Test
    void dataFrameOverInternalRowsReadsBackTheSameRows() {
        Dataset<Row> df = spark.range(0, 6, 1, 2).selectExpr("cast(id as int) as a", "array(cast(id as float)) as f");
        Dataset<Row> back = SparkInternals.dataFrame(spark, SparkInternals.internalRows(df).rdd(), df.schema());
        assertEquals(df.schema(), back.schema());
        assertEquals(df.collectAsList(), back.collectAsList());
    }

    @Test
    void rowsJoinAndProjectWithoutCopying() {
        InternalRow left = SparkInternals.row(1, 2.5);
        InternalRow joined = SparkInternals.joined(left, SparkInternals.row(7L));
        assertEquals(3, joined.numFields());
        assertEquals(1, joined.getInt(0));
        assertEquals(2.5, joined.getDouble(1));
        assertEquals(7L, joined.getLong(2));
        UnaryOperator<InternalRow> second = SparkInternals.projection(new StructType().add("b", DataTypes.DoubleType), 1);
        InternalRow projected = second.apply(left);
        assertEquals(1, projected.numFields());
        assertEquals(2.5, projected.getDouble(0));
    }

    @Test
    void sparksArrowWriterWritesUpToMaxRowsAndFreesOnFailure() {
        StructType schema = new StructType().add("f", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)));
        List<InternalRow> rows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rows.add(SparkInternals.row(new GenericArrayData(new Object[] {
                    new GenericArrayData(new Object[] {(float) i, i + 0.5f}), new GenericArrayData(new Object[] {-1f})})));
        }
        try (BufferAllocator allocator = new RootAllocator()) {
            Iterator<InternalRow> it = rows.iterator();
            try (VectorSchemaRoot root = SparkInternals.writeArrow(it, 2, schema, allocator)) {
                assertEquals(2, root.getRowCount());
                assertTrue(it.hasNext(), "the third row is left for the next batch");
                assertEquals(List.of(List.of(1f, 1.5f), List.of(-1f)), root.getVector("f").getObject(1));
            }
            Iterator<InternalRow> failing = new Iterator<>() {
                int n;

                public boolean hasNext() { return true; }

                public InternalRow next() {
                    if (n++ == 1) throw new IllegalStateException("row source failed");
                    return rows.get(0);
                }
            };
            assertThrows(IllegalStateException.class, () -> SparkInternals.writeArrow(failing, 10, schema, allocator));
            assertEquals(0, allocator.getAllocatedMemory(), "a failed write frees its Arrow memory");
        }
    }

    @Test
    void unsafeArraysAreCopiedAsFloatsAfterTheirNullBitmapIsChecked() {
        try (BufferAllocator allocator = new RootAllocator(); ArrowBuf buf = allocator.buffer(64)) {
            long dst = buf.memoryAddress();
            assertEquals(SparkInternals.ArrayCopy.COPIED, SparkInternals.copyUnsafeArrayAsFloats(
                    UnsafeArrayData.fromPrimitiveArray(new float[] {1.5f, -2f, 3f}), DataTypes.FloatType, dst, 3));
            assertArrayEquals(new float[] {1.5f, -2f, 3f}, floats(buf, 3));
            SparkInternals.copyUnsafeArrayAsFloats(UnsafeArrayData.fromPrimitiveArray(new double[] {0.25, 1e40}), DataTypes.DoubleType, dst, 2);
            assertArrayEquals(new float[] {0.25f, Float.POSITIVE_INFINITY}, floats(buf, 2));
            SparkInternals.copyUnsafeArrayAsFloats(UnsafeArrayData.fromPrimitiveArray(new int[] {7, -8}), DataTypes.IntegerType, dst, 2);
            assertArrayEquals(new float[] {7f, -8f}, floats(buf, 2));
            SparkInternals.copyUnsafeArrayAsFloats(UnsafeArrayData.fromPrimitiveArray(new long[] {1L << 40, 3}), DataTypes.LongType, dst, 2);
            assertArrayEquals(new float[] {(float) (1L << 40), 3f}, floats(buf, 2));

            UnsafeArrayData withNull = UnsafeArrayData.fromPrimitiveArray(new float[] {9f, 9f});
            withNull.setNullAt(1);
            assertEquals(SparkInternals.ArrayCopy.HAS_NULL, SparkInternals.copyUnsafeArrayAsFloats(withNull, DataTypes.FloatType, dst, 2));
            assertEquals((float) (1L << 40), buf.getFloat(0), "an array with a null element is not copied");
            ArrayData generic = new GenericArrayData(new Object[] {1f});
            assertEquals(SparkInternals.ArrayCopy.NOT_UNSAFE, SparkInternals.copyUnsafeArrayAsFloats(generic, DataTypes.FloatType, dst, 1));
        }
    }

    private static float[] floats(ArrowBuf buf, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = buf.getFloat(4L * i);
        return out;
    }

    @Test
    void platformMemoryAccessReadsWhatItWrites() {
        try (BufferAllocator allocator = new RootAllocator(); ArrowBuf buf = allocator.buffer(32)) {
            long a = buf.memoryAddress();
            SparkInternals.putFloat(a, 3.25f);
            assertEquals(3.25f, SparkInternals.getFloat(a));
            assertEquals(3.25f, buf.getFloat(0));
            SparkInternals.putLong(a + 8, -5L);
            assertEquals(-5L, buf.getLong(8));
            SparkInternals.copyBytes(new byte[] {1, 2, 3}, a + 16, 3);
            assertEquals(2, buf.getByte(17));
            SparkInternals.zero(a, 32);
            for (int i = 0; i < 32; i++) assertEquals(0, buf.getByte(i));
        }
    }

    @Test
    void mlVectorsAreReadInVectorUdtsRowLayout() {
        VectorUDT udt = new VectorUDT();
        InternalRow sparse = SparkInternals.row(udt.serialize(Vectors.sparse(5, new int[] {1, 3}, new double[] {2, 4})));
        SparkInternals.MlVector s = SparkInternals.mlVector(sparse, 0);
        assertFalse(s.dense());
        assertEquals(5, s.size());
        assertArrayEquals(new int[] {1, 3}, s.indices().toIntArray());
        assertArrayEquals(new double[] {2, 4}, s.values().toDoubleArray());
        SparkInternals.MlVector d = SparkInternals.mlVector(SparkInternals.row(udt.serialize(Vectors.dense(1, 2, 3))), 0);
        assertTrue(d.dense());
        assertEquals(3, d.size());
        assertNull(d.indices());
        assertArrayEquals(new double[] {1, 2, 3}, d.values().toDoubleArray());
        assertEquals(Vectors.dense(0.5, -1), udt.deserialize(SparkInternals.denseMlVector(new double[] {0.5, -1})));
        assertTrue(SparkInternals.isMlVector(SQLDataTypes.VectorType()));
        assertFalse(SparkInternals.isMlVector(DataTypes.createArrayType(DataTypes.DoubleType)));
    }

    @Test
    void sparkTakesAKnownSizeInsteadOfWalkingTheObject() {
        SparkInternals.KnownSize big = new SparkInternals.KnownSize() {
            @SuppressWarnings("unused")
            final long[] payload = new long[1 << 16];

            @Override
            public long estimatedSize() { return 4242; }
        };
        assertEquals(4242, SizeEstimator.estimate(big));
    }

    @Test
    void stageParamsRoundTripThroughSparksMetadataLine() {
        Binarizer stage = new Binarizer().setThreshold(0.7).setInputCol("x").setOutputCol("y");
        String json = SparkInternals.paramsMetadata(stage, spark);
        assertTrue(json.contains("\"class\":\"org.apache.spark.ml.feature.Binarizer\""), json);
        Binarizer back = SparkInternals.readParams(json, Binarizer.class.getName(), Binarizer::new);
        assertEquals(stage.uid(), back.uid());
        assertEquals(0.7, back.getThreshold());
        assertEquals("x", back.getInputCol());
        assertEquals("y", back.getOutputCol());
        assertThrows(IllegalArgumentException.class, () -> SparkInternals.readParams(json, "org.example.Other", Binarizer::new));
    }

    @Test
    void cachedPartitionsAreReadFromTheBlockManagerUntilTheyAreDropped() {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // The scheduler remembers an RDD's cache locations until the next job: ask an uncached one.
        assertTrue(SparkInternals.preferredLocations(jsc.parallelize(List.of(1, 2), 2).rdd(), 1).isEmpty(),
                "a parallelized collection prefers no location");
        JavaRDD<Integer> rdd = jsc.parallelize(List.of(1, 2, 3, 4, 5), 2).cache();
        assertTrue(SparkInternals.cachedPartition(rdd.id(), 1, Integer.class).isEmpty(), "nothing cached before the first job");
        rdd.count();
        rdd.count(); // the scheduler clears the locations it remembered during the first job at the next one, as a fit's jobs do
        List<Integer> second = new ArrayList<>();
        SparkInternals.cachedPartition(rdd.id(), 1, Integer.class).orElseThrow().foreach(second::add);
        assertEquals(List.of(3, 4, 5), second, "partition 1's values, as parallelize split them");
        String where = SparkInternals.preferredLocations(rdd.rdd(), 1).head();
        assertTrue(where.startsWith("executor_"), "a cached partition prefers the executor holding it: " + where);
        assertTrue(SparkInternals.cachedPartition(rdd.id(), 7, Integer.class).isEmpty(), "no block for a partition the RDD lacks");
        rdd.unpersist(true);
        assertTrue(SparkInternals.cachedPartition(rdd.id(), 1, Integer.class).isEmpty(), "an unpersisted partition is gone");
    }

    @Test
    void everySparkMlClassKryoMustRegisterExistsInThisSpark() throws ClassNotFoundException {
        for (String name : SparkInternals.SPARK_ML_KRYO_CLASSES) Class.forName(name, false, getClass().getClassLoader());
    }
}
