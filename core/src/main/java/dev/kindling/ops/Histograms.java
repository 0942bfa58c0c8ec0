package dev.kindling.ops;

import dev.kindling.autograd.GradMode;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/**
 * Counting ops without gradients (PyTorch defines none): bincount and histc.
 */
public final class Histograms {
    private Histograms() {}

    /**
     * Occurrences of each value of a 1-D non-negative integer tensor, or the sums of their weights;
     * length max(max + 1, minlength). int64 without weights; with weights float32 stays float32
     * and every other weight dtype gives float64, as PyTorch's CPU kernel.
     */
    public static Tensor bincount(Tensor x, Tensor weights, int minlength) {
        if (x.dim() != 1 || !x.dtype().isIntegral()) {
            throw new IllegalArgumentException("bincount: only supports 1-d non-negative integral inputs, got " + x.dtype() + " of shape "
                    + Shapes.str(x.shape()));
        }
        if (minlength < 0) throw new IllegalArgumentException("bincount: minlength should be >= 0, got " + minlength);
        if (weights != null && !java.util.Arrays.equals(weights.shape(), x.shape())) {
            throw new IllegalArgumentException("bincount: weights should be 1-d and have the same length as input, got "
                    + Shapes.str(weights.shape()) + " for input " + Shapes.str(x.shape()));
        }
        long[] v = x.toLongArray();
        long max = -1;
        for (long e : v) {
            if (e < 0) throw new IllegalArgumentException("bincount: only supports 1-d non-negative integral inputs, found " + e);
            max = Math.max(max, e);
        }
        int length = (int) Math.max(max + 1, minlength);
        DType dt = weights == null ? DType.INT64 : weights.dtype() == DType.FLOAT32 ? DType.FLOAT32 : DType.FLOAT64;
        try (var off = GradMode.noGrad()) {
            Tensor w = weights == null ? Tensors.ones(DType.INT64, x.device(), v.length) : weights.detach().to(dt);
            return Tensors.zeros(dt, x.device(), length).indexAdd(0, x.to(DType.INT64), w);
        }
    }

    /**
     * A histogram of bins equal-width bins between min and max (the data's own extremes when both
     * are equal, widened by 1 each way if those are equal too); values outside are ignored and max
     * falls in the last bin. Positions are computed in the input's precision, as PyTorch's kernel.
     */
    public static Tensor histc(Tensor x, int bins, double min, double max) {
        if (!x.dtype().isFloatingPoint()) throw new IllegalArgumentException("histc: expected a floating-point input but got " + x.dtype());
        if (bins <= 0) throw new IllegalArgumentException("histc: bins must be > 0, but got " + bins);
        if (min > max) throw new IllegalArgumentException("histc: max must be larger than min, got min " + min + " and max " + max);
        double[] v = x.toDoubleArray();
        double lo = min;
        double hi = max;
        if (lo == hi && v.length > 0) {
            lo = Double.POSITIVE_INFINITY;
            hi = Double.NEGATIVE_INFINITY;
            for (double e : v) {
                lo = Math.min(lo, e);
                hi = Math.max(hi, e);
            }
        }
        if (lo == hi) {
            lo -= 1;
            hi += 1;
        }
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException("histc: range of [" + lo + ", " + hi + "] is not finite");
        }
        boolean f32 = x.dtype() == DType.FLOAT32;
        double[] counts = new double[bins];
        float loF = (float) lo;
        float hiF = (float) hi;
        for (double e : v) {
            if (f32 ? !(e >= loF && e <= hiF) : !(e >= lo && e <= hi)) continue;
            long pos = f32 ? (long) ((float) ((float) e - loF) * (float) bins / (hiF - loF)) : (long) ((e - lo) * bins / (hi - lo));
            if (pos >= bins) pos = bins - 1;
            counts[(int) pos] += 1;
        }
        return Tensors.fromArray(counts, bins).to(x.dtype()).to(x.device());
    }
}
