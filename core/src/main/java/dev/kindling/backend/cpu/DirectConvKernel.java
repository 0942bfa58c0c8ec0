package dev.kindling.backend.cpu;

import dev.kindling.backend.Conv2dGeometry;
import dev.kindling.backend.StridedView;
import dev.kindling.tensor.DType;

import java.util.Arrays;

/**
 * conv2d forward and backward for few channels (LeNet-5's 1->6 and 6->16 5x5 layers), float32,
 * stride 1, no dilation, one group: direct convolution, no im2col and no BLAS. With so few
 * channels the im2col GEMMs are tiny (6 x 784 x 25 per image) and BLAS call overhead and the
 * column matrix (25 or 150 times the image) cost more than the arithmetic.
 *
 * <p>The input is copied once into a zero-padded buffer whose rows are {@code W + 2 pad} wide, and
 * every image plane is treated as one flat row: output element (y, x) of a plane is then
 * {@code sum over taps w[tap] * in[y * rowWidth + x + tapOffset]}, so each kernel tap is one
 * multiply-add of a whole shifted plane into the output plane, a loop the JIT vectorises (plain
 * Java: core does not need {@code jdk.incubator.vector} on users' JVMs). The columns past the
 * output's width compute garbage that is never copied out; it costs {@code (kW - 1 + 2 pad) / (W + 2 pad)}
 * extra work. Four output channels share each load of the input.
 *
 * <ul>
 *   <li>Input gradient: the same loop over the output gradient padded by {@code k - 1 - pad}
 *       with the weights flipped and the channel axes swapped (a stride-1 transposed
 *       convolution is a full correlation).</li>
 *   <li>Weight gradient: per (output, input) channel and tap, the elementwise products of the
 *       output gradient (laid out with the padded input's row width, zeros past the output's
 *       width) and the shifted input plane are summed over the images into one plane, which is
 *       then summed. The zeros multiply real neighbouring values, so an infinite or NaN input
 *       anywhere in a plane makes that plane's weight gradient NaN, where the im2col path would
 *       keep some entries finite.</li>
 *   <li>Bias gradient: the output gradient summed over the images into one plane, then summed.</li>
 * </ul>
 * Work is split over (image, block of output channels) in the forward and input gradient, and
 * over (output, input) channel pairs in the weight gradient, so batch 1 is split too; every
 * sum runs in a fixed order, so results do not depend on the thread count.
 */
final class DirectConvKernel {
    /** Output channels computed together, sharing each input load. */
    private static final int BLOCK = 4;

    private DirectConvKernel() {}

    /**
     * True when this kernel runs: float32 contiguous Java arrays, stride 1, no dilation, padding
     * below the kernel size, and few channels (the product of input and output channels at most
     * 128: LeNet-5's 1x6 and 6x16; wider layers go to the GEMM path, where BLAS pays).
     */
    static boolean supports(Conv2dGeometry g, int outChannels, StridedView... operands) {
        if (g.strideH() != 1 || g.strideW() != 1 || g.dilationH() != 1 || g.dilationW() != 1) return false;
        if (g.padH() >= g.kernelH() || g.padW() >= g.kernelW()) return false;
        if ((long) g.channels() * outChannels > 128) return false;
        for (StridedView v : operands) {
            if (v == null) continue;
            if (v.dtype() != DType.FLOAT32 || !v.storage().isArrayBacked() || !v.isContiguous()) return false;
        }
        return true;
    }

    static void forward(StridedView x, StridedView w, StridedView bias, Conv2dGeometry g, StridedView out) {
        int n = x.shape()[0];
        int o = w.shape()[0];
        Padded in = Padded.of(array(x), x.storageOffset(), n, g.channels(), g.height(), g.width(), g.padH(), g.padW(), g.kernelW());
        float[] b = bias == null ? null : array(bias);
        int bo = bias == null ? 0 : bias.storageOffset();
        correlate(in, n, array(w), w.storageOffset(), o, g.kernelH(), g.kernelW(), b, bo, array(out), out.storageOffset(),
                g.outH(), g.outW());
    }

