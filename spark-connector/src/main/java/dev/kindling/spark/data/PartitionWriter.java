package dev.kindling.spark.data;

import dev.kindling.arrow.ArrowViews;
import dev.kindling.arrow.NullPolicy;
import dev.kindling.arrow.TensorBatch;
import dev.kindling.arrow.ViewOptions;
import dev.kindling.spark.internal.SparkInternals;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Tensor;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Writes the rows of one partition into Arrow record batches (features as a FixedSizeList of
 * float32, or of uint8 for images, and the label as int64 or float32) and views them as tensors.
 *
 * <p>The fast path copies each row's array in one memory copy straight from Spark's
 * {@code UnsafeArrayData} into the Arrow buffer ({@code array<float>}), or converts element by
 * element while copying (double, int and long arrays, ML vectors, scalar columns). Spark's own
 * {@code ArrowWriter} handles every other type. Every row is checked while it is written: a null
 * (row or element), a row of another length than the first, a non-integer class label, or
 * (optionally) a NaN feature fails with an {@link IllegalArgumentException} naming the column and
 * the row, and everything already allocated is freed.
 *
 * <p>Input rows hold the feature columns first and the label last, as {@link CachedDataset}
 * projects them; for inference the label is absent ({@code label == null}).
 *
 * <p>Memory comes from {@link ExecutorArrow}, which reuses the buffers freed by earlier
 * partitions (see there for how much it keeps).
 *
 * <p>Public for {@code ml}'s inference and the benchmarks; not user API.
 */
public final class PartitionWriter implements Serializable {
    private final FeatureSpec features;
    private final LabelSpec label;
    private final WeightSpec weight;
    private final StructType schema;
    private final int rowsPerBatch;
    private final boolean checkNaN;

    public PartitionWriter(FeatureSpec features, LabelSpec label, StructType projectedSchema, int rowsPerBatch, boolean checkNaN) {
        this(features, label, null, projectedSchema, rowsPerBatch, checkNaN);
    }

    /** With an instance-weight column (may be null), projected right after the label. */
    public PartitionWriter(FeatureSpec features, LabelSpec label, WeightSpec weight, StructType projectedSchema, int rowsPerBatch,
                           boolean checkNaN) {
        if (weight != null && label == null) throw new IllegalArgumentException("a weight column needs a label column");
        if (rowsPerBatch <= 0) throw new IllegalArgumentException("rowsPerBatch must be positive but got " + rowsPerBatch);
        this.features = features;
        this.label = label;
        this.weight = weight;
        this.schema = projectedSchema;
        this.rowsPerBatch = rowsPerBatch;
        this.checkNaN = checkNaN;
    }

    PartitionData write(int partition, Iterator<InternalRow> rows) {
        return write(partition, rows, 0);
    }

    /** As {@link #write(int, Iterator)} for rows that start at row firstRow of the partition (named in errors). */
    public PartitionData write(int partition, Iterator<InternalRow> rows, int firstRow) {
        return write(partition, rows, firstRow, ExecutorArrow.root());
    }

    /** As {@link #write(int, Iterator, int)}, allocating under the given parent (tests pass a small one). */
    PartitionData write(int partition, Iterator<InternalRow> rows, int firstRow, BufferAllocator parent) {
        BufferAllocator allocator = parent.newChildAllocator("kindling-partition-" + partition, 0, Long.MAX_VALUE);
        List<VectorSchemaRoot> roots = new ArrayList<>();
        List<TensorBatch> views = new ArrayList<>();
        List<Tensor> xs = new ArrayList<>();
        List<Tensor> ys = new ArrayList<>();
        List<Tensor> ws = new ArrayList<>();
        int[] shape = features.shape();
        try {
            int rowBase = firstRow;
            // A partition that filled one batch likely fills the next: start it at full size and skip the doubling copies.
            int initialRows = Math.min(rowsPerBatch, INITIAL_ROWS);
            while (rows.hasNext()) {
                Batch b = features.kind() == FeatureSpec.Kind.ARROW_WRITER
                        ? writeWithArrowWriter(rows, allocator, partition, rowBase)
                        : writeDirect(rows, allocator, partition, rowBase, shape, initialRows);
                if (b.features.size(0) == rowsPerBatch) initialRows = rowsPerBatch;
                if (shape == null) shape = b.shape;
                else if (!java.util.Arrays.equals(shape, b.shape)) {
                    throw new IllegalArgumentException("features column '" + features.columns().get(0) + "': rows of partition "
                            + partition + " have shape " + java.util.Arrays.toString(b.shape) + " but earlier rows have "
                            + java.util.Arrays.toString(shape));
                }
                roots.add(b.root);
                views.add(b.view);
                xs.add(b.features);
                ys.add(b.labels);
                ws.add(b.weights);
                rowBase += b.features.size(0);
            }
            return new PartitionData(partition, allocator, roots, views, xs, ys, ws, shape);
        } catch (RuntimeException | Error e) {
            for (TensorBatch v : views) v.close();
            for (VectorSchemaRoot r : roots) r.close();
            allocator.close();
            if (OffHeapMemoryException.isOffHeapExhaustion(e)) {
                throw new OffHeapMemoryException("converting partition " + partition + " of the DataFrame to Arrow", e);
            }
            throw e;
        }
    }

