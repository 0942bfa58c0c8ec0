package dev.kindling.spark.data;

import dev.kindling.arrow.TensorBatch;
import dev.kindling.io.TensorCodec;
import dev.kindling.spark.internal.SparkInternals;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.io.Serial;
import java.io.Serializable;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;

/**
 * One partition of a training DataFrame after conversion, as cached on the executor for a whole
 * fit: Arrow record batches of features and labels, and tensor views of them (no copy). Rows are
 * numbered 0..rows()-1 across the batches; {@link #gather} copies the rows of one training step
 * into heap tensors (only those rows are read). Spark keeps the object in its block manager;
 * {@link #close()} frees the Arrow memory, and a {@link Cleaner} does it if Spark drops the block
 * without closing it (Spark's memory store also closes {@link AutoCloseable} blocks it removes).
 *
 * <p>When a task is scheduled on an executor that does not hold the block, Spark fetches it from
 * the one that does, so the class serializes (with Java serialization or Kryo): the receiving
 * side gets a copy on the Java heap with no Arrow memory behind it.
 */
public final class PartitionData extends SparkInternals.KnownSize implements AutoCloseable, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final Cleaner CLEANER = Cleaner.create();

    private final int partition;
    private final List<Tensor> features;   // per batch [n_b, ...shape]
    private final List<Tensor> labels;     // per batch [n_b]; null entries when there is no label
    private final List<Tensor> weights;    // per batch [n_b] float32; null entries when there is no weight column
    private final int[] starts;            // first row of each batch
    private final int rows;
    private final long bytes;
    private final int[] sampleShape;
    private final transient Resources resources;
    private final transient Cleaner.Cleanable cleanable;

    /** What must be closed, kept apart from the object so the cleaner does not keep it alive. */
    private static final class Resources implements Runnable {
        final List<TensorBatch> views = new ArrayList<>();
        final List<VectorSchemaRoot> roots = new ArrayList<>();
        BufferAllocator allocator;

        @Override
        public synchronized void run() {
            for (TensorBatch v : views) v.close();
            for (VectorSchemaRoot r : roots) r.close();
            views.clear();
            roots.clear();
            if (allocator != null) {
                allocator.close();
                allocator = null;
            }
        }
    }

    PartitionData(int partition, BufferAllocator allocator, List<VectorSchemaRoot> roots, List<TensorBatch> views,
                  List<Tensor> features, List<Tensor> labels, List<Tensor> weights, int[] sampleShape) {
        this.partition = partition;
        this.resources = new Resources();
        this.resources.allocator = allocator;
        this.resources.roots.addAll(roots);
        this.resources.views.addAll(views);
        this.features = List.copyOf(features);
        this.labels = new ArrayList<>(labels);
        this.weights = new ArrayList<>(weights);
        this.sampleShape = sampleShape == null ? null : sampleShape.clone();
        this.starts = new int[features.size()];
        int r = 0;
        long b = 0;
        for (int i = 0; i < features.size(); i++) {
            starts[i] = r;
            r += features.get(i).size(0);
            b += (long) features.get(i).numel() * features.get(i).dtype().itemSize()
                    + (labels.get(i) == null ? 0 : (long) labels.get(i).numel() * 8)
                    + (weights.get(i) == null ? 0 : (long) weights.get(i).numel() * 4);
        }
        this.rows = r;
        this.bytes = b;
        this.cleanable = CLEANER.register(this, resources);
    }

    /** A partition held in heap tensors (what a fetched copy becomes); closing it frees nothing. */
    static PartitionData onHeap(int partition, List<Tensor> features, List<Tensor> labels, List<Tensor> weights, int[] sampleShape) {
        return new PartitionData(partition, null, List.of(), List.of(), features, labels, weights, sampleShape);
    }

    public int partition() { return partition; }

    /** The largest int64 class label in the partition, or -1 when it has none (no rows, no label, float targets). */
    public long maxClassLabel() {
        long max = -1;
        for (Tensor y : labels) {
            if (y != null && y.dtype() == DType.INT64 && y.numel() > 0) max = Math.max(max, y.amax().itemLong());
        }
        return max;
    }

    /** Number of Arrow record batches (or heap chunks) the rows are split across. */
    int batches() { return features.size(); }

    /** Features of one batch, a view of the Arrow buffers (not a copy). */
    Tensor batchFeatures(int batch) { return features.get(batch); }

    /** Labels of one batch, or null without a label column. */
    Tensor batchLabels(int batch) { return labels.get(batch); }

    /** Instance weights of one batch, or null without a weight column. */
    Tensor batchWeights(int batch) { return weights.get(batch); }

    public int rows() { return rows; }

    /** The per-sample feature shape (null for an empty partition). */
    public int[] sampleShape() { return sampleShape == null ? null : sampleShape.clone(); }

    /**
     * The rows at local indices as heap tensors: features as float32 [k, ...shape] (uint8 images
     * scaled to [0, 1]), labels [k] (int64 class indices or float32 targets; null without labels)
     * and instance weights [k] (float32; null without a weight column).
     */
    public Tensor[] gather(int[] localRows) {
        if (localRows.length == 0) throw new IllegalArgumentException("gather: no rows requested from partition " + partition);
        List<Tensor> xs = new ArrayList<>();
        List<Tensor> ys = new ArrayList<>();
        List<Tensor> ws = new ArrayList<>();
        // Group consecutive requests that fall in the same batch into one indexSelect.
        int i = 0;
        while (i < localRows.length) {
            int b = batchOf(localRows[i]);
            int j = i;
            while (j < localRows.length && batchOf(localRows[j]) == b) j++;
            long[] idx = new long[j - i];
            for (int k = i; k < j; k++) idx[k - i] = localRows[k] - starts[b];
            Tensor index = Tensors.fromArray(idx).to(features.get(b).device());
            xs.add(features.get(b).indexSelect(0, index));
            if (labels.get(b) != null) ys.add(labels.get(b).indexSelect(0, index));
            if (weights.get(b) != null) ws.add(weights.get(b).indexSelect(0, index));
            i = j;
        }
        Tensor x = xs.size() == 1 ? xs.get(0) : Tensors.cat(xs, 0);
        Tensor y = ys.isEmpty() ? null : ys.size() == 1 ? ys.get(0) : Tensors.cat(ys, 0);
        Tensor w = ws.isEmpty() ? null : ws.size() == 1 ? ws.get(0) : Tensors.cat(ws, 0);
        if (x.dtype() == DType.UINT8) x = x.to(DType.FLOAT32).div_(255.0);
        else if (x.dtype() != DType.FLOAT32) x = x.to(DType.FLOAT32);
        return new Tensor[] {x, y, w};
    }

    /**
     * A copy of every batch on device, holding no Arrow memory (a GPU fit keeps one per partition
     * for the whole fit); {@link #gather} on it gathers on that device.
     */
    public PartitionData to(Device device) {
        List<Tensor> xs = new ArrayList<>();
        List<Tensor> ys = new ArrayList<>();
        List<Tensor> ws = new ArrayList<>();
        for (int b = 0; b < batches(); b++) {
            xs.add(features.get(b).to(device));
            ys.add(labels.get(b) == null ? null : labels.get(b).to(device));
            ws.add(weights.get(b) == null ? null : weights.get(b).to(device));
        }
        return onHeap(partition, xs, ys, ws, sampleShape);
    }

    /** Every row, in order (for inference and validation). */
    public Tensor[] all() {
        int[] idx = new int[rows];
        for (int i = 0; i < rows; i++) idx[i] = i;
        return gather(idx);
    }

    private int batchOf(int row) {
        if (row < 0 || row >= rows) {
            throw new IllegalArgumentException("gather: row " + row + " is out of range for partition " + partition + " of " + rows + " rows");
        }
        int lo = 0;
        int hi = starts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= row) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /** Spark's size estimate for the block manager: the Arrow bytes (its reflective walk would wander the allocator tree). */
    @Override
    public long estimatedSize() { return bytes + 1024; }

    @Override
    public void close() { cleanable.clean(); }

    @Serial
    private Object writeReplace() { return new SerializedForm(this); }

    /** The Java-serialized form: every batch's tensors in core's {@link TensorCodec} form. */
    private static final class SerializedForm implements Serializable {
        @Serial
        private static final long serialVersionUID = 3L;
        private final int partition;
        private final int[] sampleShape;
        private final byte[][] features;
        private final byte[][] labels;
        private final byte[][] weights;

        SerializedForm(PartitionData d) {
            partition = d.partition;
            sampleShape = d.sampleShape;
            features = new byte[d.batches()][];
            labels = new byte[d.batches()][];
            weights = new byte[d.batches()][];
            for (int b = 0; b < d.batches(); b++) {
                features[b] = TensorCodec.toBytes(d.batchFeatures(b));
                labels[b] = d.batchLabels(b) == null ? null : TensorCodec.toBytes(d.batchLabels(b));
                weights[b] = d.batchWeights(b) == null ? null : TensorCodec.toBytes(d.batchWeights(b));
            }
        }

        @Serial
        private Object readResolve() {
            List<Tensor> xs = new ArrayList<>();
            List<Tensor> ys = new ArrayList<>();
            List<Tensor> ws = new ArrayList<>();
            for (int b = 0; b < features.length; b++) {
                xs.add(TensorCodec.fromBytes(features[b]));
                ys.add(labels[b] == null ? null : TensorCodec.fromBytes(labels[b]));
                ws.add(weights[b] == null ? null : TensorCodec.fromBytes(weights[b]));
            }
            return onHeap(partition, xs, ys, ws, sampleShape);
        }
    }
}
