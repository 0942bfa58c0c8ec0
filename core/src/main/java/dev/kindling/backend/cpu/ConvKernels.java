package dev.kindling.backend.cpu;

import dev.kindling.backend.Conv2dGeometry;
import dev.kindling.backend.StridedView;

/**
 * im2col, col2im and max-pool index kernels over contiguous array-backed [N, C, H, W] tensors.
 * Work is split over (image, channel) planes: each plane's rows of the column matrix belong to it
 * alone, so col2im's accumulation needs no synchronisation. Unit-stride rows copy their in-bounds
 * span with {@link System#arraycopy}.
 */
final class ConvKernels {
    private ConvKernels() {}

    static void im2col(StridedView x, Conv2dGeometry g, StridedView cols) {
        int n = x.shape()[0];
        int c = g.channels();
        int h = g.height();
        int w = g.width();
        int oh = g.outH();
        int ow = g.outW();
        int kh = g.kernelH();
        int kw = g.kernelW();
        int plane = h * w;
        int l = oh * ow;
        Object xa = x.storage().array();
        Object ca = cols.storage().array();
        int xo = x.storageOffset();
        int co = cols.storageOffset();
        Parallel.forRange((long) n * c, Math.max(1, Parallel.GRAIN / Math.max(1, kh * kw * l)), (from, to) -> {
            for (long nc = from; nc < to; nc++) {
                int img = (int) (nc / c);
                int ch = (int) (nc % c);
                int xBase = xo + (img * c + ch) * plane;
                int rowBase = co + (img * c * kh * kw + ch * kh * kw) * l;
                for (int ki = 0; ki < kh; ki++) {
                    for (int kj = 0; kj < kw; kj++) {
                        int row = rowBase + (ki * kw + kj) * l;
                        if (ca instanceof float[] cf && ow == w && g.strideH() == 1 && g.strideW() == 1) {
                            tapRowsF((float[]) xa, xBase, w, h, cf, row, oh, ki * g.dilationH() - g.padH(),
                                    kj * g.dilationW() - g.padW());
                            continue;
                        }
                        if (ca instanceof float[] cf && g.strideW() == 1) {
                            tapRowsStride1F((float[]) xa, xBase, w, h, cf, row, oh, ow, ki * g.dilationH() - g.padH(),
                                    g.strideH(), kj * g.dilationW() - g.padW());
                            continue;
                        }
                        for (int oy = 0; oy < oh; oy++) {
                            int iy = oy * g.strideH() - g.padH() + ki * g.dilationH();
                            int dst = row + oy * ow;
                            if (iy < 0 || iy >= h) {
                                zero(ca, dst, ow);
                                continue;
                            }
                            copyRow(xa, xBase + iy * w, w, ca, dst, ow, kj * g.dilationW() - g.padW(), g.strideW());
                        }
                    }
                }
            }
        });
    }

    /**
     * One kernel tap's block of im2col rows when output rows are as wide as input rows and both
     * strides are 1 (a "same" convolution): output row oy reads input row oy + dy shifted by
     * shift, so all in-range rows are one contiguous copy; then the few columns per row that fall
     * outside the input (copied from the neighbouring row) are zeroed. One copy per tap instead of
     * a copy and two fills per output row, which dominate for rows of a few dozen floats.
     */
    private static void tapRowsF(float[] src, int xBase, int w, int h, float[] dst, int row, int oh, int dy, int shift) {
        int yLo = Math.max(0, -dy);
        int yHi = Math.min(oh - 1, h - 1 - dy);
        int lo = Math.max(0, -shift);
        int hi = Math.min(w - 1, w - 1 - shift);
        if (yLo > yHi || lo > hi) {
            java.util.Arrays.fill(dst, row, row + oh * w, 0f);
            return;
        }
        java.util.Arrays.fill(dst, row, row + yLo * w, 0f);
        java.util.Arrays.fill(dst, row + (yHi + 1) * w, row + oh * w, 0f);
        int first = row + yLo * w + lo;
        int last = row + yHi * w + hi;
        System.arraycopy(src, xBase + (yLo + dy) * w + lo + shift, dst, first, last - first + 1);
        for (int oy = yLo; oy <= yHi; oy++) {
            int r = row + oy * w;
            for (int ox = 0; ox < lo; ox++) dst[r + ox] = 0f;
            for (int ox = hi + 1; ox < w; ox++) dst[r + ox] = 0f;
        }
    }

