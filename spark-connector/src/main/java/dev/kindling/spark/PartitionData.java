package dev.kindling.spark;

import dev.kindling.arrow.TensorBatch;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.spark.util.KnownSizeEstimation;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;

/**
 * One partition of a training DataFrame after conversion, as cached on the executor for a whole
 * fit: Arrow record batches of features and labels, and tensor views of them (no copy). Rows are
 * numbered 0..rows()-1 across the batches; {@link #gather} copies the rows of one training step
 * into heap tensors (only those rows are read). Spark keeps the object in its block manager;
 * {@link #close()} frees the Arrow memory, and a {@link Cleaner} does it if Spark drops the block
 * without closing it.
 */
public final class PartitionData implements AutoCloseable, KnownSizeEstimation {
    private static final Cleaner CLEANER = Cleaner.create();

    private final int partition;
    private final List<Tensor> features;   // per batch [n_b, ...shape]
    private final List<Tensor> labels;     // per batch [n_b]; null entries when there is no label
    private final int[] starts;            // first row of each batch
    private final int rows;
    private final long bytes;
    private final int[] sampleShape;
    private final Resources resources;
    private final Cleaner.Cleanable cleanable;

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
                  List<Tensor> features, List<Tensor> labels, int[] sampleShape) {
        this.partition = partition;
        this.resources = new Resources();
        this.resources.allocator = allocator;
        this.resources.roots.addAll(roots);
        this.resources.views.addAll(views);
        this.features = List.copyOf(features);
        this.labels = new ArrayList<>(labels);
        this.sampleShape = sampleShape == null ? null : sampleShape.clone();
        this.starts = new int[features.size()];
        int r = 0;
        long b = 0;
        for (int i = 0; i < features.size(); i++) {
            starts[i] = r;
            r += features.get(i).size(0);
            b += (long) features.get(i).numel() * features.get(i).dtype().itemSize()
                    + (labels.get(i) == null ? 0 : (long) labels.get(i).numel() * 8);
        }
        this.rows = r;
        this.bytes = b;
        this.cleanable = CLEANER.register(this, resources);
    }

    public int partition() { return partition; }

    public int rows() { return rows; }

    /** The per-sample feature shape (null for an empty partition). */
    public int[] sampleShape() { return sampleShape == null ? null : sampleShape.clone(); }

    /**
     * The rows at local indices as heap tensors: features as float32 [k, ...shape] (uint8 images
     * scaled to [0, 1]) and labels [k] (int64 class indices or float32 targets; null without labels).
     */
    public Tensor[] gather(int[] localRows) {
        if (localRows.length == 0) throw new IllegalArgumentException("gather: no rows requested from partition " + partition);
        List<Tensor> xs = new ArrayList<>();
        List<Tensor> ys = new ArrayList<>();
        // Group consecutive requests that fall in the same batch into one indexSelect.
        int i = 0;
        while (i < localRows.length) {
            int b = batchOf(localRows[i]);
            int j = i;
            while (j < localRows.length && batchOf(localRows[j]) == b) j++;
            long[] idx = new long[j - i];
            for (int k = i; k < j; k++) idx[k - i] = localRows[k] - starts[b];
            Tensor index = Tensors.fromArray(idx);
            xs.add(features.get(b).indexSelect(0, index));
            if (labels.get(b) != null) ys.add(labels.get(b).indexSelect(0, index));
            i = j;
        }
        Tensor x = xs.size() == 1 ? xs.get(0) : Tensors.cat(xs, 0);
        Tensor y = ys.isEmpty() ? null : ys.size() == 1 ? ys.get(0) : Tensors.cat(ys, 0);
        if (x.dtype() == DType.UINT8) x = x.to(DType.FLOAT32).div_(255.0);
        else if (x.dtype() != DType.FLOAT32) x = x.to(DType.FLOAT32);
        return new Tensor[] {x, y};
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
}
