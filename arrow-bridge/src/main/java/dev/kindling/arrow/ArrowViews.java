package dev.kindling.arrow;

import dev.kindling.tensor.Tensor;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Arrow vectors and record batches as tensors, without copying: the entry point of the bridge.
 *
 * <ul>
 *   <li>Float4, Float8, Int, BigInt and UInt1 vectors become 1-D float32, float64, int32, int64
 *       and uint8 tensors over the vector's data buffer: same address, so writes through the
 *       tensor are writes to the vector.</li>
 *   <li>A {@code FixedSizeListVector}, or a {@code ListVector} whose lists all have one length,
 *       becomes a 2-D [rows, width] tensor over the child's data buffer; each further level of
 *       either list adds a dim (a list of fixed-size lists is [N, H, W]).</li>
 *   <li>Bit, SmallInt and TinyInt have no same-layout dtype: by default they are rejected with a
 *       message saying so; with {@link ViewOptions#allowCopies(boolean)} they are copied (see
 *       {@link ArrowCopies}) and the result reports {@code isZeroCopy() == false}.</li>
 * </ul>
 *
 * <p>Slices made with Arrow's {@code TransferPair.splitAndTransfer} or
 * {@code VectorSchemaRoot.slice} are honoured: the view starts where the slice starts. Creating a
 * view checks nulls (see {@link NullPolicy}) and list lengths, retains the buffer, and never
 * copies data; its cost does not depend on the number of rows except for those checks.
 */
public final class ArrowViews {
    private ArrowViews() {}

    /** A view of one column with default options (nulls rejected, no copies). */
    public static ArrowView view(FieldVector vector) { return view(vector, ViewOptions.defaults()); }

    /** A view of one column, of whatever rank its list nesting gives. */
    public static ArrowView view(FieldVector vector, ViewOptions options) { return view(vector, 0, options); }

    /**
     * A [rows, width] view of a list column (FixedSizeList, or List of one length) of scalars; any
     * other column is an {@link IllegalArgumentException} naming it and its type.
     */
    public static ArrowView matrix(FieldVector vector) { return view(vector, 2, ViewOptions.defaults()); }

    /** A view that must have {@code rank} dims (0 for any), else an {@link IllegalArgumentException}. */
    public static ArrowView view(FieldVector vector, int rank, ViewOptions options) {
        if (rank < 0) throw new IllegalArgumentException("view: rank must be >= 0 (0 for any) but got " + rank);
        ArrowLease lease = new ArrowLease();
        try {
            ColumnConverter.Column c = ColumnConverter.convert(vector, options, rank, lease);
            return new ArrowView(vector.getName(), c.tensor(), c.zeroCopy(), lease);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    /** All columns of a record batch as a {@link TensorBatch}, with default options. */
    public static TensorBatch batch(VectorSchemaRoot root) { return batch(root, ViewOptions.defaults()); }

    /**
     * The selected columns of a record batch (all by default) as one {@link TensorBatch} sharing
     * one lease. If any column fails, whatever was already retained is released before the
     * exception leaves, so a failed call holds no Arrow memory.
     */
    public static TensorBatch batch(VectorSchemaRoot root, ViewOptions options) {
        List<String> names = options.columns() != null ? options.columns()
                : root.getSchema().getFields().stream().map(f -> f.getName()).toList();
        ArrowLease lease = new ArrowLease();
        try {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Set<String> copied = new LinkedHashSet<>();
            for (String name : names) {
                FieldVector v = root.getVector(name);
                if (v == null) {
                    throw new IllegalArgumentException("batch: expected a column named '" + name + "' but the batch has "
                            + root.getSchema().getFields().stream().map(f -> f.getName()).toList());
                }
                if (tensors.containsKey(name)) throw new IllegalArgumentException("batch: column '" + name + "' is selected twice");
                ColumnConverter.Column c = ColumnConverter.convert(v, options, 0, lease);
                if (c.tensor().size(0) != root.getRowCount()) {
                    throw new IllegalArgumentException("batch: column '" + name + "' expected " + root.getRowCount()
                            + " rows (the batch's row count) but its vector holds " + c.tensor().size(0));
                }
                tensors.put(name, c.tensor());
                if (!c.zeroCopy()) copied.add(name);
            }
            return new TensorBatch(tensors, copied, root.getRowCount(), lease);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }
}