    private record Batch(VectorSchemaRoot root, TensorBatch view, Tensor features, Tensor labels, Tensor weights, int[] shape) {}

    private String featureName() { return features.columns().size() == 1 ? features.columns().get(0) : features.columns().toString(); }

    private IllegalArgumentException bad(String what, int partition, int row) {
        return new IllegalArgumentException("features column '" + featureName() + "' " + what + " at row " + row + " of partition " + partition);
    }

    // ------------------------------------------------------------------ fast path

    /** Rows the direct path's first buffers in a partition hold; they double as rows arrive, up to rowsPerBatch. */
    static final int INITIAL_ROWS = 4;

    /**
     * Writes up to rowsPerBatch rows straight into Arrow buffers allocated unzeroed (every byte is
     * written by a row), then hands them to the vectors; Arrow's allocateNew would zero the data
     * first, a whole extra pass over memory. The buffers start at {@link #INITIAL_ROWS} rows and
     * double when full, so a partition reserves about what it holds (reserving rowsPerBatch rows up
     * front cost 16 MiB per partition for 784 floats: 1000 small partitions exhausted direct memory).
     * After a full batch the partition's next batches start at rowsPerBatch rows (initialRows):
     * it then reserves at most one batch more than it holds, and its rows are copied once.
     */
    private Batch writeDirect(Iterator<InternalRow> rows, BufferAllocator allocator, int partition, int rowBase, int[] knownShape,
                              int initialRows) {
        boolean image = features.kind() == FeatureSpec.Kind.IMAGE;
        int labelOrdinal = features.kind() == FeatureSpec.Kind.SCALARS ? features.columns().size() : 1;
        ArrowBuf data = null;
        ArrowBuf labels = null;
        ArrowBuf weights = null;
        VectorSchemaRoot root = null;
        try {
            InternalRow first = rows.next();
            int width = knownShape != null ? product(knownShape) : widthOf(first, partition, rowBase);
            int[] shape = knownShape != null ? knownShape : new int[] {width};
            long rowBytes = (long) width * (image ? 1 : 4);
            long labelBytes = label == null ? 0 : label.classIndex() ? 8 : 4;
            int capacity = initialRows;
            data = allocator.buffer(Math.max(1L, capacity * rowBytes));
            if (label != null) labels = allocator.buffer(capacity * labelBytes);
            if (weight != null) weights = allocator.buffer(capacity * 4L);
            long dataAddress = data.memoryAddress();
            long labelAddress = labels == null ? 0 : labels.memoryAddress();
            long weightAddress = weights == null ? 0 : weights.memoryAddress();
            int n = 0;
            InternalRow row = first;
            while (true) {
                if (n == capacity) {
                    capacity = (int) Math.min(rowsPerBatch, 2L * capacity);
                    data = grown(allocator, data, n * rowBytes, capacity * rowBytes);
                    dataAddress = data.memoryAddress();
                    if (labels != null) {
                        labels = grown(allocator, labels, n * labelBytes, capacity * labelBytes);
                        labelAddress = labels.memoryAddress();
                    }
                    if (weights != null) {
                        weights = grown(allocator, weights, n * 4L, capacity * 4L);
                        weightAddress = weights.memoryAddress();
                    }
                }
                int r = rowBase + n;
                if (image) writeImage(row, dataAddress + (long) n * width, width, partition, r);
                else writeFloats(row, dataAddress + (long) n * width * 4, width, partition, r);
                if (labels != null) writeLabel(row, labelOrdinal, labelAddress, n, partition, r);
                if (weights != null) writeWeight(row, labelOrdinal + 1, weightAddress, n, partition, r);
                n++;
                if (n == rowsPerBatch || !rows.hasNext()) break;
                row = rows.next();
            }
            if (labels != null && !label.classIndex() && checkNaN) checkLabelNaN(labelAddress, n, partition, rowBase);
            root = new VectorSchemaRoot(vectors(allocator, image, width, n, data, labels, weights));
            TensorBatch view = ArrowViews.batch(root, ViewOptions.defaults().nulls(NullPolicy.UNCHECKED));
            int[] full = new int[shape.length + 1];
            full[0] = n;
            System.arraycopy(shape, 0, full, 1, shape.length);
            return new Batch(root, view, view.tensor("features").view(full), labels == null ? null : view.tensor("label"),
                    weights == null ? null : view.tensor("weight"), shape);
        } catch (RuntimeException | Error e) {
            if (root != null) root.close();
            throw e;
        } finally {
            // The vectors hold their own references to the buffers.
            if (data != null) data.close();
            if (labels != null) labels.close();
            if (weights != null) weights.close();
        }
    }

