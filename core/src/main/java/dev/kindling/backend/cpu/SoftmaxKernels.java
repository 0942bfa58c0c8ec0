package dev.kindling.backend.cpu;

import dev.kindling.backend.StridedView;

/**
 * Fused softmax and log-softmax along one dim, and their gradients. One pass finds the line's max,
 * one sums exp(x - max) in double, one writes the result: stable for logits of any magnitude
 * (+-1e4 gives exact zeros and ones, never NaN). Float32 lines take their exponentials from
 * {@link FloatExp}, float64 lines from {@link Math#exp}.
 */
final class SoftmaxKernels {
    private SoftmaxKernels() {}

    /** Calls body once per line along dim, with the offsets of the line's first element in each operand. */
    private interface LineBody {
        void line(int[] starts);
    }

    private static void forEachLine(StridedView[] operands, int dim, int lineLength, LineBody body) {
        int[] shape = operands[0].shape();
        shape[dim] = 1;
        int[] offsets = new int[operands.length];
        int[][] strides = new int[operands.length][];
        for (int i = 0; i < operands.length; i++) {
            offsets[i] = operands[i].storageOffset();
            strides[i] = operands[i].strides();
        }
        StridedIter it = StridedIter.of(shape, offsets, strides);
        int[] inner = new int[operands.length];
        for (int i = 0; i < operands.length; i++) inner[i] = it.innerStride(i);
        it.parallel(Math.max(1, Parallel.GRAIN / Math.max(1, lineLength)), (offs, len) -> {
            int[] starts = new int[offs.length];
            for (int j = 0; j < len; j++) {
                for (int i = 0; i < offs.length; i++) starts[i] = offs[i] + j * inner[i];
                body.line(starts);
            }
        });
    }

    static void softmax(StridedView x, int dim, boolean log, StridedView out) {
        int n = x.shape()[dim];
        int xs = x.strides()[dim];
        int os = out.strides()[dim];
        Object xa = x.storage().array();
        Object oa = out.storage().array();
        forEachLine(new StridedView[] {out, x}, dim, n, s -> {
            if (xa instanceof float[] a) lineF(a, s[1], xs, (float[]) oa, s[0], os, n, log);
            else lineD((double[]) xa, s[1], xs, (double[]) oa, s[0], os, n, log);
        });
    }

    /**
     * One float32 line. Exponentials go through {@link FloatExp}; a line whose input and output
     * are contiguous at the same offset (the common case: fresh contiguous tensors) takes its row
     * form and loops of one index, which C2 vectorises.
     */
    private static void lineF(float[] x, int xo, int xs, float[] o, int oo, int os, int n, boolean log) {
        boolean same = xs == 1 && os == 1 && xo == oo;
        float max = Float.NEGATIVE_INFINITY;
        if (xs == 1) {
            max = FloatExp.max(x, xo, n);
        } else {
            for (int i = 0; i < n; i++) max = Math.max(max, x[xo + i * xs]);
        }
        if (max == Float.NEGATIVE_INFINITY) max = 0f; // all -inf: exp terms are 0, result NaN/-inf as PyTorch
        double sum = 0;
        if (log) {
            if (same) {
                // The exponentials go through o (FloatExp's row form), then a sum with independent
                // partial sums: one accumulating loop around exp would run serially.
                FloatExp.exp(x, xo, max, 1.0, o, oo, n);
                sum = ReduceKernels.sumF(o, xo, n);
            } else {
                for (int i = 0; i < n; i++) sum += FloatExp.exp(x[xo + i * xs] - max);
            }
            float shift = (float) (max + Math.log(sum));
            if (same) {
                for (int i = xo; i < xo + n; i++) o[i] = x[i] - shift;
            } else {
                for (int i = 0; i < n; i++) o[oo + i * os] = x[xo + i * xs] - shift;
            }
        } else {
            if (same) {
                FloatExp.exp(x, xo, max, 1.0, o, oo, n);
                sum = ReduceKernels.sumF(o, oo, n);
            } else {
                for (int i = 0; i < n; i++) {
                    float e = (float) FloatExp.exp(x[xo + i * xs] - max);
                    o[oo + i * os] = e;
                    sum += e;
                }
            }
            float inv = (float) (1.0 / sum);
            for (int i = 0; i < n; i++) o[oo + i * os] *= inv;
        }
    }

    private static void lineD(double[] x, int xo, int xs, double[] o, int oo, int os, int n, boolean log) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, x[xo + i * xs]);
        if (max == Double.NEGATIVE_INFINITY) max = 0;
        double sum = 0;
        if (log) {
            for (int i = 0; i < n; i++) sum += Math.exp(x[xo + i * xs] - max);
            double shift = max + Math.log(sum);
            for (int i = 0; i < n; i++) o[oo + i * os] = x[xo + i * xs] - shift;
        } else {
            for (int i = 0; i < n; i++) {
                double e = Math.exp(x[xo + i * xs] - max);
                o[oo + i * os] = e;
                sum += e;
            }
            for (int i = 0; i < n; i++) o[oo + i * os] /= sum;
        }
    }

    /**
     * softmax: dx = y * (g - sum(g * y)); log-softmax: dx = g - exp(y) * sum(g).
     */
    static void backward(StridedView grad, StridedView y, int dim, boolean log, StridedView out) {
        int n = y.shape()[dim];
        int gs = grad.strides()[dim];
        int ys = y.strides()[dim];
        int os = out.strides()[dim];
        Object ga = grad.storage().array();
        Object ya = y.storage().array();
        Object oa = out.storage().array();
        forEachLine(new StridedView[] {out, grad, y}, dim, n, s -> {
            int oo = s[0];
            int go = s[1];
            int yo = s[2];
            if (ga instanceof float[] g) {
                float[] yv = (float[]) ya;
                float[] o = (float[]) oa;
                double acc = 0;
                if (log) {
                    if (gs == 1) acc = ReduceKernels.sumF(g, go, n);
                    else for (int i = 0; i < n; i++) acc += g[go + i * gs];
                    if (gs == 1 && ys == 1 && os == 1) {
                        FloatExp.subtractExp(g, go, yv, yo, acc, o, oo, n);
                    } else {
                        for (int i = 0; i < n; i++) o[oo + i * os] = (float) (g[go + i * gs] - FloatExp.exp(yv[yo + i * ys]) * acc);
                    }
                } else {
                    for (int i = 0; i < n; i++) acc += (double) g[go + i * gs] * yv[yo + i * ys];
                    for (int i = 0; i < n; i++) o[oo + i * os] = (float) (yv[yo + i * ys] * (g[go + i * gs] - acc));
                }
            } else {
                double[] g = (double[]) ga;
                double[] yv = (double[]) ya;
                double[] o = (double[]) oa;
                double acc = 0;
                if (log) {
                    for (int i = 0; i < n; i++) acc += g[go + i * gs];
                    for (int i = 0; i < n; i++) o[oo + i * os] = g[go + i * gs] - Math.exp(yv[yo + i * ys]) * acc;
                } else {
                    for (int i = 0; i < n; i++) acc += g[go + i * gs] * yv[yo + i * ys];
                    for (int i = 0; i < n; i++) o[oo + i * os] = yv[yo + i * ys] * (g[go + i * gs] - acc);
                }
            }
        });
    }
}
