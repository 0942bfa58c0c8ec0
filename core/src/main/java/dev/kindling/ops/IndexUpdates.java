package dev.kindling.ops;

import dev.kindling.autograd.GradMode;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Out-of-place index updates and lookups: take, index_fill, index_copy, index_put and advanced
 * indexing with index tensors, masked_scatter. Each is composed of index_select, index_add,
 * scatter and where, so the gradients are theirs: values read are gradients gathered back, values
 * overwritten get none.
 */
public final class IndexUpdates {
    private IndexUpdates() {}

    /** index as int64 with negative entries counted from the end of a dim of the given size; checked. */
    static Tensor wrapped(String op, Tensor index, int size) {
        if (index.dtype() != DType.INT64 && index.dtype() != DType.INT32) {
            throw new IllegalArgumentException(op + ": expected an int64 index tensor but got " + index.dtype());
        }
        long[] v = index.toLongArray();
        for (int i = 0; i < v.length; i++) {
            if (v[i] < -size || v[i] >= size) {
                throw new IllegalArgumentException(op + ": index " + v[i] + " is out of bounds for a dimension of size " + size
                        + " (expected " + (-size) + " <= index < " + size + ")");
            }
            if (v[i] < 0) v[i] += size;
        }
        return Tensors.fromArray(v, index.shape()).to(index.device());
    }

    /** The elements of the flattened x at index (negative counts from the end), in index's shape (torch.take). */
    public static Tensor take(Tensor x, Tensor index) {
        Tensor idx = wrapped("take", index, x.numel());
        return x.reshape(-1).indexSelect(0, idx.reshape(-1)).reshape(index.shape());
    }

    /** A bool mask along dim d of x ([1, .., size_d, .., 1]) true at the given positions. */
    private static Tensor dimMask(Tensor x, int d, Tensor idx) {
        int size = x.dim() == 0 ? 1 : x.shape()[d];
        boolean[] hit = new boolean[size];
        for (long v : idx.toLongArray()) hit[(int) v] = true;
        int[] shape = new int[Math.max(x.dim(), 1)];
        Arrays.fill(shape, 1);
        shape[d] = size;
        Tensor m = Tensors.tensor(hit).reshape(shape).to(x.device());
        return x.dim() == 0 ? m.reshape() : m;
    }

    private static Tensor indexVector(String op, Tensor index, int size) {
        if (index.dim() > 1) throw new IllegalArgumentException(op + ": index should have dimension 1 or 0 but got " + index.dim());
        return wrapped(op, index.reshape(-1), size);
    }

    /** x with the slices at index along dim set to value (torch.index_fill). */
    public static Tensor indexFill(Tensor x, int dim, Tensor index, double value) {
        int d = Shapes.dim("index_fill", dim, x.dim());
        Tensor idx = indexVector("index_fill", index, x.dim() == 0 ? 1 : x.shape()[d]);
        return x.where(dimMask(x, d, idx).logicalNot(), Kernels.scalarLike(x, value, x.dtype()));
    }

    /** x with the slices at index along dim replaced by source's slices, in order (torch.index_copy). */
    public static Tensor indexCopy(Tensor x, int dim, Tensor index, Tensor source) {
        int d = Shapes.dim("index_copy", dim, x.dim());
        if (source.dtype() != x.dtype()) {
            throw new IllegalArgumentException("index_copy: self (" + x.dtype() + ") and source (" + source.dtype()
                    + ") must have the same dtype");
        }
        if (x.dim() == 0) return indexCopy(x.reshape(1), 0, index, source.reshape(-1)).reshape();
        Tensor idx = indexVector("index_copy", index, x.shape()[d]);
        int[] expect = x.shape();
        expect[d] = idx.numel();
        Tensor src = source.dim() == 0 && expect.length == 1 && expect[0] == 1 ? source.reshape(1) : source;
        if (!Arrays.equals(expect, src.shape())) {
            throw new IllegalArgumentException("index_copy: source should have shape " + Shapes.str(expect) + " but has "
                    + Shapes.str(source.shape()));
        }
        int[] view = new int[x.dim()];
        Arrays.fill(view, 1);
        view[d] = idx.numel();
        return x.scatter(d, idx.reshape(view).expand(expect).contiguous(), src);
    }