    /** A buffer of newBytes holding the first usedBytes of old, which is released (and left open if allocation fails). */
    private static ArrowBuf grown(BufferAllocator allocator, ArrowBuf old, long usedBytes, long newBytes) {
        ArrowBuf bigger = allocator.buffer(newBytes);
        bigger.setBytes(0, old, 0, usedBytes);
        old.close();
        return bigger;
    }

    /** The features as FixedSizeList[width] of float32 (uint8 for images) over data, the label vector over labels, the weights'. */
    private List<FieldVector> vectors(BufferAllocator allocator, boolean image, int width, int n, ArrowBuf data, ArrowBuf labels,
                                      ArrowBuf weights) {
        List<FieldVector> vectors = new ArrayList<>();
        try {
            FixedSizeListVector x = FixedSizeListVector.empty("features", width, allocator);
            vectors.add(x);
            x.addOrGetVector(FieldType.notNullable(image ? new ArrowType.Int(8, false)
                    : new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)));
            // A node with no nulls makes Arrow build an all-valid bitmap itself.
            x.getDataVector().loadFieldBuffers(new ArrowFieldNode((long) n * width, 0), List.of(allocator.getEmpty(), data));
            x.loadFieldBuffers(new ArrowFieldNode(n, 0), List.of(allocator.getEmpty()));
            if (labels != null) {
                FieldVector y = label.classIndex() ? new BigIntVector("label", allocator) : new Float4Vector("label", allocator);
                vectors.add(y);
                y.loadFieldBuffers(new ArrowFieldNode(n, 0), List.of(allocator.getEmpty(), labels));
            }
            if (weights != null) {
                FieldVector w = new Float4Vector("weight", allocator);
                vectors.add(w);
                w.loadFieldBuffers(new ArrowFieldNode(n, 0), List.of(allocator.getEmpty(), weights));
            }
            return vectors;
        } catch (RuntimeException | Error e) {
            for (FieldVector v : vectors) v.close();
            throw e;
        }
    }

    private static int product(int[] s) {
        int p = 1;
        for (int v : s) p *= v;
        return p;
    }

    /** The feature width of a row: the array length, the vector size, the number of scalar columns. */
    private int widthOf(InternalRow row, int partition, int r) {
        switch (features.kind()) {
            case ARRAY -> {
                if (row.isNullAt(0)) throw bad("is null", partition, r);
                return row.getArray(0).numElements();
            }
            case VECTOR -> {
                if (row.isNullAt(0)) throw bad("is null", partition, r);
                return SparkInternals.mlVector(row, 0).size();
            }
            case SCALARS -> {
                return features.columns().size();
            }
            default -> throw new IllegalStateException("no width rule for " + features.kind());
        }
    }

    private void writeFloats(InternalRow row, long dst, int width, int partition, int r) {
        writeFloatsUnchecked(row, dst, width, partition, r);
        if (checkNaN) checkFinite(dst, width, partition, r);
    }

    private void writeFloatsUnchecked(InternalRow row, long dst, int width, int partition, int r) {
        switch (features.kind()) {
            case ARRAY -> {
                if (row.isNullAt(0)) throw bad("is null", partition, r);
                ArrayData a = row.getArray(0);
                int n = a.numElements();
                if (n != width) throw bad("has " + n + " elements but earlier rows have " + width + " (ragged arrays)", partition, r);
                writeArray(a, dst, width, partition, r);
            }
            case VECTOR -> writeVector(row, dst, width, partition, r);
            case SCALARS -> {
                for (int c = 0; c < width; c++) {
                    if (row.isNullAt(c)) {
                        throw new IllegalArgumentException("features column '" + features.columns().get(c) + "' is null at row " + r
                                + " of partition " + partition);
                    }
                    SparkInternals.putFloat(dst + 4L * c, (float) numeric(row, c, schema.fields()[c].dataType()));
                }
            }
            default -> throw new IllegalStateException("no writer for " + features.kind());
        }
    }

    private void writeArray(ArrayData a, long dst, int n, int partition, int r) {
        DataType e = features.elementType();
        switch (SparkInternals.copyUnsafeArrayAsFloats(a, e, dst, n)) {
            case COPIED -> {
                return;
            }
            case HAS_NULL -> throw bad("has a null element", partition, r);
            case NOT_UNSAFE -> { } // element by element below
        }
        for (int i = 0; i < n; i++) {
            if (a.isNullAt(i)) throw bad("has a null element", partition, r);
            float v = e.equals(DataTypes.FloatType) ? a.getFloat(i) : e.equals(DataTypes.DoubleType) ? (float) a.getDouble(i)
                    : e.equals(DataTypes.IntegerType) ? a.getInt(i) : a.getLong(i);
            SparkInternals.putFloat(dst + 4L * i, v);
        }
    }

    private void writeVector(InternalRow row, long dst, int width, int partition, int r) {
        if (row.isNullAt(0)) throw bad("is null", partition, r);
        SparkInternals.MlVector v = SparkInternals.mlVector(row, 0);
        ArrayData values = v.values();
        if (v.dense()) {
            int n = v.size();
            if (n != width) throw bad("is a dense vector of size " + n + " but earlier rows have size " + width, partition, r);
            for (int i = 0; i < n; i++) SparkInternals.putFloat(dst + 4L * i, (float) values.getDouble(i));
        } else {
            int size = v.size();
            if (size != width) throw bad("is a sparse vector of size " + size + " but earlier rows have size " + width, partition, r);
            SparkInternals.zero(dst, 4L * width);
            ArrayData indices = v.indices();
            for (int i = 0; i < indices.numElements(); i++) {
                int idx = indices.getInt(i);
                if (idx < 0 || idx >= width) throw bad("has sparse index " + idx + " outside its size " + width, partition, r);
                SparkInternals.putFloat(dst + 4L * idx, (float) values.getDouble(i));
            }
        }
    }

    private void writeImage(InternalRow row, long dst, int width, int partition, int r) {
        if (row.isNullAt(0)) throw bad("is null", partition, r);
        byte[] bytes = row.getBinary(0);
        if (bytes.length != width) {
            throw bad("holds " + bytes.length + " bytes but the image shape " + java.util.Arrays.toString(features.shape())
                    + " needs " + width, partition, r);
        }
        SparkInternals.copyBytes(bytes, dst, width);
    }

    private static double numeric(InternalRow row, int ordinal, DataType t) {
        if (t.equals(DataTypes.DoubleType)) return row.getDouble(ordinal);
        if (t.equals(DataTypes.FloatType)) return row.getFloat(ordinal);
        if (t.equals(DataTypes.LongType)) return row.getLong(ordinal);
        if (t.equals(DataTypes.IntegerType)) return row.getInt(ordinal);
        if (t.equals(DataTypes.ShortType)) return row.getShort(ordinal);
        if (t.equals(DataTypes.ByteType)) return row.getByte(ordinal);
        throw new IllegalArgumentException("not a numeric column type: " + t.simpleString());
    }

    private void writeLabel(InternalRow row, int ordinal, long labels, int n, int partition, int r) {
        if (row.isNullAt(ordinal)) {
            throw new IllegalArgumentException("label column '" + label.column() + "' is null at row " + r + " of partition " + partition);
        }
        double v = numeric(row, ordinal, label.type());
        if (label.classIndex()) {
            if (!(v >= 0) || v != Math.rint(v) || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("label column '" + label.column() + "' holds " + v + " at row " + r + " of partition "
                        + partition + "; class labels must be whole numbers >= 0 (index them with StringIndexer)");
            }
            SparkInternals.putLong(labels + 8L * n, (long) v);
        } else {
            SparkInternals.putFloat(labels + 4L * n, (float) v);
        }
    }

    private void writeWeight(InternalRow row, int ordinal, long weights, int n, int partition, int r) {
        if (row.isNullAt(ordinal)) {
            throw new IllegalArgumentException("weight column '" + weight.column() + "' is null at row " + r + " of partition " + partition);
        }
        double v = numeric(row, ordinal, weight.type());
        weight.check(v, partition, r);
        SparkInternals.putFloat(weights + 4L * n, (float) v);
    }

    /** Per 32-bit lane: clears the sign bit, so that adding {@link #EXPONENT_CARRY} sets it exactly for NaN and infinity. */
    private static final long MAGNITUDE = 0x7fffffff_7fffffffL;
    /** Added to a float's magnitude bits, carries into bit 31 iff the exponent is all ones (magnitude >= 0x7f800000). */
    private static final long EXPONENT_CARRY = 0x00800000_00800000L;
    private static final long SIGN_BITS = 0x80000000_80000000L;

    /**
     * Fails on a NaN or infinite feature in the row just written (still in cache). The test works
     * on the bits, two floats per long: ORing integers has no loop-carried latency worth the name,
     * where the former float sum (acc += v - v) waited 4 cycles per element and held conversion to
     * ~3 GB/s. A lane's magnitude plus 0x00800000 stays below 2^31 for every finite float, so no
     * lane carries into the next one.
     */
    private void checkFinite(long row, int width, int partition, int r) {
        long acc = 0;
        int pairs = width / 2;
        for (int i = 0; i < pairs; i++) acc |= (SparkInternals.getLong(row + 8L * i) & MAGNITUDE) + EXPONENT_CARRY;
        if ((width & 1) != 0) acc |= (Float.floatToRawIntBits(SparkInternals.getFloat(row + 4L * (width - 1))) & 0x7fffffffL) + 0x00800000L;
        if ((acc & SIGN_BITS) == 0) return;
        for (int i = 0; i < width; i++) {
            float v = SparkInternals.getFloat(row + 4L * i);
            if (v != v || Float.isInfinite(v)) throw bad("has " + (v != v ? "NaN" : "an infinite value") + " (element " + i + ")", partition, r);
        }
    }

    private void checkLabelNaN(long labels, int n, int partition, int rowBase) {
        for (int i = 0; i < n; i++) {
            float v = SparkInternals.getFloat(labels + 4L * i);
            if (v != v) {
                throw new IllegalArgumentException("label column '" + label.column() + "' is NaN at row " + (rowBase + i) + " of partition " + partition);
            }
        }
    }

    // ------------------------------------------------------------------ general path: Spark's ArrowWriter

    private Batch writeWithArrowWriter(Iterator<InternalRow> rows, BufferAllocator allocator, int partition, int rowBase) {
        VectorSchemaRoot root = SparkInternals.writeArrow(rows, rowsPerBatch, schema, allocator);
        TensorBatch view = null;
        try {
            int n = root.getRowCount();
            view = ArrowViews.batch(root, ViewOptions.defaults().allowCopies(true));
            Tensor x = view.tensor(features.columns().get(0)).to(DType.FLOAT32);
            if (checkNaN && x.isnan().any().toBooleanArray()[0]) {
                int row = (int) x.reshape(n, -1).isnan().any(1, false).nonzero().getLong(0, 0);
                throw bad("has NaN", partition, rowBase + row);
            }
            Tensor y = null;
            if (label != null) {
                Tensor rawLabel = view.tensor(label.column());
                y = label.classIndex() ? classLabels(rawLabel, partition, rowBase) : rawLabel.to(DType.FLOAT32);
            }
            if (weight != null && root.getVector(weight.column()).getNullCount() > 0) {
                throw new IllegalArgumentException("weight column '" + weight.column() + "' is null in rows " + rowBase + "-"
                        + (rowBase + n - 1) + " of partition " + partition);
            }
            Tensor w = weight == null ? null : checkedWeights(view.tensor(weight.column()), partition, rowBase);
            int[] shape = java.util.Arrays.copyOfRange(x.shape(), 1, x.dim());
            return new Batch(root, view, x, y, w, shape);
        } catch (RuntimeException | Error e) {
            if (view != null) view.close();
            root.close();
            throw e;
        }
    }

    /** The weights of a batch as float32, after checking each. */
    private Tensor checkedWeights(Tensor raw, int partition, int rowBase) {
        double[] v = raw.toDoubleArray();
        for (int i = 0; i < v.length; i++) weight.check(v[i], partition, rowBase + i);
        return raw.to(DType.FLOAT32);
    }

    private Tensor classLabels(Tensor raw, int partition, int rowBase) {
        if (raw.dtype().isFloatingPoint()) {
            double[] v = raw.toDoubleArray();
            for (int i = 0; i < v.length; i++) {
                if (!(v[i] >= 0) || v[i] != Math.rint(v[i])) {
                    throw new IllegalArgumentException("label column '" + label.column() + "' holds " + v[i] + " at row " + (rowBase + i)
                            + " of partition " + partition + "; class labels must be whole numbers >= 0");
                }
            }
        }
        return raw.to(DType.INT64);
    }
}
