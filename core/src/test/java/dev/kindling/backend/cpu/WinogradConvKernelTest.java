package dev.kindling.backend.cpu;

import dev.kindling.backend.Conv2dGeometry;
import dev.kindling.backend.StridedView;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Storage;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which layers Winograd F(4x4, 3x3) takes, and how far its float32 results are from the exact
 * convolution compared with the direct kernel's. ConvolutionPathsTest checks its values (forward
 * and input gradient) against the definition on odd shapes.
 */
class WinogradConvKernelTest {

    private static Conv2dGeometry geometry(int c, int hw, int k, int stride, int pad, int dilation) {
        return Conv2dGeometry.of("conv2d", c, hw, hw, new int[] {k, k}, new int[] {stride, stride}, new int[] {pad, pad},
                new int[] {dilation, dilation}, false);
    }

    private static StridedView weights(DType dt, int o, int c, int k) {
        return StridedView.of(Storage.allocate(dt, o * c * k * k), o, c, k, k);
    }

    @Test
    void takesThreeByThreeStrideOneFloat32WithEnoughChannels() {
        assertTrue(WinogradConvKernel.supports(geometry(32, 28, 3, 1, 1, 1), weights(DType.FLOAT32, 64, 32, 3)));
        assertTrue(WinogradConvKernel.supports(geometry(33, 10, 3, 1, 0, 1), weights(DType.FLOAT32, 32, 33, 3)), "8 x 8 output");
        assertFalse(WinogradConvKernel.supports(geometry(32, 9, 3, 1, 0, 1), weights(DType.FLOAT32, 64, 32, 3)), "7 x 7 output");
        assertFalse(WinogradConvKernel.supports(geometry(32, 28, 3, 2, 1, 1), weights(DType.FLOAT32, 64, 32, 3)), "stride 2");
        assertFalse(WinogradConvKernel.supports(geometry(32, 28, 3, 1, 2, 2), weights(DType.FLOAT32, 64, 32, 3)), "dilation 2");
        assertFalse(WinogradConvKernel.supports(geometry(32, 28, 5, 1, 2, 1), weights(DType.FLOAT32, 64, 32, 5)), "5x5");
        assertFalse(WinogradConvKernel.supports(geometry(16, 28, 3, 1, 1, 1), weights(DType.FLOAT32, 64, 16, 3)), "16 in");
        assertFalse(WinogradConvKernel.supports(geometry(32, 28, 3, 1, 1, 1), weights(DType.FLOAT32, 16, 32, 3)), "16 out");
        assertFalse(WinogradConvKernel.supports(geometry(32, 28, 3, 1, 1, 1), weights(DType.FLOAT64, 64, 32, 3)), "float64");
        assertFalse(WinogradConvKernel.supports(geometry(64, 28, 3, 1, 1, 1), weights(DType.FLOAT32, 64, 32, 3)), "two groups");
    }

    @Test
    void inputGradientIsTheTransposedForward() {
        // The input gradient convolves the output gradient (64 channels) into the 32 input channels.
        assertTrue(WinogradConvKernel.supportsInputGradient(geometry(32, 28, 3, 1, 1, 1), weights(DType.FLOAT32, 64, 32, 3)));
        assertFalse(WinogradConvKernel.supportsInputGradient(geometry(16, 28, 3, 1, 1, 1), weights(DType.FLOAT32, 64, 16, 3)),
                "16 channels out of the transposed convolution");
        assertFalse(WinogradConvKernel.supportsInputGradient(geometry(32, 28, 3, 1, 3, 1), weights(DType.FLOAT32, 64, 32, 3)),
                "padding beyond kernel - 1");
    }