    /**
     * The linear positions in x's first indices.size() dims (flattened) that the index tensors
     * address, broadcast together; bool masks stand for their nonzero() columns.
     */
    private static Tensor linearIndex(String op, Tensor x, List<Tensor> indices) {
        List<Tensor> longs = new ArrayList<>();
        for (Tensor t : indices) {
            if (t.dtype() == DType.BOOL) longs.addAll(t.nonzero().unbind(1));
            else longs.add(t);
        }
        if (longs.size() > x.dim()) {
            throw new IllegalArgumentException(op + ": too many indices for a tensor of dimension " + x.dim() + " (got " + longs.size() + ")");
        }
        int[] shape = x.shape();
        int[] bshape = new int[0];
        for (Tensor t : longs) bshape = Shapes.broadcast(op, bshape, t.shape());
        Tensor lin = Tensors.zeros(DType.INT64, x.device(), bshape);
        int k = 0;
        for (Tensor t : longs) {
            lin = lin.mul(shape[k]).add(wrapped(op, t, shape[k]));
            k++;
        }
        return lin;
    }

    private static int[] tail(Tensor x, int from) { return Arrays.copyOfRange(x.shape(), from, x.dim()); }

    private static int prefix(Tensor x, int k) {
        int p = 1;
        for (int i = 0; i < k; i++) p *= x.shape()[i];
        return p;
    }

    private static int consumed(List<Tensor> indices) {
        int k = 0;
        for (Tensor t : indices) k += t.dtype() == DType.BOOL ? Math.max(t.dim(), 1) : 1;
        return k;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** {@code x[i0, i1, ...]} with index tensors (int64 or bool) for the leading dims. */
    public static Tensor index(Tensor x, List<Tensor> indices) {
        Tensor lin = linearIndex("index", x, indices);
        int k = consumed(indices);
        int[] rest = tail(x, k);
        Tensor rows = x.reshape(concat(new int[] {prefix(x, k)}, rest));
        return rows.indexSelect(0, lin.reshape(-1)).reshape(concat(lin.shape(), rest));
    }

    /**
     * A copy of x with {@code x[indices] = values} (or {@code +=} with accumulate, where repeated
     * positions add up), values broadcast to the indexed shape (torch.index_put).
     */
    public static Tensor indexPut(Tensor x, List<Tensor> indices, Tensor values, boolean accumulate) {
        if (values.dtype() != x.dtype()) {
            throw new IllegalArgumentException("index_put: values (" + values.dtype() + ") must have the dtype of self (" + x.dtype() + ")");
        }
        Tensor lin = linearIndex("index_put", x, indices).reshape(-1);
        int k = consumed(indices);
        int[] rest = tail(x, k);
        int[] rowsShape = concat(new int[] {prefix(x, k)}, rest);
        Tensor rows = x.reshape(rowsShape);
        Tensor vals = values.expand(concat(new int[] {lin.numel()}, rest));
        Tensor out = accumulate ? rows.indexAdd(0, lin, vals) : indexCopy(rows, 0, lin, vals);
        return out.reshape(x.shape());
    }

    /** x with the positions where mask is true taken, in order, from source's first elements (torch.masked_scatter). */
    public static Tensor maskedScatter(Tensor x, Tensor mask, Tensor source) {
        if (mask.dtype() != DType.BOOL) throw new IllegalArgumentException("masked_scatter: expected a bool mask but got " + mask.dtype());
        if (source.dtype() != x.dtype()) {
            throw new IllegalArgumentException("masked_scatter: expected source (" + source.dtype() + ") to have the dtype of self (" + x.dtype() + ")");
        }
        int[] shape = Shapes.broadcast("masked_scatter", x.shape(), mask.shape());
        Tensor positions;
        try (var off = GradMode.noGrad()) {
            positions = mask.expand(shape).reshape(-1).nonzero().reshape(-1);
        }
        int count = positions.numel();
        if (source.numel() < count) {
            throw new IllegalArgumentException("masked_scatter: the mask has " + count + " true elements but source has only "
                    + source.numel() + " elements");
        }
        Tensor placed = Tensors.zeros(x.dtype(), x.device(), Shapes.numel(shape))
                .indexAdd(0, positions, source.reshape(-1).narrow(0, 0, count)).reshape(shape);
        return placed.where(mask, x);
    }
}