    static void backward(StridedView gradOut, StridedView x, StridedView w, Conv2dGeometry g, StridedView gradInput,
                         StridedView gradWeight, StridedView gradBias) {
        int n = x.shape()[0];
        int o = w.shape()[0];
        int c = g.channels();
        int kh = g.kernelH();
        int kw = g.kernelW();
        float[] go = array(gradOut);
        int goAt = gradOut.storageOffset();
        if (gradInput != null) {
            Padded gp = Padded.of(go, goAt, n, o, g.outH(), g.outW(), kh - 1 - g.padH(), kw - 1 - g.padW(), kw);
            float[] flipped = flipped(array(w), w.storageOffset(), o, c, kh, kw);
            correlate(gp, n, flipped, 0, c, kh, kw, null, 0, array(gradInput), gradInput.storageOffset(), g.height(), g.width());
        }
        if (gradWeight != null) {
            Padded in = Padded.of(array(x), x.storageOffset(), n, c, g.height(), g.width(), g.padH(), g.padW(), kw);
            weightGrad(go, goAt, in, n, o, c, kh, kw, g.outH(), g.outW(), array(gradWeight), gradWeight.storageOffset());
        }
        if (gradBias != null) biasGrad(go, goAt, n, o, g.outH() * g.outW(), array(gradBias), gradBias.storageOffset());
    }

    /**
     * An [N, C, H + 2 padH, W + 2 padW] zero-padded copy, planes back to back, with kW spare
     * elements at the end so the last plane's flat shifted reads stay inside the array.
     */
    private record Padded(float[] data, int channels, int height, int width) {
        static Padded of(float[] src, int at, int n, int c, int h, int w, int padH, int padW, int kw) {
            int ph = h + 2 * padH;
            int pw = w + 2 * padW;
            float[] data = new float[n * c * ph * pw + kw];
            for (int plane = 0; plane < n * c; plane++) {
                int from = at + plane * h * w;
                int to = plane * ph * pw + padH * pw + padW;
                for (int y = 0; y < h; y++) System.arraycopy(src, from + y * w, data, to + y * pw, w);
            }
            return new Padded(data, c, ph, pw);
        }

        int plane() { return height * width; }
    }

    /**
     * out[i, oc] = bias[oc] + the valid correlation of in[i] with w[oc] ([outC, inC, kh, kw] at
     * wAt), out dense [n, outC, outH, outW] at outAt.
     */
    private static void correlate(Padded in, int n, float[] w, int wAt, int outC, int kh, int kw, float[] bias, int biasAt,
                                  float[] out, int outAt, int outH, int outW) {
        int inC = in.channels();
        int blocks = (outC + BLOCK - 1) / BLOCK;
        int flat = outH * in.width();
        Parallel.forRange((long) n * blocks, 1, (from, to) -> {
            float[][] acc = new float[BLOCK][flat];
            for (long unit = from; unit < to; unit++) {
                int img = (int) (unit / blocks);
                int oc0 = (int) (unit % blocks) * BLOCK;
                int count = Math.min(BLOCK, outC - oc0);
                for (int j = 0; j < count; j++) Arrays.fill(acc[j], bias == null ? 0f : bias[biasAt + oc0 + j]);
                for (int ci = 0; ci < inC; ci++) {
                    int planeAt = (img * inC + ci) * in.plane();
                    for (int ki = 0; ki < kh; ki++) {
                        for (int kj = 0; kj < kw; kj++) {
                            int xAt = planeAt + ki * in.width() + kj;
                            int tap = (ci * kh + ki) * kw + kj;
                            int wStride = inC * kh * kw;
                            int w0 = wAt + oc0 * wStride + tap;
                            if (count == BLOCK) {
                                multiplyAdd4(in.data(), xAt, w[w0], w[w0 + wStride], w[w0 + 2 * wStride],
                                        w[w0 + 3 * wStride], acc[0], acc[1], acc[2], acc[3], flat);
                            } else {
                                for (int j = 0; j < count; j++) multiplyAdd(in.data(), xAt, w[w0 + j * wStride], acc[j], flat);
                            }
                        }
                    }
                }
                for (int j = 0; j < count; j++) {
                    int dst = outAt + ((img * outC) + oc0 + j) * outH * outW;
                    for (int y = 0; y < outH; y++) System.arraycopy(acc[j], y * in.width(), out, dst + y * outW, outW);
                }
            }
        });
    }

