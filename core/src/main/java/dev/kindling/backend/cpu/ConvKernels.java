package dev.kindling.backend.cpu;

import dev.kindling.backend.Conv2dGeometry;
import dev.kindling.tensor.Tensor;

/**
 * im2col, col2im and max-pool index kernels over contiguous array-backed [N, C, H, W] tensors.
 * Work is split over (image, channel) planes: each plane's rows of the column matrix belong to it
 * alone, so col2im's accumulation needs no synchronisation. Unit-stride rows copy their in-bounds
 * span with {@link System#arraycopy}.
 */
final class ConvKernels {
    private ConvKernels() {}

    static void im2col(Tensor x, Conv2dGeometry g, Tensor cols) {
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

    static void col2im(Tensor cols, Conv2dGeometry g, Tensor x) {
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

    static void maxPool2dIndices(Tensor x, Conv2dGeometry g, Tensor indices) {
        int n = x.shape()[0];
        int c = g.channels();
        int h = g.height();
        int w = g.width();
        int oh = g.outH();
        int ow = g.outW();
        int plane = h * w;
        Object xa = x.storage().array();
        long[] ia = (long[]) indices.storage().array();
        int xo = x.storageOffset();
        int io = indices.storageOffset();
        Parallel.forRange((long) n * c, Math.max(1, Parallel.GRAIN / Math.max(1, g.kernelH() * g.kernelW() * oh * ow)), (from, to) -> {
            for (long nc = from; nc < to; nc++) {
                int xBase = xo + (int) nc * plane;
                int iBase = io + (int) nc * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int best = -1;
                        double bestVal = Double.NEGATIVE_INFINITY;
                        for (int ki = 0; ki < g.kernelH(); ki++) {
                            int iy = oy * g.strideH() - g.padH() + ki * g.dilationH();
                            if (iy < 0 || iy >= h) continue;
                            for (int kj = 0; kj < g.kernelW(); kj++) {
                                int ix = ox * g.strideW() - g.padW() + kj * g.dilationW();
                                if (ix < 0 || ix >= w) continue;
                                double v = xa instanceof float[] f ? f[xBase + iy * w + ix] : ((double[]) xa)[xBase + iy * w + ix];
                                if (best < 0 || v > bestVal || (v != v && bestVal == bestVal)) {
                                    best = iy * w + ix;
                                    bestVal = v;
                                }
                            }
                        }
                        ia[iBase + oy * ow + ox] = best;
                    }
                }
            }
        });
    }
}
