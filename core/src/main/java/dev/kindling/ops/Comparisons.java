package dev.kindling.ops;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;

/**
 * Bucketing and closeness: bucketize, searchsorted, isclose and count_nonzero, composed of
 * broadcast comparisons and sums (no gradients: their results are integers or bools).
 */
public final class Comparisons {
    private Comparisons() {}

    /**
     * For each value, the index of its bucket among the sorted 1-D boundaries: the count of
     * boundaries below it (right = false, boundaries[i-1] < x <= boundaries[i]) or at or below it
     * (right = true), as torch.bucketize.
     */
    public static Tensor bucketize(Tensor x, Tensor boundaries, boolean right) {
        if (boundaries.dim() != 1) {
            throw new IllegalArgumentException("bucketize: boundaries must be 1-D but have shape " + Shapes.str(boundaries.shape()));
        }
        Tensor xe = x.unsqueeze(-1);
        Tensor below = right ? boundaries.le(xe) : boundaries.lt(xe);
        return below.sum(new int[] {-1}, false).to(DType.INT64);
    }

    /**
     * Where each value would be inserted to keep sortedSequence sorted along its last dim: a 1-D
     * sequence serves every value; an N-D one has one row per row of values, as torch.searchsorted.
     */
    public static Tensor searchsorted(Tensor sortedSequence, Tensor values, boolean right) {
        if (sortedSequence.dim() == 1) return bucketize(values, sortedSequence, right);
        int n = sortedSequence.dim();
        if (values.dim() != n || !java.util.Arrays.equals(java.util.Arrays.copyOf(sortedSequence.shape(), n - 1),
                java.util.Arrays.copyOf(values.shape(), n - 1))) {
            throw new IllegalArgumentException("searchsorted: sorted_sequence " + Shapes.str(sortedSequence.shape()) + " and values "
                    + Shapes.str(values.shape()) + " must agree in all but the last dim");
        }
        Tensor seq = sortedSequence.unsqueeze(-2);
        Tensor v = values.unsqueeze(-1);
        Tensor below = right ? seq.le(v) : seq.lt(v);
        return below.sum(new int[] {-1}, false).to(DType.INT64);
    }

    /** |a - b| <= atol + rtol |b|, or equal (infinities), or both NaN when equalNan, as torch.isclose. */
    public static Tensor isclose(Tensor a, Tensor b, double rtol, double atol, boolean equalNan) {
        Tensor close = a.eq(b);
        if (a.dtype().isFloatingPoint() || b.dtype().isFloatingPoint()) {
            Tensor diff = a.sub(b).abs();
            Tensor finite = MathFunctions.isfinite(diff);
            close = close.logicalOr(finite.logicalAnd(diff.le(b.abs().mul(rtol).add(atol))));
            if (equalNan) close = close.logicalOr(a.isnan().logicalAnd(b.isnan()));
        }
        return close;
    }

    /** The number of non-zero elements over dims (all when empty). */
    public static Tensor countNonzero(Tensor x, int[] dims) {
        return x.ne(0.0).sum(dims, false).to(DType.INT64);
    }
}
