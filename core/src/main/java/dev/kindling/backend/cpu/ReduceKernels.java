package dev.kindling.backend.cpu;

import dev.kindling.backend.ReduceOp;
import dev.kindling.backend.StridedView;
import dev.kindling.tensor.Storage;

import java.util.Arrays;

/**
 * Reductions along any set of dims, and cumulative sums, over array-backed float32, float64 and
 * int64 tensors (the backend converts narrower integer types first).
 *
 * <p>When the reduced dims form one strided run in memory, each output element is reduced in place:
 * <em>row</em> mode when the run is contiguous (a sum over the last dim), <em>column</em> mode
 * otherwise, which walks the kept dims in the inner loop so that memory is read in order (a sum over
 * the batch dim). Other layouts are first permuted to "kept dims, then reduced dims" and copied.
 * float32 accumulates in double: sums over millions of elements stay accurate to float precision.
 */
final class ReduceKernels {
    private ReduceKernels() {}

    /** out has x's rank, size 1 at each reduced dim; x is float[], double[] or long[] backed. */
    static void reduce(ReduceOp op, StridedView x, int[] dims, StridedView out) {
        int[] shape = x.shape();
        int[] strides = x.strides();
        boolean[] isReduced = new boolean[shape.length];
        for (int d : dims) isReduced[d] = true;

        // Try to describe the reduced dims as one run (size R, stride rs).
        Integer[] red = Arrays.stream(dims).filter(d -> shape[d] != 1).boxed().toArray(Integer[]::new);
        Arrays.sort(red, (p, q) -> Integer.compare(Math.abs(strides[q]), Math.abs(strides[p])));
        long r = 1;
        int rs = 1;
        boolean single = true;
        for (int i = 0; i < red.length; i++) {
            int d = red[i];
            if (i > 0 && strides[red[i - 1]] != strides[d] * shape[d]) single = false;
            r *= shape[d];
            rs = strides[d];
            // Arg-reductions number the reduced elements in row-major order, so the run must follow it.
            if (i > 0 && red[i - 1] > d && (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN)) single = false;
        }
        if (!single) {
            // Permute kept dims first, reduced last, and make contiguous: the reduced block becomes one row.
            int[] perm = new int[shape.length];
            int j = 0;
            for (int d = 0; d < shape.length; d++) if (!isReduced[d]) perm[j++] = d;
            for (int d = 0; d < shape.length; d++) if (isReduced[d]) perm[j++] = d;
            int[] pShape = new int[shape.length];
            int[] pStrides = new int[shape.length];
            for (int i = 0; i < perm.length; i++) {
                pShape[i] = shape[perm[i]];
                pStrides[i] = strides[perm[i]];
            }
            StridedView permuted = x.viewOf(pShape, pStrides, x.storageOffset());
            StridedView contiguous = StridedView.of(Storage.allocate(x.dtype(), x.numel()), pShape);
            CopyKernels.copy(permuted, contiguous);
            int[] newDims = new int[dims.length];
            for (int i = 0; i < dims.length; i++) newDims[i] = shape.length - dims.length + i;
            int[] oShape = new int[shape.length];
            int[] oStrides = new int[shape.length];
            int[] os = out.strides();
            for (int i = 0; i < perm.length; i++) {
                oShape[i] = isReduced[perm[i]] ? 1 : shape[perm[i]];
                oStrides[i] = os[perm[i]];
            }
            reduce(op, contiguous, newDims, out.viewOf(oShape, oStrides, out.storageOffset()));
            return;
        }
        int reduceSize = (int) r;
        int reduceStride = red.length == 0 ? 1 : rs;

        int[] keptShape = shape.clone();
        for (int d : dims) keptShape[d] = 1;
        StridedIter it = StridedIter.of(keptShape, new int[] {out.storageOffset(), x.storageOffset()},
                out.strides(), strides);
        int os = it.innerStride(0);
        int xs = it.innerStride(1);
        Object xa = x.storage().array();
        Object oa = out.storage().array();

        if (it.numel() < Parallel.threads() && reduceStride == 1 && reduceSize >= 4 * Parallel.GRAIN
                && op == ReduceOp.SUM && !(xa instanceof long[])) {
            // Few outputs, long rows: split each row across threads.
            it.forEach(0, it.numel(), (offs, len) -> {
                for (int i = 0; i < len; i++) {
                    double s = parallelRowSum(xa, offs[1] + i * xs, reduceSize);
                    store(oa, offs[0] + i * os, s);
                }
            });
            return;
        }
        long grain = Math.max(1, Parallel.GRAIN / Math.max(1, reduceSize));
        it.parallel(grain, (offs, len) -> {
            if (reduceStride == 1 || reduceSize == 1 || xs == 0 || len == 1) {
                for (int i = 0; i < len; i++) {
                    int xo = offs[1] + i * xs;
                    int oo = offs[0] + i * os;
                    switch (xa) {
                        case float[] a -> storeRow(op, oa, oo, rowF(op, a, xo, reduceStride, reduceSize));
                        case double[] a -> storeRow(op, oa, oo, rowD(op, a, xo, reduceStride, reduceSize));
                        case long[] a -> storeLong(oa, oo, rowL(op, a, xo, reduceStride, reduceSize));
                        default -> throw new IllegalStateException();
                    }
                }
            } else {
                columns(op, xa, offs[1], xs, reduceStride, reduceSize, oa, offs[0], os, len);
            }
        });
    }

