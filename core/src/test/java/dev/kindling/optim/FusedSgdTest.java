package dev.kindling.optim;

import dev.kindling.autograd.GradMode;
import dev.kindling.backend.SgdStep;
import dev.kindling.backend.cpu.CpuBackend;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static dev.kindling.optim.BitExact.assertBitsEqual;
import static dev.kindling.optim.BitExact.transposedCopy;

/**
 * The CPU backend's fused float32 SGD must give exactly (bit for bit) what PyTorch's op-by-op
 * update gives, written out here with tensor ops; so must the backend's op-by-op path, which runs
 * when an operand is not a contiguous float32 array (here: transposed views of the same values).
 */
class FusedSgdTest {

    /** Several steps on [330, 210] tensors (above the parallel grain), the first one setting the momentum buffer. */
    @ParameterizedTest(name = "momentum={0} dampening={1} weightDecay={2} nesterov={3} maximize={4}")
    @CsvSource({
        "0.0, 0.0, 0.0, false, false",
        "0.0, 0.0, 0.01, false, true",
        "0.9, 0.0, 0.0, false, false",
        "0.9, 0.1, 0.01, false, false",
        "0.9, 0.0, 0.01, true, false",
        "0.5, 0.0, 0.0, true, true"})
    void fusedEqualsOpByOp(double momentum, double dampening, double weightDecay, boolean nesterov, boolean maximize) {
        int rows = 330;
        int cols = 210;
        SgdStep s = new SgdStep(0.05, momentum, dampening, weightDecay, nesterov, maximize);
        Tensor fused = Tensors.randn(new Generator(7), rows, cols);
        Tensor viaViews = transposedCopy(fused);
        Tensor written = fused.clone();
        Tensor fusedBuf = Tensors.zeros(rows, cols);
        Tensor viewBuf = transposedCopy(fusedBuf);
        Tensor writtenBuf = null;
        try (var g = GradMode.noGrad()) {
            for (int t = 1; t <= 4; t++) {
                Tensor grad = Tensors.randn(new Generator(100 + t), rows, cols).mul(t == 2 ? 1e-20 : 1.0);
                boolean first = t == 1;
                CpuBackend.INSTANCE.sgdStep(s, fused.strided(), grad.strided(), momentum == 0 ? null : fusedBuf.strided(), first);
                CpuBackend.INSTANCE.sgdStep(s, viaViews.strided(), transposedCopy(grad).strided(),
                        momentum == 0 ? null : viewBuf.strided(), first);
                writtenBuf = opByOp(s, written, grad, writtenBuf);
            }
        }
        assertBitsEqual(written, fused, "fused vs op by op, parameter");
        assertBitsEqual(written, viaViews, "op-by-op path (views) vs op by op, parameter");
        if (momentum != 0) {
            assertBitsEqual(writtenBuf, fusedBuf, "fused vs op by op, momentum buffer");
            assertBitsEqual(writtenBuf, viewBuf, "op-by-op path (views) vs op by op, momentum buffer");
        }
    }

    /** The SGD class takes the fused path and keeps PyTorch's momentum-buffer semantics. */
    @ParameterizedTest(name = "nesterov={0}")
    @CsvSource({"false", "true"})
    void optimizerMatchesOpByOp(boolean nesterov) {
        Tensor p = Tensors.randn(new Generator(3), 64, 40).requiresGrad_(true);
        Tensor ref = p.detach().clone();
        SGD opt = new SGD(List.of(p), SGD.options(0.1).momentum(0.9).weightDecay(0.001).nesterov(nesterov));
        SgdStep s = new SgdStep(0.1, 0.9, 0, 0.001, nesterov, false);
        Tensor refBuf = null;
        for (int t = 1; t <= 3; t++) {
            Tensor grad = Tensors.randn(new Generator(50 + t), 64, 40);
            p.setGrad(grad);
            opt.step();
            try (var g = GradMode.noGrad()) {
                refBuf = opByOp(s, ref, grad, refBuf);
            }
        }
        assertBitsEqual(ref, p.detach(), "parameter");
        assertBitsEqual(refBuf, (Tensor) opt.state(p).get("momentum_buffer"), "momentum_buffer");
    }

    /** PyTorch's single-tensor SGD step, op by op (what the optimizer did before the fused kernel); returns the buffer. */
    private static Tensor opByOp(SgdStep s, Tensor p, Tensor grad, Tensor buf) {
        Tensor d = s.maximize() ? grad.neg() : grad;
        if (s.weightDecay() != 0) d = d.add(p, s.weightDecay());
        if (s.momentum() != 0) {
            if (buf == null) buf = d.clone();
            else buf.mul_(s.momentum()).add_(d, 1 - s.dampening());
            d = s.nesterov() ? d.add(buf, s.momentum()) : buf;
        }
        p.add_(d, -s.lr());
        return buf;
    }
}
