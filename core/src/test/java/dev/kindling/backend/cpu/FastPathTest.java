package dev.kindling.backend.cpu;

import dev.kindling.backend.Backend;
import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.Conv2dGeometry;
import dev.kindling.backend.StridedView;
import dev.kindling.nn.functional.F;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The CPU backend's fast paths against their definitions, bit for bit, special values included:
 * relu's gradient (the vectorised select and the plain one used for misaligned operands) and max
 * pooling's fused values + indices and its backward (against a brute-force reference and against
 * the Backend defaults: indices then gather, and scatter-add).
 */
class FastPathTest {
    private static final float[] SPECIAL = {-2f, -0f, 0f, Float.MIN_VALUE, 3f, Float.NaN, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0xffc00001), -5f, 1e-30f};

    /** PyTorch's threshold_backward(g, y, 0): y <= 0 ? +0 : g. */
    private static float reluGrad(float g, float y) { return y <= 0f ? 0f : g; }

    /** im2col's "same"-convolution path (one copy per kernel tap) against the definition, padding and dilation included. */
    @ParameterizedTest
    @CsvSource({"3,3,1,1,1", "5,5,2,2,1", "3,3,2,2,2", "1,1,0,0,1", "3,5,1,2,1", "7,7,3,3,1"})
    void sameConvolutionIm2colMatchesDefinition(int kh, int kw, int padH, int padW, int dilation) {
        int n = 2, c = 3, h = 9, w = 11;
        Conv2dGeometry g = Conv2dGeometry.of("conv2d", c, h, w, new int[] {kh, kw}, new int[] {1, 1}, new int[] {padH, padW},
                new int[] {dilation, dilation}, false);
        assertEquals(w, g.outW(), "the geometry keeps the width (the fast path's case)");
        float[] x = Tensors.randn(new Generator(11), n * c * h * w).toFloatArray();
        float[] cols = dev.kindling.ops.Convolution.unfold(Tensors.fromArray(x, n, c, h, w), g).toFloatArray();
        int l = g.outH() * g.outW();
        for (int img = 0; img < n; img++) {
            for (int ch = 0; ch < c; ch++) {
                for (int ki = 0; ki < kh; ki++) {
                    for (int kj = 0; kj < kw; kj++) {
                        for (int oy = 0; oy < g.outH(); oy++) {
                            for (int ox = 0; ox < g.outW(); ox++) {
                                int iy = oy - padH + ki * dilation;
                                int ix = ox - padW + kj * dilation;
                                float expected = iy < 0 || iy >= h || ix < 0 || ix >= w ? 0f : x[((img * c + ch) * h + iy) * w + ix];
                                int at = (img * c * kh * kw + (ch * kh + ki) * kw + kj) * l + oy * g.outW() + ox;
                                assertEquals(expected, cols[at], "im2col at image " + img + " channel " + ch + " tap " + ki + "," + kj
                                        + " output " + oy + "," + ox);
                            }
                        }
                    }
                }
            }
        }
    }

    /** x + v with v broadcast over rows goes through the output (copy v, then add in place): same values as the definition. */
    @ParameterizedTest
    @CsvSource({"add", "sub", "mul", "div"})
    void broadcastRowOperandMatchesDefinition(String op) {
        Generator gen = new Generator(7);
        float[] x = Tensors.randn(gen, 37 * 1029).toFloatArray();
        float[] v = Tensors.randn(gen, 1029).toFloatArray();
        v[3] = Float.NaN;
        v[4] = -0f;
        Tensor xt = Tensors.fromArray(x, 37, 1029);
        Tensor vt = Tensors.fromArray(v, 1029);
        float[] right = apply(op, xt, vt).toFloatArray();
        float[] left = apply(op, vt, xt).toFloatArray();
        float[] inPlace = apply(op + "_", xt.clone(), vt).toFloatArray();
        for (int r = 0; r < 37; r++) {
            for (int c = 0; c < 1029; c++) {
                int i = r * 1029 + c;
                assertEquals(Float.floatToIntBits(define(op, x[i], v[c])), Float.floatToIntBits(right[i]), op + " x+v at " + i);
                assertEquals(Float.floatToIntBits(define(op, v[c], x[i])), Float.floatToIntBits(left[i]), op + " v+x at " + i);
                assertEquals(Float.floatToIntBits(define(op, x[i], v[c])), Float.floatToIntBits(inPlace[i]), op + "_ at " + i);
            }
        }
    }

    private static Tensor apply(String op, Tensor a, Tensor b) {
        return switch (op) {
            case "add" -> a.add(b);
            case "sub" -> a.sub(b);
            case "mul" -> a.mul(b);
            case "div" -> a.div(b);
            case "add_" -> a.add_(b);
            case "sub_" -> a.sub_(b);
            case "mul_" -> a.mul_(b);
            case "div_" -> a.div_(b);
            default -> throw new IllegalArgumentException(op);
        };
    }

    private static float define(String op, float a, float b) {
        return switch (op) {
            case "add" -> a + b;
            case "sub" -> a - b;
            case "mul" -> a * b;
            default -> a / b;
        };
    }

    @Test
    void reluGradientOfSpecialValues() {
        int n = SPECIAL.length;
        float[] g = new float[n * n + 3];
        float[] y = new float[n * n + 3];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                g[i * n + j] = SPECIAL[i];
                y[i * n + j] = SPECIAL[j];
            }
        }
        checkReluGradient(g, y);
    }

    @Test
    void reluGradientWithoutSpecialValuesKeepsNegativeZero() {
        // The vectorised loop without the NaN fallback: finite g (-0.0 among them), y of a relu output.
        Generator gen = new Generator(5);
        float[] g = Tensors.randn(gen, 70_001).toFloatArray();
        float[] y = Tensors.randn(gen, 70_001).relu().toFloatArray();
        g[10] = -0f;
        y[10] = 1f;
        g[11] = -0f;
        y[11] = 0f;
        g[12] = -3f;
        y[12] = 0f;
        checkReluGradient(g, y);
    }

    private static void checkReluGradient(float[] g, float[] y) {
        int n = g.length;
        BinaryOp op = BinaryOp.of(BinaryOp.Kind.THRESHOLD_BACKWARD, 0, 0);
        // Aligned: every operand at offset 0 (the vectorised loop).
        Tensor out = Tensors.empty(n);
        CpuBackend.INSTANCE.binary(op, Tensors.fromArray(g.clone(), n).strided(), Tensors.fromArray(y.clone(), n).strided(), out.strided());
        // Misaligned: operands at different offsets (the general loop).
        float[] gShift = new float[n + 1];
        System.arraycopy(g, 0, gShift, 1, n);
        Tensor outShifted = Tensors.empty(n + 2).narrow(0, 2, n);
        CpuBackend.INSTANCE.binary(op, Tensors.fromArray(gShift, n + 1).narrow(0, 1, n).strided(), Tensors.fromArray(y.clone(), n).strided(),
                outShifted.strided());
        float[] a = out.toFloatArray();
        float[] b = outShifted.toFloatArray();
        for (int i = 0; i < n; i++) {
            int expected = Float.floatToRawIntBits(reluGrad(g[i], y[i]));
            String where = "g=" + g[i] + " y=" + y[i];
            if (Float.isNaN(reluGrad(g[i], y[i]))) {
                assertEquals(true, Float.isNaN(a[i]) && Float.isNaN(b[i]), where);
            } else {
                assertEquals(expected, Float.floatToRawIntBits(a[i]), "aligned, " + where);
                assertEquals(expected, Float.floatToRawIntBits(b[i]), "misaligned, " + where);
            }
        }
    }

    @ParameterizedTest(name = "kernel {0}x{1} stride {2}x{3} padding {4} dilation {5} ceil {6}, {7}")
    @CsvSource({
        "2, 2, 2, 2, 0, 1, false, FLOAT32",
        "2, 2, 1, 1, 0, 1, false, FLOAT32",
        "2, 2, 2, 2, 1, 1, false, FLOAT32",
        "2, 2, 2, 2, 0, 1, true, FLOAT32",
        "3, 3, 2, 2, 1, 1, true, FLOAT32",
        "3, 2, 1, 2, 1, 2, false, FLOAT32",
        "2, 2, 2, 2, 0, 1, false, FLOAT64",
        "3, 3, 2, 2, 1, 1, false, FLOAT64"})
    void maxPoolMatchesBruteForceAndTheDefaults(int kh, int kw, int sh, int sw, int pad, int dil, boolean ceil, DType dtype) {
        int n = 3;
        int c = 4;
        int h = 9;
        int w = 11;
        Tensor x = Tensors.randn(new Generator(9), dtype, n, c, h, w);
        // Ties (including -0.0 against 0.0), NaN, -inf windows.
        Tensor flat = x.view(-1);
        for (int i = 0; i < flat.numel(); i += 7) flat.narrow(0, i, 1).fill_(i % 2 == 0 ? 0.0 : -0.0);
        for (int i = 3; i < flat.numel(); i += 37) flat.narrow(0, i, 1).fill_(Double.NaN);
        x.narrow(1, 1, 1).fill_(Double.NEGATIVE_INFINITY);
        Conv2dGeometry g = Conv2dGeometry.of("maxPool2d", c, h, w, new int[] {kh, kw}, new int[] {sh, sw}, new int[] {pad, pad},
                new int[] {dil, dil}, ceil);
        int[] outShape = {n, c, g.outH(), g.outW()};
        Tensor values = Tensors.empty(dtype, outShape);
        Tensor indices = Tensors.empty(DType.INT64, outShape);
        CpuBackend.INSTANCE.maxPool2d(x.strided(), g, values.strided(), indices.strided());

        double[] xs = x.toDoubleArray();
        long[] idx = indices.toLongArray();
        double[] vals = values.toDoubleArray();
        for (int p = 0; p < n * c; p++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++) {
                    int o = (p * g.outH() + oy) * g.outW() + ox;
                    long expected = bruteForceArgmax(xs, p * h * w, g, oy, ox);
                    assertEquals(expected, idx[o], "index of window (" + p + ", " + oy + ", " + ox + ")");
                    double v = xs[p * h * w + (int) expected];
                    assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(vals[o]), "value of window " + o);
                }
            }
        }
        // The Backend default (indices, then gather) agrees.
        Tensor defaultValues = Tensors.empty(dtype, outShape);
        Tensor defaultIndices = Tensors.empty(DType.INT64, outShape);
        new DefaultsOnly().maxPool2d(x.strided(), g, defaultValues.strided(), defaultIndices.strided());
        assertEquals(java.util.Arrays.toString(idx), java.util.Arrays.toString(defaultIndices.toLongArray()));

        // Backward: the kernel against the default scatter-add.
        Tensor grad = Tensors.randn(new Generator(11), dtype, outShape);
        Tensor gi = Tensors.zeros(dtype, n, c, h, w);
        CpuBackend.INSTANCE.maxPool2dBackward(grad.strided(), indices.strided(), g, gi.strided());
        Tensor giDefault = Tensors.zeros(dtype, n, c, h, w);
        new DefaultsOnly().maxPool2dBackward(grad.strided(), indices.strided(), g, giDefault.strided());
        assertEquals(java.util.Arrays.toString(giDefault.toDoubleArray()), java.util.Arrays.toString(gi.toDoubleArray()));
    }

    @Test
    void maxPoolGradientThroughAutograd() {
        Tensor x = Tensors.randn(new Generator(4), 2, 3, 8, 8).requiresGrad_(true);
        Tensor y = F.maxPool2d(x, 2);
        Tensor g = Tensors.randn(new Generator(5), 2, 3, 4, 4);
        y.backward(g);
        // Reference: gather's gradient, i.e. the old composition x.flatten(2).gather(2, idx).
        Tensor x2 = x.detach().clone().requiresGrad_(true);
        Tensor idx = F.maxPool2dWithIndices(x2.detach(), new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1},
                false).indices();
        x2.reshape(2, 3, 64).gather(2, idx.view(2, 3, -1)).view(2, 3, 4, 4).backward(g);
        assertEquals(java.util.Arrays.toString(x2.grad().toFloatArray()), java.util.Arrays.toString(x.grad().toFloatArray()));
        assertEquals("MaxPool2DWithIndicesBackward0", y.gradFn().name());
    }

    /** First position of the window maximum (a NaN wins, first occurrence), padding excluded. */
    private static long bruteForceArgmax(double[] x, int base, Conv2dGeometry g, int oy, int ox) {
        long best = -1;
        double bestVal = Double.NEGATIVE_INFINITY;
        for (int ki = 0; ki < g.kernelH(); ki++) {
            int iy = oy * g.strideH() - g.padH() + ki * g.dilationH();
            if (iy < 0 || iy >= g.height()) continue;
            for (int kj = 0; kj < g.kernelW(); kj++) {
                int ix = ox * g.strideW() - g.padW() + kj * g.dilationW();
                if (ix < 0 || ix >= g.width()) continue;
                double v = x[base + iy * g.width() + ix];
                if (best < 0 || v > bestVal || (Double.isNaN(v) && !Double.isNaN(bestVal))) {
                    best = iy * g.width() + ix;
                    bestVal = v;
                }
            }
        }
        return best;
    }

    /**
     * Fused cross-entropy's kernels against the Backend defaults (log-softmax; exp, mul and
     * scatter-add), on logits at a storage offset, strided per-row operands and rows wider than
     * the vector width, with logits large enough that an unstabilised exp would overflow.
     */
    @ParameterizedTest
    @CsvSource({"FLOAT32, 2e-5", "FLOAT64, 1e-13"})
    void crossEntropyKernelsMatchTheDefaults(DType dtype, double tolerance) {
        int m = 37;
        int c = 1003;
        Tensor x = Tensors.randn(new Generator(5), dtype, m + 1, c).mul(40).narrow(0, 1, m);
        Tensor lse = Tensors.empty(dtype, m);
        Tensor lseDefault = Tensors.empty(dtype, m);
        CpuBackend.INSTANCE.logSumExpRows(x.strided(), lse.strided());
        new DefaultsOnly().logSumExpRows(x.strided(), lseDefault.strided());
        assertClose(lseDefault.toDoubleArray(), lse.toDoubleArray(), tolerance, "logSumExpRows");

        Tensor target = Tensors.randint(0, c, new Generator(6), m, 2).select(1, 1);
        Tensor scale = Tensors.randn(new Generator(7), dtype, m, 3).select(1, 2);
        Tensor grad = Tensors.empty(dtype, m, c);
        Tensor gradDefault = Tensors.empty(dtype, m, c);
        CpuBackend.INSTANCE.crossEntropyBackward(x.strided(), lse.strided(), target.strided(), scale.strided(), grad.strided());
        new DefaultsOnly().crossEntropyBackward(x.strided(), lse.strided(), target.strided(), scale.strided(), gradDefault.strided());
        assertClose(gradDefault.toDoubleArray(), grad.toDoubleArray(), tolerance, "crossEntropyBackward");
    }

    /**
     * The fused float32 cross-entropy rounds exactly as log-softmax + nllLoss did: same loss and same
     * gradient, bit for bit, with class weights and an ignored row, in every reduction.
     */
    @ParameterizedTest
    @CsvSource({"MEAN", "SUM", "NONE"})
    void fusedCrossEntropyEqualsLogSoftmaxThenNllLoss(dev.kindling.nn.functional.Reduction reduction) {
        int m = 64;
        int c = 1000;
        float[] logits = Tensors.randn(new Generator(8), m, c).mul(3).toFloatArray();
        long[] classes = Tensors.randint(0, c, new Generator(9), m).toLongArray();
        classes[5] = -100;
        Tensor target = Tensors.fromArray(classes, m);
        Tensor weight = Tensors.rand(new Generator(10), c).add(0.5f);
        Tensor fusedX = Tensors.fromArray(logits.clone(), m, c).requiresGrad_(true);
        Tensor composedX = Tensors.fromArray(logits.clone(), m, c).requiresGrad_(true);
        Tensor fused = F.crossEntropy(fusedX, target, weight, -100, reduction, 0.0);
        Tensor composed = F.nllLoss(F.logSoftmax(composedX, 1), target, weight, -100, reduction);
        fused.backward(Tensors.onesLike(fused));
        composed.backward(Tensors.onesLike(composed));
        assertEquals(java.util.Arrays.toString(composed.toFloatArray()), java.util.Arrays.toString(fused.toFloatArray()));
        assertEquals(java.util.Arrays.toString(composedX.grad().toFloatArray()), java.util.Arrays.toString(fusedX.grad().toFloatArray()));
    }

    /**
     * Float32 softmax, log-softmax (and its backward) and cross-entropy's log-sum-exp against sums
     * in double with Math.exp, on rows of 45 (whole vectors and a tail) with logits spread so wide
     * that a shift by anything but the row's maximum overflows or underflows the exponentials.
     */
    @Test
    void float32RowKernelsMatchAReferenceInDouble() {
        int m = 9;
        int c = 45;
        Tensor x = Tensors.randn(new Generator(11), m, c).mul(60).requiresGrad_(true);
        Tensor upstream = Tensors.randn(new Generator(12), m, c);
        double[] xs = x.toDoubleArray();
        double[] gs = upstream.toDoubleArray();
        float[] softmax = F.softmax(x, 1).toFloatArray();
        Tensor logSoftmaxOut = F.logSoftmax(x, 1);
        logSoftmaxOut.backward(upstream);
        float[] logSoftmax = logSoftmaxOut.toFloatArray();
        float[] logSoftmaxGrad = x.grad().toFloatArray();
        Tensor lse = Tensors.empty(DType.FLOAT32, m);
        CpuBackend.INSTANCE.logSumExpRows(x.strided(), lse.strided());
        float[] lses = lse.toFloatArray();
        for (int i = 0; i < m; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) max = Math.max(max, xs[i * c + j]);
            double sum = 0;
            for (int j = 0; j < c; j++) sum += Math.exp(xs[i * c + j] - max);
            double expectedLse = max + Math.log(sum);
            assertEquals(expectedLse, lses[i], 1e-5 * Math.max(1, Math.abs(expectedLse)), "log-sum-exp of row " + i);
            double gradSum = 0;
            for (int j = 0; j < c; j++) gradSum += gs[i * c + j];
            for (int j = 0; j < c; j++) {
                double expected = Math.exp(xs[i * c + j] - expectedLse);
                assertEquals(expected, softmax[i * c + j], 1e-6 + 1e-5 * expected, "softmax at " + i + ", " + j);
                double expectedLog = xs[i * c + j] - expectedLse;
                assertEquals(expectedLog, logSoftmax[i * c + j], 1e-5 * Math.max(1, Math.abs(expectedLog)), "log-softmax at " + i + ", " + j);
                double expectedGrad = gs[i * c + j] - expected * gradSum;
                assertEquals(expectedGrad, logSoftmaxGrad[i * c + j], 1e-5 * Math.max(1, Math.abs(expectedGrad)),
                        "log-softmax gradient at " + i + ", " + j);
            }
        }
    }

    private static void assertClose(double[] expected, double[] actual, double tolerance, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance * Math.max(1, Math.abs(expected[i])), what + " at " + i);
        }
    }

    /** The CPU backend with its overrides of the defaulted primitives taken away. */
    private static final class DefaultsOnly implements Backend {
        private final CpuBackend cpu = CpuBackend.INSTANCE;

        @Override public dev.kindling.tensor.Device device() { return cpu.device(); }
        @Override public dev.kindling.tensor.Storage allocate(DType dtype, int numel) { return cpu.allocate(dtype, numel); }
        @Override public void copy(StridedView src, StridedView dst) { cpu.copy(src, dst); }
        @Override public void fill(StridedView dst, double value) { cpu.fill(dst, value); }
        @Override public void unary(dev.kindling.backend.UnaryOp op, StridedView x, StridedView out) { cpu.unary(op, x, out); }
        @Override public void binary(BinaryOp op, StridedView a, StridedView b, StridedView out) { cpu.binary(op, a, b, out); }
        @Override public void where(StridedView cond, StridedView a, StridedView b, StridedView out) { cpu.where(cond, a, b, out); }
        @Override public void reduce(dev.kindling.backend.ReduceOp op, StridedView x, int[] dims, StridedView out) { cpu.reduce(op, x, dims, out); }
        @Override public void cumsum(StridedView x, int dim, StridedView out) { cpu.cumsum(x, dim, out); }
        @Override public void sortIndices(StridedView x, int dim, boolean descending, StridedView indices) { cpu.sortIndices(x, dim, descending, indices); }
        @Override public void matmul(StridedView a, StridedView b, StridedView out) { cpu.matmul(a, b, out); }
        @Override public void indexSelect(StridedView x, int dim, StridedView index, StridedView out) { cpu.indexSelect(x, dim, index, out); }
        @Override public void gather(StridedView x, int dim, StridedView index, StridedView out) { cpu.gather(x, dim, index, out); }
        @Override public void scatter(StridedView out, int dim, StridedView index, StridedView src, boolean accumulate) { cpu.scatter(out, dim, index, src, accumulate); }
        @Override public void indexAdd(StridedView out, int dim, StridedView index, StridedView src) { cpu.indexAdd(out, dim, index, src); }
        @Override public StridedView nonzero(StridedView x) { return cpu.nonzero(x); }
        @Override public void random(RandomKind kind, StridedView out, Generator generator, double a, double b) { cpu.random(kind, out, generator, a, b); }
        @Override public void bernoulli(StridedView p, StridedView out, Generator generator) { cpu.bernoulli(p, out, generator); }
        @Override public void softmax(StridedView x, int dim, boolean log, StridedView out) { cpu.softmax(x, dim, log, out); }
        @Override public void softmaxBackward(StridedView grad, StridedView y, int dim, boolean log, StridedView out) { cpu.softmaxBackward(grad, y, dim, log, out); }
        @Override public void im2col(StridedView x, Conv2dGeometry geometry, StridedView cols) { cpu.im2col(x, geometry, cols); }
        @Override public void col2im(StridedView cols, Conv2dGeometry geometry, StridedView x) { cpu.col2im(cols, geometry, x); }
        @Override public void maxPool2dIndices(StridedView x, Conv2dGeometry geometry, StridedView indices) { cpu.maxPool2dIndices(x, geometry, indices); }
        @Override public void adamStep(dev.kindling.backend.AdamStep s, StridedView param, StridedView grad, StridedView expAvg,
                                       StridedView expAvgSq, StridedView maxExpAvgSq) { cpu.adamStep(s, param, grad, expAvg, expAvgSq, maxExpAvgSq); }
        @Override public void sgdStep(dev.kindling.backend.SgdStep s, StridedView param, StridedView grad, StridedView buffer,
                                      boolean firstStep) { cpu.sgdStep(s, param, grad, buffer, firstStep); }
    }
}
