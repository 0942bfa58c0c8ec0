package dev.kindling.bench;

import ai.djl.ndarray.NDArray;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.ArrayList;
import java.util.List;

/**
 * (a) Square sgemm at n = 256, 1024 and 2048, with both operands contiguous and with the right
 * operand a transposed view ({@code a.matmul(b.t())}, which Kindling hands to BLAS with the
 * transpose flag). Kindling's {@code Tensor.matmul} against {@code cblas_sgemm} called directly on
 * the same arrays, and against libtorch's matmul. Work is 2n^3 FLOPs per call.
 */
final class GemmSuite {
    private static final int[] SIZES = {256, 1024, 2048};

    private final Comparison comparison;
    private final DirectSgemm direct;
    private final TorchPeer torch;

    GemmSuite(Comparison comparison, DirectSgemm direct, TorchPeer torch) {
        this.comparison = comparison;
        this.direct = direct;
        this.torch = torch;
    }

    Section run() {
        List<String> peers = torch != null ? List.of(Peers.OPENBLAS, Peers.TORCH) : List.of(Peers.OPENBLAS);
        Section s = new Section("(a) sgemm, square float32, GFLOP/s: median (best)", "GFLOP/s", 1e9, peers,
                new Section.Target(Peers.OPENBLAS, 0.90));
        for (int n : SIZES) {
            for (boolean transB : new boolean[] {false, true}) {
                s.add(row(n, transB));
            }
        }
        s.note("`a.matmul(b)`: a, b contiguous [n,n]. `a.matmul(b.t())`: b contiguous [n,n], its transposed view "
                + "goes to BLAS with the transpose flag (no copy) in Kindling, OpenBLAS direct and PyTorch alike.");
        s.note("Kindling allocates a fresh [n,n] output per call; OpenBLAS direct writes into a preallocated one. "
                + "Both pass the same Java arrays to the same libopenblas through `critical` downcalls.");
        return s;
    }

    private Section.Row row(int n, boolean transB) {
        float[] a = Inputs.signed(1, n * n);
        float[] b = Inputs.signed(2, n * n);
        float[] c = new float[n * n];
        Tensor ta = Tensors.fromArray(a, n, n);
        Tensor tb = Tensors.fromArray(b, n, n);
        Tensor rhs = transB ? tb.t() : tb;
        String label = "n=" + n + " " + (transB ? "a.matmul(b.t())" : "a.matmul(b)");

        float[] expected = ta.matmul(rhs).toFloatArray();
        direct.sgemm(a, b, transB, c, n, n, n);
        // Not bit for bit: Kindling splits mid-sized products into panels on single-threaded BLAS,
        // whose kernels may accumulate a panel's edge tiles in another order (2e-6 seen at n=256).
        Checks.close(label + " OpenBLAS direct vs Kindling", expected, c, 1e-5);

        List<Contender> contenders = new ArrayList<>();
        contenders.add(new Contender(Section.KINDLING, () -> Sink.keep(ta.matmul(rhs))));
        contenders.add(new Contender(Peers.OPENBLAS, () -> direct.sgemm(a, b, transB, c, n, n, n)));
        NDArray x = null;
        NDArray y = null;
        NDArray yr = null;
        if (torch != null) {
            x = torch.array(a, n, n);
            y = torch.array(b, n, n);
            yr = transB ? y.transpose() : y;
            NDArray fx = x;
            NDArray fyr = yr;
            Checks.close(label + " PyTorch vs Kindling", expected, TorchPeer.values(() -> fx.matMul(fyr)), 1e-4);
            contenders.add(new Contender(Peers.TORCH, TorchPeer.call(() -> fx.matMul(fyr))));
        }
        try {
            return new Section.Row(label, 2.0 * n * n * n, comparison.run(contenders));
        } finally {
            if (yr != null && yr != y) yr.close();
            if (y != null) y.close();
            if (x != null) x.close();
        }
    }
}