    /**
     * One kernel tap's block of im2col rows for a unit column stride: the in-bounds column span
     * [lo, hi] is the same for every output row of the tap, so it is found once (no division per
     * row, which cost more than copying a LeNet row of 10 floats), and each row is a copy plus
     * zeroed edges.
     */
    private static void tapRowsStride1F(float[] src, int xBase, int w, int h, float[] dst, int row, int oh, int ow, int dy,
                                        int strideH, int shift) {
        int lo = Math.max(0, -shift);
        int hi = Math.min(ow - 1, w - 1 - shift);
        for (int oy = 0; oy < oh; oy++) {
            int iy = oy * strideH + dy;
            int d = row + oy * ow;
            if (iy < 0 || iy >= h || lo > hi) {
                java.util.Arrays.fill(dst, d, d + ow, 0f);
                continue;
            }
            for (int ox = 0; ox < lo; ox++) dst[d + ox] = 0f;
            int s = xBase + iy * w + shift;
            if (hi - lo >= SHORT_ROW) System.arraycopy(src, s + lo, dst, d + lo, hi - lo + 1);
            else for (int ox = lo; ox <= hi; ox++) dst[d + ox] = src[s + ox];
            for (int ox = hi + 1; ox < ow; ox++) dst[d + ox] = 0f;
        }
    }

    /** Rows shorter than this are copied by a loop: System.arraycopy's stub costs more for a few floats. */
    private static final int SHORT_ROW = 64;

    /** dst[ox] = src[ox * stride + shift] where 0 <= that < width, else 0. */
    private static void copyRow(Object src, int srcRow, int width, Object dst, int dstRow, int ow, int shift, int stride) {
        // ox range whose input index lies inside [0, width)
        int lo = shift >= 0 ? 0 : (-shift + stride - 1) / stride;
        int hi = width - 1 - shift < 0 ? -1 : Math.min(ow - 1, (width - 1 - shift) / stride);
        if (lo > hi) {
            zero(dst, dstRow, ow);
            return;
        }
        zero(dst, dstRow, lo);
        zero(dst, dstRow + hi + 1, ow - hi - 1);
        if (stride == 1) {
            System.arraycopy(src, srcRow + lo + shift, dst, dstRow + lo, hi - lo + 1);
            return;
        }
        switch (dst) {
            case float[] d -> { float[] s = (float[]) src; for (int ox = lo; ox <= hi; ox++) d[dstRow + ox] = s[srcRow + ox * stride + shift]; }
            case double[] d -> { double[] s = (double[]) src; for (int ox = lo; ox <= hi; ox++) d[dstRow + ox] = s[srcRow + ox * stride + shift]; }
            default -> throw new IllegalStateException("im2col: unsupported array " + dst.getClass().getSimpleName());
        }
    }

    private static void zero(Object a, int from, int len) {
        if (len <= 0) return;
        switch (a) {
            case float[] f -> java.util.Arrays.fill(f, from, from + len, 0f);
            case double[] d -> java.util.Arrays.fill(d, from, from + len, 0.0);
            default -> throw new IllegalStateException("im2col: unsupported array " + a.getClass().getSimpleName());
        }
    }

