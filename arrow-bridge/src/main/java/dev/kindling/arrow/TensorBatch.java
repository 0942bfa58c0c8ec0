package dev.kindling.arrow;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A record batch as named tensors that all have the same number of rows (their first dim), in
 * column order: what {@link ArrowViews#batch} makes of a {@code VectorSchemaRoot}, what
 * {@link TensorBatchReader} reads from Arrow IPC, and what {@link TensorToArrow} and
 * {@link TensorBatchWriter} turn back into Arrow.
 *
 * <p>A batch viewed from Arrow owns one lease on all the buffers its tensors read; closing the
 * batch releases them together and makes those tensors unusable ({@link IllegalStateException}).
 * A batch built with {@link #of(Map)} from ordinary tensors owns nothing and close does nothing.
 */
public final class TensorBatch implements AutoCloseable {
    private final Map<String, Tensor> tensors;
    private final Set<String> copied;
    private final int rows;
    private final ArrowLease lease;

    TensorBatch(Map<String, Tensor> tensors, Set<String> copied, int rows, ArrowLease lease) {
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.copied = Set.copyOf(copied);
        this.rows = rows;
        this.lease = lease;
    }

    /**
     * A batch of existing tensors, in the map's iteration order (use a {@code LinkedHashMap} to
     * fix the column order). Every tensor needs at least one dim and the same first dim.
     */
    public static TensorBatch of(Map<String, Tensor> tensors) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("TensorBatch.of: expected at least one column but got none");
        int rows = -1;
        String first = null;
        for (var e : tensors.entrySet()) {
            Tensor t = e.getValue();
            if (e.getKey() == null || t == null) throw new IllegalArgumentException("TensorBatch.of: null column name or tensor");
            if (t.dim() == 0) {
                throw new IllegalArgumentException("TensorBatch.of: column '" + e.getKey() + "' expected at least 1 dim (rows) but got a 0-dim tensor");
            }
            if (rows < 0) {
                rows = t.size(0);
                first = e.getKey();
            } else if (t.size(0) != rows) {
                throw new IllegalArgumentException("TensorBatch.of: column '" + e.getKey() + "' expected " + rows
                        + " rows (as column '" + first + "') but has shape " + Arrays.toString(t.shape()));
            }
        }
        return new TensorBatch(tensors, tensors.keySet(), rows, null);
    }

    /** Number of rows (the first dim of every tensor). */
    public int rowCount() { return rows; }

    /** Column names in order. */
    public List<String> names() { return List.copyOf(tensors.keySet()); }

    /** The named columns, in order. Unmodifiable. */
    public Map<String, Tensor> tensors() {
        checkOpen("tensors");
        return tensors;
    }

    /** One column's tensor. */
    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException("tensor: expected one of the columns " + names() + " but got '" + name + "'");
        if (!copied.contains(name)) checkOpen("tensor");
        return t;
    }

    /** True when the named column's tensor is a view of Arrow memory; false for copies and for {@link #of} batches. */
    public boolean isZeroCopy(String name) {
        if (!tensors.containsKey(name)) {
            throw new IllegalArgumentException("isZeroCopy: expected one of the columns " + names() + " but got '" + name + "'");
        }
        return !copied.contains(name);
    }

    /**
     * Gathers scalar numeric columns into one new [rows, columns.length] tensor of {@code dtype},
     * column j holding {@code columns[j]}: the usual feature matrix. This <em>copies</em> (the
     * columns are separate Arrow buffers; a matrix is one). Values are converted to dtype as
     * {@link Tensor#to(DType)} converts them.
     */
    public Tensor copyAsMatrix(DType dtype, String... columns) {
        if (columns.length == 0) throw new IllegalArgumentException("copyAsMatrix: expected at least one column name but got none");
        Tensor out = Tensors.empty(dtype, rows, columns.length);
        for (int j = 0; j < columns.length; j++) {
            Tensor c = tensor(columns[j]);
            if (c.dim() != 1) {
                throw new IllegalArgumentException("copyAsMatrix: column '" + columns[j] + "' expected a scalar column (1-D) but has shape "
                        + Arrays.toString(c.shape()));
            }
            out.select(1, j).copy_(c);
        }
        return out;
    }

    /** False once closed (always true for batches that own no Arrow memory). */
    public boolean isOpen() { return lease == null || lease.isOpen(); }

    /** The lease behind the viewed columns, or null (for {@link TensorToArrow}). */
    ArrowLease lease() { return lease; }

    /** Releases the Arrow memory the batch's views hold. Idempotent. */
    @Override
    public void close() {
        if (lease != null) lease.close();
    }

    private void checkOpen(String op) {
        if (!isOpen()) throw new IllegalStateException(op + ": this tensor batch is closed");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TensorBatch[").append(rows).append(" rows");
        tensors.forEach((n, t) -> sb.append(", ").append(n).append(": ").append(t.dtype()).append(Arrays.toString(t.shape()))
                .append(copied.contains(n) ? " copy" : ""));
        return sb.append(isOpen() ? "" : ", closed").append(']').toString();
    }
}