    /** acc[p] += a * x[xAt + p] for p < len: the loop the JIT turns into vector multiply-adds. */
    private static void multiplyAdd(float[] x, int xAt, float a, float[] acc, int len) {
        for (int p = 0; p < len; p++) acc[p] += a * x[xAt + p];
    }

    /** Four output channels' multiply-adds sharing each load of x. */
    private static void multiplyAdd4(float[] x, int xAt, float a0, float a1, float a2, float a3, float[] acc0,
                                     float[] acc1, float[] acc2, float[] acc3, int len) {
        for (int p = 0; p < len; p++) {
            float v = x[xAt + p];
            acc0[p] += a0 * v;
            acc1[p] += a1 * v;
            acc2[p] += a2 * v;
            acc3[p] += a3 * v;
        }
    }

    /** w [o, c, kh, kw] at wAt as [c, o, kh, kw] with each kernel rotated by 180 degrees. */
    private static float[] flipped(float[] w, int wAt, int o, int c, int kh, int kw) {
        float[] f = new float[o * c * kh * kw];
        for (int oc = 0; oc < o; oc++) {
            for (int ci = 0; ci < c; ci++) {
                for (int t = 0; t < kh * kw; t++) {
                    f[(ci * o + oc) * kh * kw + t] = w[wAt + (oc * c + ci) * kh * kw + kh * kw - 1 - t];
                }
            }
        }
        return f;
    }

    /**
     * gw[oc, ci, ki, kj] = sum over images and output positions of gradOut times the input at the
     * tap's shift. gradOut is first laid out with the padded input's row width (zeros past outW).
     */
    private static void weightGrad(float[] go, int goAt, Padded in, int n, int o, int c, int kh, int kw, int outH, int outW,
                                   float[] gw, int gwAt) {
        int flat = outH * in.width();
        float[] wide = new float[n * o * flat];
        for (int plane = 0; plane < n * o; plane++) {
            for (int y = 0; y < outH; y++) System.arraycopy(go, goAt + (plane * outH + y) * outW, wide, plane * flat + y * in.width(), outW);
        }
        int taps = kh * kw;
        Parallel.forRange((long) o * c, 1, (from, to) -> {
            float[] products = new float[flat];
            for (long unit = from; unit < to; unit++) {
                int oc = (int) (unit / c);
                int ci = (int) (unit % c);
                for (int t = 0; t < taps; t++) {
                    Arrays.fill(products, 0f);
                    int shift = (t / kw) * in.width() + t % kw;
                    for (int img = 0; img < n; img++) {
                        int gAt = (img * o + oc) * flat;
                        int xAt = (img * c + ci) * in.plane() + shift;
                        multiplyAddProducts(wide, gAt, in.data(), xAt, products, flat);
                    }
                    gw[gwAt + (oc * c + ci) * taps + t] = sum(products, 0, flat);
                }
            }
        });
    }

    /** acc[p] += g[gAt + p] * x[xAt + p] for p < len. */
    private static void multiplyAddProducts(float[] g, int gAt, float[] x, int xAt, float[] acc, int len) {
        for (int p = 0; p < len; p++) acc[p] += g[gAt + p] * x[xAt + p];
    }

    /** gb[oc] = the sum of gradOut's plane oc over all images. */
    private static void biasGrad(float[] go, int goAt, int n, int o, int plane, float[] gb, int gbAt) {
        float[] planeSum = new float[plane];
        for (int oc = 0; oc < o; oc++) {
            Arrays.fill(planeSum, 0f);
            for (int img = 0; img < n; img++) {
                int at = goAt + (img * o + oc) * plane;
                for (int p = 0; p < plane; p++) planeSum[p] += go[at + p];
            }
            gb[gbAt + oc] = sum(planeSum, 0, plane);
        }
    }

    /** A sum in eight interleaved partial sums, so the adds do not wait on each other. */
    private static float sum(float[] a, int at, int len) {
        float[] part = new float[8];
        int p = 0;
        for (; p + 8 <= len; p += 8) {
            for (int j = 0; j < 8; j++) part[j] += a[at + p + j];
        }
        float s = 0f;
        for (; p < len; p++) s += a[at + p];
        for (float v : part) s += v;
        return s;
    }

    private static float[] array(StridedView v) {
        return (float[]) v.storage().array();
    }
}