    static void col2im(StridedView cols, Conv2dGeometry g, StridedView x) {
        int n = x.shape()[0];
        int c = g.channels();
        int h = g.height();
        int w = g.width();
        int oh = g.outH();
        int ow = g.outW();
        int kh = g.kernelH();
        int kw = g.kernelW();
        int plane = h * w;
        int l = oh * ow;
        Object xa = x.storage().array();
        Object ca = cols.storage().array();
        int xo = x.storageOffset();
        int co = cols.storageOffset();
        Parallel.forRange((long) n * c, Math.max(1, Parallel.GRAIN / Math.max(1, kh * kw * l)), (from, to) -> {
            for (long nc = from; nc < to; nc++) {
                int img = (int) (nc / c);
                int ch = (int) (nc % c);
                int xBase = xo + (img * c + ch) * plane;
                int rowBase = co + (img * c * kh * kw + ch * kh * kw) * l;
                for (int ki = 0; ki < kh; ki++) {
                    for (int kj = 0; kj < kw; kj++) {
                        int row = rowBase + (ki * kw + kj) * l;
                        int shift = kj * g.dilationW() - g.padW();
                        int stride = g.strideW();
                        int lo = shift >= 0 ? 0 : (-shift + stride - 1) / stride;
                        int hi = w - 1 - shift < 0 ? -1 : Math.min(ow - 1, (w - 1 - shift) / stride);
                        if (lo > hi) continue;
                        for (int oy = 0; oy < oh; oy++) {
                            int iy = oy * g.strideH() - g.padH() + ki * g.dilationH();
                            if (iy < 0 || iy >= h) continue;
                            int src = row + oy * ow;
                            int dst = xBase + iy * w + shift;
                            switch (xa) {
                                case float[] xf -> { float[] cf = (float[]) ca; for (int ox = lo; ox <= hi; ox++) xf[dst + ox * stride] += cf[src + ox]; }
                                case double[] xd -> { double[] cd = (double[]) ca; for (int ox = lo; ox <= hi; ox++) xd[dst + ox * stride] += cd[src + ox]; }
                                default -> throw new IllegalStateException("col2im: unsupported array " + xa.getClass().getSimpleName());
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * Max pooling over contiguous x: the flat index (h * W + w) of each window's maximum into
     * indices (first occurrence; a NaN wins; padding never wins) and, when values is not null, the
     * element at that index (so a -0.0 that won keeps its sign). Parallel over (image, channel)
     * planes.
     */
    static void maxPool2d(StridedView x, Conv2dGeometry g, StridedView values, StridedView indices) {
        int n = x.shape()[0];
        int c = g.channels();
        int plane = g.height() * g.width();
        int l = g.outH() * g.outW();
        Object xa = x.storage().array();
        long[] ia = (long[]) indices.storage().array();
        Object va = values == null ? null : values.storage().array();
        int xo = x.storageOffset();
        int io = indices.storageOffset();
        int vo = values == null ? 0 : values.storageOffset();
        Parallel.forRange((long) n * c, Math.max(1, Parallel.GRAIN / Math.max(1, g.kernelH() * g.kernelW() * l)), (from, to) -> {
            for (long nc = from; nc < to; nc++) {
                int xBase = xo + (int) nc * plane;
                int iBase = io + (int) nc * l;
                if (xa instanceof float[] xf) {
                    maxPoolPlaneF(xf, xBase, g, ia, iBase);
                    if (va != null) {
                        float[] vf = (float[]) va;
                        int vBase = vo + (int) nc * l;
                        for (int o = 0; o < l; o++) vf[vBase + o] = xf[xBase + (int) ia[iBase + o]];
                    }
                } else {
                    double[] xd = (double[]) xa;
                    maxPoolPlaneD(xd, xBase, g, ia, iBase);
                    if (va != null) {
                        double[] vd = (double[]) va;
                        int vBase = vo + (int) nc * l;
                        for (int o = 0; o < l; o++) vd[vBase + o] = xd[xBase + (int) ia[iBase + o]];
                    }
                }
            }
        });
    }

    /**
     * One float32 plane, in two passes over each window, neither of which branches on the data
     * (which element of a window is largest is a coin toss that a branch predictor mostly loses):
     * the maximum m by Math.max (NaN if the window holds one), then the first position holding m
     * (or the first NaN), found by a backward scan of conditional moves. -0.0 and 0.0 compare
     * equal, so the first zero wins, as with {@code >} comparisons. Each window only visits its
     * positions inside the input, so padding never wins.
     */
    private static void maxPoolPlaneF(float[] x, int base, Conv2dGeometry g, long[] idx, int iBase) {
        if (g.kernelH() == 2 && g.kernelW() == 2 && g.padH() == 0 && g.padW() == 0 && g.dilationH() == 1 && g.dilationW() == 1
                && (g.outH() - 1) * g.strideH() + 2 <= g.height() && (g.outW() - 1) * g.strideW() + 2 <= g.width()) {
            maxPoolPlane2x2F(x, base, g, idx, iBase);
            return;
        }
        int h = g.height();
        int w = g.width();
        int ow = g.outW();
        int dh = g.dilationH();
        int dw = g.dilationW();
        for (int oy = 0; oy < g.outH(); oy++) {
            int iy0 = oy * g.strideH() - g.padH();
            int kiLo = firstInside(iy0, dh);
            int kiHi = endInside(iy0, dh, g.kernelH(), h);
            for (int ox = 0; ox < ow; ox++) {
                int ix0 = ox * g.strideW() - g.padW();
                int kjLo = firstInside(ix0, dw);
                int kjHi = endInside(ix0, dw, g.kernelW(), w);
                float m = Float.NEGATIVE_INFINITY;
                for (int ki = kiLo; ki < kiHi; ki++) {
                    int row = base + (iy0 + ki * dh) * w + ix0;
                    for (int kj = kjLo; kj < kjHi; kj++) m = Math.max(m, x[row + kj * dw]);
                }
                boolean nan = m != m;
                int best = -1;
                for (int ki = kiHi - 1; ki >= kiLo; ki--) {
                    int rowAt = (iy0 + ki * dh) * w + ix0;
                    for (int kj = kjHi - 1; kj >= kjLo; kj--) {
                        int at = rowAt + kj * dw;
                        float v = x[base + at];
                        boolean hit = nan ? v != v : v == m;
                        best = hit ? at : best;
                    }
                }
                idx[iBase + oy * ow + ox] = best;
            }
        }
    }

    /**
     * {@link #maxPoolPlaneF} for 2x2 windows that all lie inside the input (no padding, no
     * dilation, no ceil-mode overhang; any stride), the pooling of nearly every CNN. The window is
     * unrolled by hand: C2 compiles loops with a small variable trip count poorly (the general
     * loops take ~20 ns per 2x2 window here, this ~4 ns).
     */
    private static void maxPoolPlane2x2F(float[] x, int base, Conv2dGeometry g, long[] idx, int iBase) {
        int w = g.width();
        int ow = g.outW();
        int sh = g.strideH();
        int sw = g.strideW();
        for (int oy = 0; oy < g.outH(); oy++) {
            int row = oy * sh * w;
            int out = iBase + oy * ow;
            for (int ox = 0; ox < ow; ox++) {
                int at = row + ox * sw;
                int p = base + at;
                float a = x[p];
                float b = x[p + 1];
                float c = x[p + w];
                float d = x[p + w + 1];
                float m = Math.max(Math.max(a, b), Math.max(c, d));
                boolean nan = m != m;
                int best = at + w + 1;
                best = (nan ? c != c : c == m) ? at + w : best;
                best = (nan ? b != b : b == m) ? at + 1 : best;
                best = (nan ? a != a : a == m) ? at : best;
                idx[out + ox] = best;
            }
        }
    }

    /** The first kernel tap k with start + k * dilation >= 0. */
    private static int firstInside(int start, int dilation) {
        return start >= 0 ? 0 : (-start + dilation - 1) / dilation;
    }

    /** One past the last kernel tap k < kernel with start + k * dilation < size. */
    private static int endInside(int start, int dilation, int kernel, int size) {
        int last = size - 1 - start;
        return last < 0 ? 0 : Math.min(kernel, last / dilation + 1);
    }

    /** One float64 plane, as {@link #maxPoolPlaneF}. */
    private static void maxPoolPlaneD(double[] x, int base, Conv2dGeometry g, long[] idx, int iBase) {
        int h = g.height();
        int w = g.width();
        int ow = g.outW();
        for (int oy = 0; oy < g.outH(); oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int best = -1;
                double bestVal = Double.NEGATIVE_INFINITY;
                for (int ki = 0; ki < g.kernelH(); ki++) {
                    int iy = oy * g.strideH() - g.padH() + ki * g.dilationH();
                    if (iy < 0 || iy >= h) continue;
                    for (int kj = 0; kj < g.kernelW(); kj++) {
                        int ix = ox * g.strideW() - g.padW() + kj * g.dilationW();
                        if (ix < 0 || ix >= w) continue;
                        int at = iy * w + ix;
                        double v = x[base + at];
                        if (best < 0 || v > bestVal || (v != v && bestVal == bestVal)) {
                            best = at;
                            bestVal = v;
                        }
                    }
                }
                idx[iBase + oy * ow + ox] = best;
            }
        }
    }

    /**
     * Max pooling's gradient: adds each grad element to the input position its window's maximum
     * came from, into gradInput (contiguous, zeroed by the caller). A position that wins several
     * overlapping windows receives their sum; planes are disjoint, so they run in parallel.
     */
    static void maxPool2dBackward(StridedView grad, StridedView indices, Conv2dGeometry g, StridedView gradInput) {
        int nc = gradInput.shape()[0] * g.channels();
        int plane = g.height() * g.width();
        int l = g.outH() * g.outW();
        Object ga = grad.storage().array();
        Object xa = gradInput.storage().array();
        long[] ia = (long[]) indices.storage().array();
        int go = grad.storageOffset();
        int xo = gradInput.storageOffset();
        int io = indices.storageOffset();
        Parallel.forRange(nc, Math.max(1, Parallel.GRAIN / Math.max(1, l)), (from, to) -> {
            for (long p = from; p < to; p++) {
                int xBase = xo + (int) p * plane;
                int gBase = go + (int) p * l;
                int iBase = io + (int) p * l;
                switch (xa) {
                    case float[] xf -> { float[] gf = (float[]) ga; for (int o = 0; o < l; o++) xf[xBase + (int) ia[iBase + o]] += gf[gBase + o]; }
                    case double[] xd -> { double[] gd = (double[]) ga; for (int o = 0; o < l; o++) xd[xBase + (int) ia[iBase + o]] += gd[gBase + o]; }
                    default -> throw new IllegalStateException("maxPool2dBackward: unsupported array " + xa.getClass().getSimpleName());
                }
            }
        });
    }
}
