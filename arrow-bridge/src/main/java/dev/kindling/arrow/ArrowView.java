package dev.kindling.arrow;

import dev.kindling.tensor.Tensor;

import java.util.Arrays;

/**
 * One Arrow column as a tensor, and the handle that decides how long the column's memory lives.
 * While the view is open the tensor reads (and writes) the Arrow buffer in place, and the buffer
 * stays allocated even if the {@code VectorSchemaRoot} or the allocator that made it is closed.
 * {@link #close()} gives the memory back; after that any use of the tensor throws
 * {@link IllegalStateException}. A view nobody closes is released once it and its tensor are
 * unreachable, but Arrow memory is usually scarcer than the GC knows, so close views
 * ({@code try (ArrowView v = ArrowViews.view(vector)) { ... }}).
 *
 * <p>When the column could not be viewed and was copied instead (see {@link ViewOptions} and
 * {@link NullPolicy#NAN}), {@link #isZeroCopy()} is false and the tensor is an ordinary heap
 * tensor that outlives the view.
 */
public final class ArrowView implements AutoCloseable {
    private final String name;
    private final Tensor tensor;
    private final boolean zeroCopy;
    private final ArrowLease lease;

    ArrowView(String name, Tensor tensor, boolean zeroCopy, ArrowLease lease) {
        this.name = name;
        this.tensor = tensor;
        this.zeroCopy = zeroCopy;
        this.lease = lease;
    }

    /** The column's name (the Arrow field name). */
    public String name() { return name; }

    /** The tensor; it shares the Arrow memory when {@link #isZeroCopy()}. */
    public Tensor tensor() {
        if (!lease.isOpen() && zeroCopy) throw new IllegalStateException("tensor: the view of column '" + name + "' is closed");
        return tensor;
    }

    /** True when the tensor is a view of the Arrow buffer, false when it is a copy. */
    public boolean isZeroCopy() { return zeroCopy; }

    /** False once closed. */
    public boolean isOpen() { return lease.isOpen(); }

    /** Releases the Arrow memory this view holds. Idempotent. */
    @Override
    public void close() { lease.close(); }

    @Override
    public String toString() {
        return "ArrowView[" + name + ", " + tensor.dtype() + Arrays.toString(tensor.shape())
                + (zeroCopy ? ", zero-copy" : ", copy") + (isOpen() ? "" : ", closed") + "]";
    }
}
