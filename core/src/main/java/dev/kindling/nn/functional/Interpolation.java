package dev.kindling.nn.functional;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/**
 * F.interpolate for the spatial dims of [N, C, ...] inputs, modes "nearest", "linear" (3-D),
 * "bilinear" (4-D). Each spatial dim is resampled separately (the modes are separable) with
 * index_select and per-position weights, so the gradient is those ops'. Source positions follow
 * PyTorch: scale = in / out (or 1 / scale_factor when one is given), src = dst * scale for
 * nearest, (dst + 0.5) * scale - 0.5 clamped at 0 for linear, dst * (in - 1) / (out - 1) with
 * align_corners.
 */
final class Interpolation {
    private Interpolation() {}

    static Tensor interpolate(Tensor x, int[] size, double[] scaleFactor, String mode, Boolean alignCorners) {
        int spatial = x.dim() - 2;
        if (spatial < 1) throw new IllegalArgumentException("interpolate: expected an input [N, C, ...] but got shape " + Shapes.str(x.shape()));
        boolean linear = mode.equals("linear") || mode.equals("bilinear");
        if (!linear && !mode.equals("nearest")) {
            throw new IllegalArgumentException("interpolate: mode must be 'nearest', 'linear' or 'bilinear' but got '" + mode + "'");
        }
        if (mode.equals("linear") && spatial != 1 || mode.equals("bilinear") && spatial != 2) {
            throw new IllegalArgumentException("interpolate: mode '" + mode + "' expects a " + (mode.equals("linear") ? 3 : 4)
                    + "-D input but got shape " + Shapes.str(x.shape()));
        }
        if (!linear && alignCorners != null) {
            throw new IllegalArgumentException("interpolate: align_corners applies only to the linear modes, not '" + mode + "'");
        }
        if ((size == null) == (scaleFactor == null)) throw new IllegalArgumentException("interpolate: give exactly one of size and scale_factor");
        Tensor out = x;
        for (int i = 0; i < spatial; i++) {
            int d = 2 + i;
            int in = x.size(d);
            int n = size != null ? pick(size, i) : (int) Math.floor(in * pick(scaleFactor, i));
            double scale = scaleFactor != null ? 1.0 / pick(scaleFactor, i) : (double) in / n;
            out = linear ? linear1d(out, d, in, n, scale, alignCorners != null && alignCorners) : nearest1d(out, d, in, n, scale);
        }
        return out;
    }

    private static int pick(int[] a, int i) { return a.length == 1 ? a[0] : a[i]; }

    private static double pick(double[] a, int i) { return a.length == 1 ? a[0] : a[i]; }

    private static Tensor nearest1d(Tensor x, int d, int in, int n, double scale) {
        long[] src = new long[n];
        for (int j = 0; j < n; j++) src[j] = Math.min((long) Math.floor(j * (float) scale), in - 1);
        return x.indexSelect(d, Tensors.fromArray(src, n).to(x.device()));
    }

    private static Tensor linear1d(Tensor x, int d, int in, int n, double scale, boolean alignCorners) {
        long[] lo = new long[n];
        long[] hi = new long[n];
        double[] w = new double[n];
        for (int j = 0; j < n; j++) {
            double src = alignCorners ? (n > 1 ? j * (double) (in - 1) / (n - 1) : 0.0) : Math.max((j + 0.5) * scale - 0.5, 0.0);
            int i0 = Math.min((int) Math.floor(src), in - 1);
            lo[j] = i0;
            hi[j] = Math.min(i0 + 1, in - 1);
            w[j] = src - i0;
        }
        int[] wShape = new int[x.dim()];
        java.util.Arrays.fill(wShape, 1);
        wShape[d] = n;
        Tensor lambda = Tensors.fromArray(w, n).to(x.dtype().isFloatingPoint() ? x.dtype() : DType.FLOAT32).to(x.device()).reshape(wShape);
        Tensor a = x.indexSelect(d, Tensors.fromArray(lo, n).to(x.device()));
        Tensor b = x.indexSelect(d, Tensors.fromArray(hi, n).to(x.device()));
        return a.mul(lambda.rsub(1.0)).add(b.mul(lambda));
    }
}
