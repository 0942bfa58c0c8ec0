package dev.kindling.bench;

import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The floor under TrainBench's conv2d row: the three matrix products that an im2col convolution
 * of [32,32,28,28] -> 64 channels (3x3, padding 1) makes in a forward + backward pass, each as one
 * product over the whole batch (the forward, the weight gradient and the column gradient, 0.92
 * GFLOP each), timed alone through Kindling's matmul (OpenBLAS). Whatever im2col, col2im and
 * autograd add comes on top, so a convolution built on these products cannot beat their sum.
 *
 * <p>Run: {@code benchmarks/run-conv-floor.sh} (both OpenBLAS settings, like the other scripts).
 */
public final class ConvGemmFloor {
    private static final int SAMPLES = 25;

    private ConvGemmFloor() {}

    public static void main(String[] args) {
        Generator g = new Generator(0);
        int n = 32, c = 32, o = 64, k = c * 9, l = 28 * 28, nl = n * l;
        Tensor w = Tensors.randn(g, o, k);
        Tensor cols = Tensors.randn(g, k, nl);
        Tensor grad = Tensors.randn(g, o, nl);
        double gflop = 2.0 * o * k * nl / 1e9;
        double forward = median(() -> w.matmul(cols));
        double weightGrad = median(() -> grad.matmul(cols.t()));
        double columnGrad = median(() -> w.t().matmul(grad));
        System.out.printf("| product | ms (median of %d) | GFLOP/s |%n|---|---|---|%n", SAMPLES);
        row("forward: W [64,288] x columns [288,25088]", forward, gflop);
        row("weight gradient: grad [64,25088] x columns^T", weightGrad, gflop);
        row("column gradient: W^T [288,64] x grad [64,25088]", columnGrad, gflop);
        row("sum of the three", forward + weightGrad + columnGrad, 3 * gflop);
    }

    private static void row(String name, double ms, double gflop) {
        System.out.printf("| %s | %.2f | %.0f |%n", name, ms, gflop / ms * 1e3);
    }

    /** Median milliseconds per call after as many untimed calls. */
    private static double median(Supplier<Tensor> call) {
        for (int i = 0; i < SAMPLES; i++) call.get();
        long[] ns = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            long start = System.nanoTime();
            call.get();
            ns[i] = System.nanoTime() - start;
        }
        Arrays.sort(ns);
        return ns[SAMPLES / 2] / 1e6;
    }
}
