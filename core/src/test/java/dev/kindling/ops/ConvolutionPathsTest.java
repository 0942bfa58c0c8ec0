package dev.kindling.ops;

import dev.kindling.backend.cpu.Parallel;
import dev.kindling.nn.functional.F;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * conv2d's one-group kernels (Winograd F(4x4, 3x3) for float32 3x3 stride-1 layers of at least 32
 * channels in and out, the direct Vector API kernel for float32 with at least 16 output
 * channels, per-image im2col + GEMM otherwise, 1x1 as a plain GEMM, images split across threads or
 * not) against a naive float64 loop over the definition, forward and all three
 * gradients, on odd shapes: strides, padding, dilation, rectangular kernels, batch 1, batches that
 * do not divide among the threads, a non-contiguous input, float32 and float64, on one thread and
 * on two. The grouped path (im2col of the whole batch + bmm, the old algorithm) is checked the same
 * way, and must agree with the dense kernel when groups = 1 is spelled as one group of a split.
 */
class ConvolutionPathsTest {

    /** n, c, h, w, o, kh, kw, strideH, strideW, padH, padW, dilH, dilW. */
    static List<int[]> shapes() {
        List<int[]> s = new ArrayList<>();
        s.add(new int[] {1, 1, 7, 6, 2, 3, 3, 1, 1, 1, 1, 1, 1});
        s.add(new int[] {3, 2, 8, 9, 4, 5, 5, 1, 1, 2, 2, 1, 1});   // LeNet-like, batch not divisible by 2
        s.add(new int[] {2, 3, 6, 6, 5, 1, 1, 1, 1, 0, 0, 1, 1});   // pointwise: no im2col
        s.add(new int[] {5, 4, 7, 7, 3, 1, 1, 2, 2, 0, 0, 1, 1});   // 1x1 stride 2 (ResNet downsample)
        s.add(new int[] {4, 3, 9, 8, 2, 3, 2, 2, 1, 1, 2, 2, 1});   // rectangular, stride, dilation
        s.add(new int[] {2, 2, 5, 5, 3, 3, 3, 3, 3, 0, 0, 1, 1});   // stride 3, no padding
        s.add(new int[] {6, 5, 6, 7, 6, 3, 3, 1, 1, 1, 1, 1, 1});   // "same" 3x3
        // LeNet-like few-channel shapes, batch 1, uneven padding up to k - 1, an even kernel.
        s.add(new int[] {3, 1, 12, 11, 6, 5, 5, 1, 1, 2, 2, 1, 1});  // LeNet conv1, 4 + 2 output channels
        s.add(new int[] {2, 6, 9, 10, 16, 5, 5, 1, 1, 0, 0, 1, 1});  // LeNet conv2
        s.add(new int[] {1, 3, 7, 9, 5, 3, 4, 1, 1, 2, 1, 1, 1});    // batch 1, rectangular, padding k - 1 / uneven
        s.add(new int[] {5, 2, 4, 3, 9, 2, 3, 1, 1, 1, 0, 1, 1});    // even kernel, output wider than tall
        // The direct kernel (float32, >= 16 output channels): channel groups of 64 + 16 and 32,
        // pixel counts that leave partial tiles, its input gradient (>= 16 input channels, stride 1,
        // padding <= k - 1) and the shapes whose input gradient falls back to the GEMM kernel.
        s.add(new int[] {3, 16, 7, 6, 20, 3, 3, 1, 1, 1, 1, 1, 1});  // 20 channels: one 32-wide group
        s.add(new int[] {2, 17, 6, 5, 70, 3, 3, 1, 1, 2, 0, 1, 1});  // 70 channels: 64 + 16, padding k - 1 / 0
        s.add(new int[] {1, 18, 9, 8, 33, 3, 2, 2, 1, 1, 1, 1, 1});  // batch 1, stride 2: GEMM input gradient
        s.add(new int[] {3, 16, 8, 8, 16, 3, 3, 1, 1, 2, 2, 2, 2});  // dilation 2: GEMM input gradient
        s.add(new int[] {2, 20, 6, 6, 48, 3, 3, 1, 1, 3, 3, 1, 1});  // padding > k - 1: GEMM input gradient
        s.add(new int[] {1, 32, 5, 5, 64, 3, 3, 1, 1, 1, 1, 1, 1});  // batch 1, 64 channels, blocks split
        s.add(new int[] {4, 6, 9, 9, 16, 5, 5, 1, 1, 0, 0, 1, 1});   // LeNet conv2: 6 input channels
        // Wider rows: 32 + 16 and 64 + 16 channels, a dilated kernel.
        s.add(new int[] {2, 16, 5, 16, 40, 3, 3, 1, 1, 1, 1, 1, 1});
        s.add(new int[] {1, 16, 4, 18, 70, 3, 3, 1, 1, 1, 1, 1, 1});
        s.add(new int[] {1, 16, 6, 30, 16, 3, 3, 1, 1, 2, 2, 2, 2});
        // Row tiles (stride and dilation 1 along the row): 5 wide over output rows of 17 = 12 + 5
        // pixels, forward and input gradient; vertical stride and dilation with a row-wise kernel.
        s.add(new int[] {2, 16, 6, 17, 16, 5, 5, 1, 1, 2, 2, 1, 1});
        s.add(new int[] {2, 16, 9, 14, 24, 3, 3, 2, 1, 1, 1, 2, 1});
        // Each row tile width: 14 (rows of 14 and 28, forward and input gradient), 12 (rows of 24,
        // 10 output channels: a direct forward below 16 channels), 10 (rows of 5, 6 and 17 above).
        s.add(new int[] {1, 16, 6, 14, 16, 5, 5, 1, 1, 2, 2, 1, 1});
        s.add(new int[] {1, 16, 4, 28, 16, 3, 3, 1, 1, 1, 1, 1, 1});
        s.add(new int[] {2, 4, 5, 24, 10, 3, 3, 1, 1, 1, 1, 1, 1});
        // Winograd F(4x4, 3x3) (3x3, stride 1, >= 32 channels in and out, output >= 8 x 8):
        // outputs that are not whole 4x4 blocks, 64 + 16 output channels, 32 + 16, 48 + ...,
        // input channels not a multiple of 16, padding 0, 2 and uneven, two blocks of tile rows
        // (the second partial), batch 1 with its blocks split, and input gradients (the
        // transposed convolution's 40 -> 64 and 33 -> 70 channels).
        s.add(new int[] {2, 32, 11, 13, 80, 3, 3, 1, 1, 0, 0, 1, 1});
        s.add(new int[] {1, 33, 14, 10, 64, 3, 3, 1, 1, 2, 2, 1, 1});
        s.add(new int[] {3, 32, 40, 20, 64, 3, 3, 1, 1, 1, 1, 1, 1});
        s.add(new int[] {3, 64, 9, 10, 40, 3, 3, 1, 1, 1, 1, 1, 1});
        s.add(new int[] {1, 70, 9, 11, 33, 3, 3, 1, 1, 2, 0, 1, 1});
        return s;
    }