    private static double parallelRowSum(Object xa, int off, int n) {
        int t = Parallel.threads();
        double[] partial = new double[t];
        Parallel.forRange(t, 1, (from, to) -> {
            for (long c = from; c < to; c++) {
                int s = (int) ((long) n * c / t);
                int e = (int) ((long) n * (c + 1) / t);
                partial[(int) c] = xa instanceof float[] a ? sumF(a, off + s, e - s) : sumD((double[]) xa, off + s, e - s);
            }
        });
        double s = 0;
        for (double p : partial) s += p;
        return s;
    }

    private static void store(Object oa, int oo, double v) {
        switch (oa) {
            case float[] o -> o[oo] = (float) v;
            case double[] o -> o[oo] = v;
            case long[] o -> o[oo] = (long) v;
            default -> throw new IllegalStateException();
        }
    }

    private static void storeRow(ReduceOp op, Object oa, int oo, double v) {
        if (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) ((long[]) oa)[oo] = (long) v;
        else store(oa, oo, v);
    }

    private static void storeLong(Object oa, int oo, long v) {
        ((long[]) oa)[oo] = v;
    }

    /** Contiguous float sum in double with four independent accumulators. */
    static double sumF(float[] a, int o, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[o + i];
            s1 += a[o + i + 1];
            s2 += a[o + i + 2];
            s3 += a[o + i + 3];
        }
        for (; i < n; i++) s0 += a[o + i];
        return (s0 + s1) + (s2 + s3);
    }

    static double sumD(double[] a, int o, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[o + i];
            s1 += a[o + i + 1];
            s2 += a[o + i + 2];
            s3 += a[o + i + 3];
        }
        for (; i < n; i++) s0 += a[o + i];
        return (s0 + s1) + (s2 + s3);
    }

    private static double rowF(ReduceOp op, float[] a, int o, int st, int n) {
        switch (op) {
            case SUM: {
                if (st == 1) return sumF(a, o, n);
                double s = 0;
                for (int i = 0; i < n; i++) s += a[o + i * st];
                return s;
            }
            case PROD: {
                double p = 1;
                for (int i = 0; i < n; i++) p *= a[o + i * st];
                return p;
            }
            case MAX: {
                float m = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    float v = a[o + i * st];
                    if (v != v) return Float.NaN;
                    if (v > m) m = v;
                }
                return m;
            }
            case MIN: {
                float m = Float.POSITIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    float v = a[o + i * st];
                    if (v != v) return Float.NaN;
                    if (v < m) m = v;
                }
                return m;
            }
            case ARGMAX, ARGMIN: {
                boolean max = op == ReduceOp.ARGMAX;
                float best = a[o];
                int idx = 0;
                if (best != best) return 0;
                for (int i = 1; i < n; i++) {
                    float v = a[o + i * st];
                    if (v != v) return i;
                    if (max ? v > best : v < best) { best = v; idx = i; }
                }
                return idx;
            }
            default:
                throw new IllegalStateException("reduce " + op);
        }
    }

    private static double rowD(ReduceOp op, double[] a, int o, int st, int n) {
        switch (op) {
            case SUM: {
                if (st == 1) return sumD(a, o, n);
                double s = 0;
                for (int i = 0; i < n; i++) s += a[o + i * st];
                return s;
            }
            case PROD: {
                double p = 1;
                for (int i = 0; i < n; i++) p *= a[o + i * st];
                return p;
            }
            case MAX: {
                double m = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    double v = a[o + i * st];
                    if (v != v) return Double.NaN;
                    if (v > m) m = v;
                }
                return m;
            }
            case MIN: {
                double m = Double.POSITIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    double v = a[o + i * st];
                    if (v != v) return Double.NaN;
                    if (v < m) m = v;
                }
                return m;
            }
            case ARGMAX, ARGMIN: {
                boolean max = op == ReduceOp.ARGMAX;
                double best = a[o];
                int idx = 0;
                if (best != best) return 0;
                for (int i = 1; i < n; i++) {
                    double v = a[o + i * st];
                    if (v != v) return i;
                    if (max ? v > best : v < best) { best = v; idx = i; }
                }
                return idx;
            }
            default:
                throw new IllegalStateException("reduce " + op);
        }
    }

    private static long rowL(ReduceOp op, long[] a, int o, int st, int n) {
        switch (op) {
            case SUM: {
                long s = 0;
                for (int i = 0; i < n; i++) s += a[o + i * st];
                return s;
            }
            case PROD: {
                long p = 1;
                for (int i = 0; i < n; i++) p *= a[o + i * st];
                return p;
            }
            case MAX: {
                long m = Long.MIN_VALUE;
                for (int i = 0; i < n; i++) m = Math.max(m, a[o + i * st]);
                return m;
            }
            case MIN: {
                long m = Long.MAX_VALUE;
                for (int i = 0; i < n; i++) m = Math.min(m, a[o + i * st]);
                return m;
            }
            case ARGMAX, ARGMIN: {
                boolean max = op == ReduceOp.ARGMAX;
                long best = a[o];
                int idx = 0;
                for (int i = 1; i < n; i++) {
                    long v = a[o + i * st];
                    if (max ? v > best : v < best) { best = v; idx = i; }
                }
                return idx;
            }
            default:
                throw new IllegalStateException("reduce " + op);
        }
    }

    /**
     * Column mode: len outputs whose inputs are xs apart, each reducing n values rs apart. The inner
     * loop runs over the outputs, so consecutive reads are xs (usually 1) apart.
     */
    private static void columns(ReduceOp op, Object xa, int xo, int xs, int rs, int n, Object oa, int oo, int os, int len) {
        boolean arg = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
        if (xa instanceof long[] a) {
            long[] acc = new long[len];
            long[] idx = arg ? new long[len] : null;
            for (int i = 0; i < len; i++) acc[i] = a[xo + i * xs];
            for (int r = 1; r < n; r++) {
                int base = xo + r * rs;
                for (int i = 0; i < len; i++) {
                    long v = a[base + i * xs];
                    switch (op) {
                        case SUM -> acc[i] += v;
                        case PROD -> acc[i] *= v;
                        case MAX -> acc[i] = Math.max(acc[i], v);
                        case MIN -> acc[i] = Math.min(acc[i], v);
                        case ARGMAX -> { if (v > acc[i]) { acc[i] = v; idx[i] = r; } }
                        case ARGMIN -> { if (v < acc[i]) { acc[i] = v; idx[i] = r; } }
                        default -> throw new IllegalStateException("reduce " + op);
                    }
                }
            }
            long[] o = (long[]) oa;
            for (int i = 0; i < len; i++) o[oo + i * os] = arg ? idx[i] : acc[i];
            return;
        }
        double[] acc = new double[len];
        long[] idx = arg ? new long[len] : null;
        if (xa instanceof float[] a && op == ReduceOp.SUM && xs == 1) {
            for (int r = 0; r < n; r++) {
                int base = xo + r * rs;
                for (int i = 0; i < len; i++) acc[i] += a[base + i];
            }
        } else {
            for (int i = 0; i < len; i++) acc[i] = read(xa, xo + i * xs);
            boolean[] nan = arg ? new boolean[len] : null;
            if (arg) for (int i = 0; i < len; i++) nan[i] = acc[i] != acc[i];
            for (int r = 1; r < n; r++) {
                int base = xo + r * rs;
                for (int i = 0; i < len; i++) {
                    double v = read(xa, base + i * xs);
                    switch (op) {
                        case SUM -> acc[i] += v;
                        case PROD -> acc[i] *= v;
                        case MAX -> acc[i] = v != v || acc[i] != acc[i] ? Double.NaN : Math.max(acc[i], v);
                        case MIN -> acc[i] = v != v || acc[i] != acc[i] ? Double.NaN : Math.min(acc[i], v);
                        case ARGMAX, ARGMIN -> {
                            if (!nan[i] && (v != v || (op == ReduceOp.ARGMAX ? v > acc[i] : v < acc[i]))) {
                                acc[i] = v;
                                idx[i] = r;
                                nan[i] = v != v;
                            }
                        }
                        default -> throw new IllegalStateException("reduce " + op);
                    }
                }
            }
        }
        for (int i = 0; i < len; i++) {
            if (arg) ((long[]) oa)[oo + i * os] = idx[i];
            else store(oa, oo + i * os, acc[i]);
        }
    }

    private static double read(Object xa, int i) {
        return xa instanceof float[] a ? a[i] : ((double[]) xa)[i];
    }

    /** out = cumulative sum along dim (float32 accumulates in double). */
    static void cumsum(StridedView x, int dim, StridedView out) {
        int[] shape = x.shape();
        int n = shape[dim];
        int xst = x.strides()[dim];
        int ost = out.strides()[dim];
        int[] lines = shape.clone();
        lines[dim] = 1;
        Object xa = x.storage().array();
        Object oa = out.storage().array();
        StridedIter it = StridedIter.of(lines, new int[] {out.storageOffset(), x.storageOffset()}, out.strides(), x.strides());
        int os = it.innerStride(0);
        int xs = it.innerStride(1);
        it.parallel(Math.max(1, Parallel.GRAIN / Math.max(1, n)), (offs, len) -> {
            for (int i = 0; i < len; i++) {
                int xo = offs[1] + i * xs;
                int oo = offs[0] + i * os;
                switch (xa) {
                    case float[] a -> { float[] o = (float[]) oa; double s = 0; for (int j = 0; j < n; j++) { s += a[xo + j * xst]; o[oo + j * ost] = (float) s; } }
                    case double[] a -> { double[] o = (double[]) oa; double s = 0; for (int j = 0; j < n; j++) { s += a[xo + j * xst]; o[oo + j * ost] = s; } }
                    case long[] a -> { long[] o = (long[]) oa; long s = 0; for (int j = 0; j < n; j++) { s += a[xo + j * xst]; o[oo + j * ost] = s; } }
                    default -> throw new IllegalStateException();
                }
            }
        });
    }
}
