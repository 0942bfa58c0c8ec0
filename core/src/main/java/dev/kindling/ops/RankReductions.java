package dev.kindling.ops;

import dev.kindling.autograd.GradMode;
import dev.kindling.autograd.Graph;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/**
 * Reductions by rank (median, kthvalue) and the NaN-ignoring sum and mean. The ranked ones sort
 * along the dim and gather, so the gradient goes to the chosen element.
 */
public final class RankReductions {
    private RankReductions() {}

    /**
     * The lower median along dim with its position; a line holding NaN gives NaN (at the position
     * of a NaN), as torch.median(dim).
     */
    public static Reductions.ValuesIndices median(Tensor x, int dim, boolean keepdim) {
        int d = Shapes.dim("median", dim, x.dim());
        if (x.dim() == 0) return new Reductions.ValuesIndices(x.clone(), Tensors.zeros(DType.INT64));
        int n = x.size(d);
        if (n == 0) throw new IllegalArgumentException("median: expected reduction dim " + dim + " to have non-zero size");
        Tensor order = Sorting.argsort(x, d, false);
        // NaN sorts last: where a line has any, its first NaN is at the count of non-NaN values
        Tensor numbers = x.isnan().logicalNot().sum(new int[] {d}, true);
        Tensor pos = numbers.where(numbers.lt(n), (double) ((n - 1) / 2)).to(DType.INT64);
        Tensor idx = Indexing.gather(order, d, pos);
        Tensor values = Indexing.gather(x, d, idx);
        return keepdim ? new Reductions.ValuesIndices(values, idx) : new Reductions.ValuesIndices(values.squeeze(d), idx.squeeze(d));
    }

    /** The lower median of all elements (NaN if any is NaN). */
    public static Tensor median(Tensor x) {
        if (x.numel() == 0) throw new IllegalArgumentException("median: expected a non-empty tensor");
        return median(x.reshape(-1), 0, false).values();
    }

    /** The k-th smallest (1-based) along dim with its position, as torch.kthvalue. */
    public static Reductions.ValuesIndices kthvalue(Tensor x, int k, int dim, boolean keepdim) {
        int d = Shapes.dim("kthvalue", dim, x.dim());
        int n = x.dim() == 0 ? 1 : x.size(d);
        if (k < 1 || k > n) throw new IllegalArgumentException("kthvalue: k must be in [1, " + n + "] but got " + k);
        if (x.dim() == 0) return new Reductions.ValuesIndices(x.clone(), Tensors.zeros(DType.INT64));
        Tensor idx = Sorting.argsort(x, d, false).narrow(d, k - 1, 1).contiguous();
        Tensor values = Indexing.gather(x, d, idx);
        return keepdim ? new Reductions.ValuesIndices(values, idx) : new Reductions.ValuesIndices(values.squeeze(d), idx.squeeze(d));
    }

    /**
     * sum treating NaN as 0. The gradient is g times the not-NaN mask (so a NaN upstream, as
     * nanmean's 0/0 over an all-NaN line, stays NaN, as PyTorch's), not a selection.
     */
    public static Tensor nansum(Tensor x, int[] dims, boolean keepdim) {
        if (!x.dtype().isFloatingPoint()) return x.sum(dims, keepdim);
        Tensor numbers = x.isnan().logicalNot();
        Tensor clean;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            clean = x.where(numbers, 0.0);
        }
        clean = Graph.record("NanToZeroBackward", clean, x, new Tensor[] {numbers}, g -> g.mul(numbers.to(g.dtype())));
        return clean.sum(dims, keepdim);
    }

    /** mean over the non-NaN values (NaN where there are none). */
    public static Tensor nanmean(Tensor x, int[] dims, boolean keepdim) {
        if (!x.dtype().isFloatingPoint()) throw new IllegalArgumentException("nanmean: expected a floating-point tensor but got " + x.dtype());
        Tensor count = x.isnan().logicalNot().to(x.dtype()).sum(dims, keepdim);
        return nansum(x, dims, keepdim).div(count);
    }
}
