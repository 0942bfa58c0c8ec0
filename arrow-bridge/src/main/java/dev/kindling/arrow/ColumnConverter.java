package dev.kindling.arrow;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.apache.arrow.vector.FieldVector;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Turns one Arrow column into one tensor: a view over the leaf vector's data buffer whenever the
 * layout allows it, otherwise (and only when the options allow or ask for it) a copy. All the
 * checks that make a view safe to hand out happen here, before anything is retained.
 */
final class ColumnConverter {
    private ColumnConverter() {}

    /** The tensor made for a column, and whether it shares the Arrow memory. */
    record Column(Tensor tensor, boolean zeroCopy) {}

    /**
     * @param rank the number of dims the caller requires, or 0 for whatever the column's nesting gives
     * @param lease where a view's buffers are retained
     */
    static Column convert(FieldVector vector, ViewOptions options, int rank, ArrowLease lease) {
        if (vector.getField().getDictionary() != null) {
            throw new IllegalArgumentException("column '" + vector.getName() + "': Arrow type " + ArrowTypes.describe(vector)
                    + " is dictionary-encoded (the vector holds indices into a dictionary, not values), which is not supported; "
                    + "decode it first (DictionaryEncoder.decode)");
        }
        NullPolicy nulls = options.nulls();
        ColumnLayout layout = ColumnLayout.of(vector, nulls != NullPolicy.UNCHECKED);
        String column = layout.column();
        int[] shape = layout.shape();
        FieldVector leaf = layout.leaf();
        if (rank > 0 && shape.length != rank) {
            throw new IllegalArgumentException("column '" + column + "': expected a " + rank + "-D tensor, which needs "
                    + (rank == 1 ? "a column of scalars" : (rank - 1) + " level" + (rank == 2 ? "" : "s")
                    + " of FixedSizeList or equal-length List around scalars")
                    + ", but the column is " + ArrowTypes.describe(vector) + " and gives shape " + Arrays.toString(shape));
        }
        DType view = ArrowTypes.viewable(leaf);
        DType copy = ArrowTypes.copyable(leaf);
        if (view == null && copy == null) {
            throw new IllegalArgumentException("column '" + column + "': Arrow type " + ArrowTypes.describe(leaf)
                    + (leaf == vector ? "" : " (the list elements)") + " is not supported; supported are " + ArrowTypes.SUPPORTED);
        }
        DType dtype = view != null ? view : copy;

        boolean nanCopy = false;
        if (nulls != NullPolicy.UNCHECKED) {
            long firstNull = Validity.firstNull(leaf, layout.leafStart(), layout.numel());
            if (firstNull >= 0) {
                if (nulls == NullPolicy.NAN && dtype.isFloatingPoint()) {
                    nanCopy = true;
                } else {
                    throw new IllegalArgumentException("column '" + column + "': expected no nulls but row "
                            + layout.rowOf(firstNull) + " is null" + (leaf == vector ? "" : " (a list element)")
                            + (dtype.isFloatingPoint() ? "; NullPolicy.NAN reads nulls in float columns as NaN"
                                                       : "; " + dtype + " tensors have no value for a missing entry"));
                }
            }
        }
        if (view == null && !options.allowCopies()) {
            throw new IllegalArgumentException("column '" + column + "': " + ArrowTypes.describe(leaf) + " has no "
                    + "same-layout Kindling dtype (" + ArrowTypes.whyCopy(leaf) + "); pass ViewOptions.allowCopies(true) to copy it");
        }
        if (view == null || nanCopy) {
            return new Column(ArrowCopies.copy(leaf, layout.leafStart(), shape, dtype, nanCopy), false);
        }
        return new Column(view(leaf, layout, dtype, lease), true);
    }

    private static Tensor view(FieldVector leaf, ColumnLayout layout, DType dtype, ArrowLease lease) {
        long numel = layout.numel();
        // Nothing to share for an empty column, and an empty vector may not even own a buffer.
        if (numel == 0) return Tensors.empty(dtype, layout.shape());
        long item = dtype.itemSize();
        long need = (layout.leafStart() + numel) * item;
        if (leaf.getDataBuffer().capacity() < need) {
            throw new IllegalArgumentException("column '" + layout.column() + "': expected a data buffer of at least " + need
                    + " bytes for " + (layout.leafStart() + numel) + " elements but got " + leaf.getDataBuffer().capacity());
        }
        MemorySegment segment = lease.retain(leaf.getDataBuffer(), layout.leafStart() * item, numel * item);
        return Tensors.fromSegment(segment, dtype, lease, layout.shape());
    }
}
