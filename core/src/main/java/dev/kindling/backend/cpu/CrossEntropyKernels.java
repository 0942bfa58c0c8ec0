package dev.kindling.backend.cpu;

import dev.kindling.backend.StridedView;

/**
 * The two kernels of fused cross-entropy over contiguous [M, C] logits, one row per task. Forward
 * keeps one number per row, the log-sum-exp, instead of an [M, C] log-softmax; backward writes
 * scale * (softmax - one-hot) in one pass over the logits, where the composed loss needed a zeroed
 * [M, C] gradient for the pick, a scatter and a log-softmax backward. Float32 rows take their
 * exponentials from {@link FloatExp} and round exactly as {@link SoftmaxKernels}' log-softmax does
 * (x - lse in float, then exp), so the fused loss and gradient equal the composed ones; float64
 * rows use {@link Math#exp}.
 */
final class CrossEntropyKernels {
    private CrossEntropyKernels() {}

    /** x [M, C] contiguous and array-backed; out [M] array-backed of x's dtype, any stride. */
    static void logSumExpRows(StridedView x, StridedView out) {
        int m = x.shape()[0];
        int c = x.shape()[1];
        int xo = x.storageOffset();
        int oo = out.storageOffset();
        int os = out.strides()[0];
        Object xa = x.storage().array();
        Object oa = out.storage().array();
        Parallel.forRange(m, Math.max(1, Parallel.GRAIN / Math.max(1, c)), (from, to) -> {
            if (xa instanceof float[] xf) {
                float[] o = (float[]) oa;
                float[] exps = new float[c];
                for (int i = (int) from; i < to; i++) o[oo + i * os] = lseF(xf, xo + i * c, c, exps);
            } else {
                double[] xd = (double[]) xa;
                double[] o = (double[]) oa;
                for (int i = (int) from; i < to; i++) o[oo + i * os] = lseD(xd, xo + i * c, c);
            }
        });
    }

    /**
     * One float row: its exponentials into a scratch row ({@link FloatExp}'s row form), then
     * summed with independent partial sums: an accumulating loop around exp would run serially.
     */
    private static float lseF(float[] x, int base, int c, float[] exps) {
        float max = FloatExp.max(x, base, c);
        if (max == Float.NEGATIVE_INFINITY) max = 0f; // all -inf: as log-softmax, the sum is 0 and lse -inf
        FloatExp.exp(x, base, max, 1.0, exps, 0, c);
        return (float) (max + Math.log(ReduceKernels.sumF(exps, 0, c)));
    }

    private static double lseD(double[] x, int base, int c) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) max = Math.max(max, x[base + j]);
        if (max == Double.NEGATIVE_INFINITY) max = 0;
        double sum = 0;
        for (int j = 0; j < c; j++) sum += Math.exp(x[base + j] - max);
        return max + Math.log(sum);
    }

    /**
     * out[i, j] = scale[i] * (exp(x[i, j] - lse[i]) - (j == target[i])). x and out contiguous and
     * array-backed of one dtype; lse and scale of that dtype and target int64, any stride.
     */
    static void backward(StridedView x, StridedView lse, StridedView target, StridedView scale, StridedView out) {
        int m = x.shape()[0];
        int c = x.shape()[1];
        int xo = x.storageOffset();
        int oo = out.storageOffset();
        int lo = lse.storageOffset();
        int ls = lse.strides()[0];
        int to = target.storageOffset();
        int ts = target.strides()[0];
        int so = scale.storageOffset();
        int ss = scale.strides()[0];
        long[] t = (long[]) target.storage().array();
        Object xa = x.storage().array();
        Object la = lse.storage().array();
        Object sa = scale.storage().array();
        Object oa = out.storage().array();
        Parallel.forRange(m, Math.max(1, Parallel.GRAIN / Math.max(1, c)), (from, until) -> {
            for (int i = (int) from; i < until; i++) {
                int xb = xo + i * c;
                int ob = oo + i * c;
                int k = (int) t[to + i * ts];
                if (xa instanceof float[] xf) {
                    rowF(xf, xb, (float[]) oa, ob, c, ((float[]) la)[lo + i * ls], ((float[]) sa)[so + i * ss], k);
                } else {
                    rowD((double[]) xa, xb, (double[]) oa, ob, c, ((double[]) la)[lo + i * ls], ((double[]) sa)[so + i * ss], k);
                }
            }
        });
    }

    private static void rowF(float[] x, int xb, float[] o, int ob, int c, float lse, float s, int k) {
        FloatExp.exp(x, xb, lse, s, o, ob, c);
        o[ob + k] = (float) (FloatExp.exp(x[xb + k] - lse) * s - s);
    }

    private static void rowD(double[] x, int xb, double[] o, int ob, int c, double lse, double s, int k) {
        for (int j = 0; j < c; j++) o[ob + j] = Math.exp(x[xb + j] - lse) * s;
        o[ob + k] = Math.exp(x[xb + k] - lse) * s - s;
    }
}