    /**
     * A ResNet-like layer, N(0, 1) inputs and He-scaled weights: against a float64 convolution,
     * Winograd's largest and mean errors stay within 3x the direct float32 kernel's, for the forward
     * and for the input gradient (measured: 2.2x and 2.6x for the forward).
     */
    @Test
    void errorStaysWithinAFewTimesTheDirectKernels() {
        int n = 2, c = 64, hw = 14, k = 64;
        Conv2dGeometry g = geometry(c, hw, 3, 1, 1, 1);
        SplittableRandom random = new SplittableRandom(17);
        float[] x = gaussian(random, n * c * hw * hw, 1);
        float[] w = gaussian(random, k * c * 9, Math.sqrt(2.0 / (c * 9)));
        StridedView xv = StridedView.of(Storage.ofArray(x, DType.FLOAT32), n, c, hw, hw);
        StridedView wv = StridedView.of(Storage.ofArray(w, DType.FLOAT32), k, c, 3, 3);
        double[] exact = exactForward(x, w, n, c, hw, k);

        float[] winograd = new float[exact.length];
        float[] direct = new float[exact.length];
        WinogradConvKernel.forward(xv, wv, null, g, StridedView.of(Storage.ofArray(winograd, DType.FLOAT32), n, k, hw, hw));
        DirectConvKernel.forward(xv, wv, null, g, StridedView.of(Storage.ofArray(direct, DType.FLOAT32), n, k, hw, hw));
        assertWithin("forward", exact, winograd, direct);

        // Input gradient: the exact one is the forward of the output gradient with the kernel
        // flipped and its channel dims swapped (padding 3 - 1 - 1 = 1).
        float[] up = gaussian(random, n * k * hw * hw, 1);
        float[] flipped = new float[w.length];
        for (int o = 0; o < k; o++) {
            for (int i = 0; i < c; i++) {
                for (int t = 0; t < 9; t++) flipped[(i * k + o) * 9 + 8 - t] = w[(o * c + i) * 9 + t];
            }
        }
        double[] exactGrad = exactForward(up, flipped, n, k, hw, c);
        StridedView upv = StridedView.of(Storage.ofArray(up, DType.FLOAT32), n, k, hw, hw);
        float[] winogradGrad = new float[exactGrad.length];
        float[] directGrad = new float[exactGrad.length];
        WinogradConvKernel.inputGradient(upv, wv, g, StridedView.of(Storage.ofArray(winogradGrad, DType.FLOAT32), n, c, hw, hw));
        DirectConvKernel.inputGradient(upv, wv, g, StridedView.of(Storage.ofArray(directGrad, DType.FLOAT32), n, c, hw, hw));
        assertWithin("input gradient", exactGrad, winogradGrad, directGrad);
    }

    private static void assertWithin(String what, double[] exact, float[] winograd, float[] direct) {
        double scale = 0;
        double winogradError = 0;
        double directError = 0;
        double winogradSum = 0;
        double directSum = 0;
        for (int i = 0; i < exact.length; i++) {
            scale = Math.max(scale, Math.abs(exact[i]));
            double we = Math.abs(winograd[i] - exact[i]);
            double de = Math.abs(direct[i] - exact[i]);
            winogradError = Math.max(winogradError, we);
            directError = Math.max(directError, de);
            winogradSum += we;
            directSum += de;
        }
        String report = what + ": error Winograd largest " + winogradError + " mean " + winogradSum / exact.length
                + ", direct largest " + directError + " mean " + directSum / exact.length + "; largest |output| " + scale;
        System.out.println(report);
        assertTrue(winogradError <= 3 * directError, report);
        assertTrue(winogradSum <= 3 * directSum, report);
    }

    /** conv2d, 3x3, stride 1, padding 1, in double: y[n][o][y][x]. */
    private static double[] exactForward(float[] x, float[] w, int n, int c, int hw, int k) {
        double[] y = new double[n * k * hw * hw];
        for (int img = 0; img < n; img++) {
            for (int o = 0; o < k; o++) {
                for (int oy = 0; oy < hw; oy++) {
                    for (int ox = 0; ox < hw; ox++) {
                        double sum = 0;
                        for (int i = 0; i < c; i++) {
                            for (int ky = 0; ky < 3; ky++) {
                                int iy = oy + ky - 1;
                                if (iy < 0 || iy >= hw) continue;
                                for (int kx = 0; kx < 3; kx++) {
                                    int ix = ox + kx - 1;
                                    if (ix < 0 || ix >= hw) continue;
                                    sum += (double) x[((img * c + i) * hw + iy) * hw + ix] * w[((o * c + i) * 3 + ky) * 3 + kx];
                                }
                            }
                        }
                        y[((img * k + o) * hw + oy) * hw + ox] = sum;
                    }
                }
            }
        }
        return y;
    }

    private static float[] gaussian(SplittableRandom random, int count, double std) {
        float[] a = new float[count];
        for (int i = 0; i < count; i++) {
            // Box-Muller, one value per pair.
            double u = 1 - random.nextDouble();
            a[i] = (float) (std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble()));
        }
        return a;
    }
}