    static List<Object[]> cases() {
        List<Object[]> out = new ArrayList<>();
        for (int[] shape : shapes()) {
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (int threads : new int[] {1, 2}) out.add(new Object[] {shape, dt, threads});
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void denseKernelMatchesTheDefinition(int[] s, DType dt, int threads) {
        Parallel.setThreadLimitForCurrentThread(threads);
        try {
            check(s, dt, false, 1);
            check(s, dt, true, 1);
        } finally {
            Parallel.setThreadLimitForCurrentThread(null);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void groupedPathMatchesTheDefinition(int[] s, DType dt, int threads) {
        Parallel.setThreadLimitForCurrentThread(threads);
        try {
            int[] doubled = s.clone();
            doubled[1] *= 2;
            doubled[4] *= 2;
            check(doubled, dt, false, 2);
        } finally {
            Parallel.setThreadLimitForCurrentThread(null);
        }
    }

    private static void check(int[] s, DType dt, boolean transposedInput, int groups) {
        int n = s[0], c = s[1], h = s[2], w = s[3], o = s[4], kh = s[5], kw = s[6];
        int[] stride = {s[7], s[8]};
        int[] pad = {s[9], s[10]};
        int[] dil = {s[11], s[12]};
        Generator gen = new Generator(1000L * n + 31L * c + h + 7L * o);
        // A transposed view of a [n, c, w, h] tensor is a non-contiguous [n, c, h, w] input.
        Tensor x = transposedInput
                ? Tensors.randn(gen, dt, n, c, w, h).transpose(2, 3).requiresGrad_(true)
                : Tensors.randn(gen, dt, n, c, h, w).requiresGrad_(true);
        Tensor wt = Tensors.randn(gen, dt, o, c / groups, kh, kw).requiresGrad_(true);
        Tensor b = Tensors.randn(gen, dt, o).requiresGrad_(true);
        Tensor y = F.conv2d(x, wt, b, stride, pad, dil, groups);
        Tensor up = Tensors.randn(gen, dt, y.shape());
        y.backward(up);

        Naive ref = Naive.of(x.toDoubleArray(), wt.toDoubleArray(), b.toDoubleArray(), up.toDoubleArray(), s, groups);
        assertEquals(n, y.size(0));
        assertEquals(ref.oh, y.size(2));
        assertEquals(ref.ow, y.size(3));
        double tol = dt == DType.FLOAT32 ? 1e-4 : 1e-10;
        String what = java.util.Arrays.toString(s) + " " + dt + (transposedInput ? " transposed" : "") + " groups " + groups;
        close(what + " output", ref.y, y.toDoubleArray(), tol);
        close(what + " grad input", ref.gx, x.grad().toDoubleArray(), tol);
        close(what + " grad weight", ref.gw, wt.grad().toDoubleArray(), tol);
        close(what + " grad bias", ref.gb, b.grad().toDoubleArray(), tol);
    }

    private static void close(String what, double[] expected, double[] actual, double tol) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 1;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > tol * scale) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]);
            }
        }
    }

    /** conv2d and its gradients straight from the definition, in float64. */
    private record Naive(double[] y, double[] gx, double[] gw, double[] gb, int oh, int ow) {
        static Naive of(double[] x, double[] w, double[] b, double[] up, int[] s, int groups) {
            int n = s[0], c = s[1], h = s[2], wd = s[3], o = s[4], kh = s[5], kw = s[6];
            int sh = s[7], sw = s[8], ph = s[9], pw = s[10], dh = s[11], dw = s[12];
            int oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
            int ow = (wd + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
            int cg = c / groups;
            int og = o / groups;
            double[] y = new double[n * o * oh * ow];
            double[] gx = new double[x.length];
            double[] gw = new double[w.length];
            double[] gb = new double[o];
            for (int i = 0; i < n; i++) {
                for (int oc = 0; oc < o; oc++) {
                    int grp = oc / og;
                    for (int oy = 0; oy < oh; oy++) {
                        for (int ox = 0; ox < ow; ox++) {
                            int yi = ((i * o + oc) * oh + oy) * ow + ox;
                            double acc = b[oc];
                            double g = up[yi];
                            gb[oc] += g;
                            for (int ci = 0; ci < cg; ci++) {
                                int ch = grp * cg + ci;
                                for (int ki = 0; ki < kh; ki++) {
                                    int iy = oy * sh - ph + ki * dh;
                                    if (iy < 0 || iy >= h) continue;
                                    for (int kj = 0; kj < kw; kj++) {
                                        int ix = ox * sw - pw + kj * dw;
                                        if (ix < 0 || ix >= wd) continue;
                                        int xi = ((i * c + ch) * h + iy) * wd + ix;
                                        int wi = ((oc * cg + ci) * kh + ki) * kw + kj;
                                        acc += x[xi] * w[wi];
                                        gx[xi] += g * w[wi];
                                        gw[wi] += g * x[xi];
                                    }
                                }
                            }
                            y[yi] = acc;
                        }
                    }
                }
            }
            return new Naive(y, gx, gw, gb, oh, ow);
        }
    }
}
