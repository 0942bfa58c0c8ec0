package dev.kindling.ops;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;

/**
 * sort, argsort and topk. One backend primitive finds the sorting positions (stably); the values
 * are a gather at them, so their gradient is gather's: each input element gets the gradient of
 * the place it was sorted to.
 */
public final class Sorting {
    private Sorting() {}

    /** Positions that sort x along dim (int64, x's shape); a 0-d tensor gives 0. */
    public static Tensor argsort(Tensor x, int dim, boolean descending) {
        int d = Shapes.dim("argsort", dim, x.dim());
        Tensor xs = x.dim() == 0 ? x.reshape(1) : x;
        Tensor idx = Kernels.empty(xs, DType.INT64, xs.shape());
        if (xs.numel() > 0) xs.backend().sortIndices(xs.strided(), d, descending, idx.strided());
        return x.dim() == 0 ? idx.reshape() : idx;
    }

    /** x sorted along dim, with the positions the values came from, as torch.sort(stable=True). */
    public static Reductions.ValuesIndices sort(Tensor x, int dim, boolean descending) {
        Tensor idx = argsort(x, dim, descending);
        return new Reductions.ValuesIndices(Indexing.gather(x, dim, idx), idx);
    }

    /**
     * Gathers x at indices along dim after broadcasting the two over the other dims, as
     * torch.take_along_dim; with dim null both are flattened first.
     */
    public static Tensor takeAlongDim(Tensor x, Tensor indices, Integer dim) {
        if (dim == null) return Indexing.gather(x.reshape(-1), 0, indices.reshape(-1));
        if (x.dim() != indices.dim()) {
            throw new IllegalArgumentException("takeAlongDim: input and indices should have the same number of dimensions, but got "
                    + x.dim() + " and " + indices.dim());
        }
        if (x.dim() == 0) return Indexing.gather(x, 0, indices);
        int d = Shapes.dim("takeAlongDim", dim, x.dim());
        int[] xs = x.shape();
        int[] is = indices.shape();
        int[] xOther = xs.clone();
        int[] iOther = is.clone();
        xOther[d] = 1;
        iOther[d] = 1;
        int[] b = Shapes.broadcast("takeAlongDim", xOther, iOther);
        int[] xTarget = b.clone();
        int[] iTarget = b.clone();
        xTarget[d] = xs[d];
        iTarget[d] = is[d];
        return Indexing.gather(x.expand(xTarget), d, indices.expand(iTarget).contiguous());
    }

    /** The k largest (or smallest) elements along dim, in sorted order, with their positions. */
    public static Reductions.ValuesIndices topk(Tensor x, int k, int dim, boolean largest) {
        int d = Shapes.dim("topk", dim, x.dim());
        int n = x.dim() == 0 ? 1 : x.size(d);
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("topk: k must be in [0, " + n + "] (the size of dim " + dim + ") but got " + k);
        }
        Tensor idx = argsort(x, dim, largest);
        if (x.dim() > 0) idx = idx.narrow(d, 0, k).contiguous();
        return new Reductions.ValuesIndices(Indexing.gather(x, dim, idx), idx);
    }
}
