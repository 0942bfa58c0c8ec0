package dev.kindling.optim;

import dev.kindling.autograd.GradMode;
import dev.kindling.backend.AdamStep;
import dev.kindling.backend.cpu.CpuBackend;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.kindling.optim.BitExact.assertBitsEqual;
import static dev.kindling.optim.BitExact.copies;
import static dev.kindling.optim.BitExact.copiesAsTransposedViews;

/**
 * The CPU backend's fused float32 Adam must give exactly (bit for bit) what the op-by-op update
 * gives: the op-by-op composition ({@code ComposedSteps}), which runs whenever an operand is not a contiguous
 * float32 array (here: transposed views holding the same values), and the op sequence written out.
 */
class FusedAdamTest {

    /** Several steps on [330, 210] tensors (above the parallel grain: two chunks), tiny and zero gradients included. */
    @ParameterizedTest(name = "weightDecay={0} decoupled={1} maximize={2} amsgrad={3}")
    @CsvSource({
        "0.0, false, false, false",
        "0.01, false, false, false",
        "0.01, true, false, false",
        "0.0, false, true, false",
        "0.0, false, false, true",
        "0.05, true, true, true",
        "0.05, false, true, true"})
    void fusedEqualsOpByOp(double weightDecay, boolean decoupled, boolean maximize, boolean amsgrad) {
        int rows = 330;
        int cols = 210;
        Generator gen = new Generator(7);
        Tensor[] fused = state(rows, cols, gen);
        Tensor[] viaViews = copiesAsTransposedViews(fused);
        Tensor[] written = copies(fused);
        try (var g = GradMode.noGrad()) {
            for (int t = 1; t <= 4; t++) {
                Tensor grad = Tensors.randn(new Generator(100 + t), rows, cols).mul(t == 2 ? 1e-20 : 1.0);
                if (t == 3) grad.view(-1).narrow(0, 5, 3).zero_(); // zero gradients: eps dominates
                AdamStep s = AdamStep.of(1e-3 * t, 0.9, 0.999, 1e-8, weightDecay, decoupled, maximize, amsgrad, t);
                CpuBackend.INSTANCE.adamStep(s, fused[0].strided(), grad.strided(), fused[1].strided(), fused[2].strided(),
                        amsgrad ? fused[3].strided() : null);
                Tensor gradView = BitExact.transposedCopy(grad);
                CpuBackend.INSTANCE.adamStep(s, viaViews[0].strided(), gradView.strided(), viaViews[1].strided(), viaViews[2].strided(),
                        amsgrad ? viaViews[3].strided() : null);
                opByOp(s, written[0], grad, written[1], written[2], amsgrad ? written[3] : null);
            }
        }
        for (int i = 0; i < (amsgrad ? 4 : 3); i++) {
            assertBitsEqual(written[i], fused[i], "fused vs op by op, tensor " + i);
            assertBitsEqual(written[i], viaViews[i], "default (views) vs op by op, tensor " + i);
        }
    }

    /** The Adam class takes the fused path for ordinary parameters and leaves the options' semantics alone. */
    @ParameterizedTest(name = "amsgrad={0}")
    @CsvSource({"false", "true"})
    void optimizerMatchesOpByOp(boolean amsgrad) {
        Tensor p = Tensors.randn(new Generator(3), 64, 40).requiresGrad_(true);
        Tensor[] ref = {p.detach().clone(), Tensors.zeros(64, 40), Tensors.zeros(64, 40), Tensors.zeros(64, 40)};
        AdamW opt = new AdamW(java.util.List.of(p), AdamW.options().lr(0.01).amsgrad(amsgrad));
        for (int t = 1; t <= 3; t++) {
            Tensor grad = Tensors.randn(new Generator(50 + t), 64, 40);
            p.setGrad(grad);
            opt.step();
            try (var g = GradMode.noGrad()) {
                opByOp(AdamStep.of(0.01, 0.9, 0.999, 1e-8, 0.01, true, false, amsgrad, t), ref[0], grad, ref[1], ref[2],
                        amsgrad ? ref[3] : null);
            }
        }
        assertBitsEqual(ref[0], p.detach(), "parameter");
        assertBitsEqual(ref[1], (Tensor) opt.state(p).get("exp_avg"), "exp_avg");
    }

    /** PyTorch's single-tensor Adam step, op by op (what the optimizer did before the fused kernel). */
    private static void opByOp(AdamStep s, Tensor p, Tensor grad, Tensor m, Tensor v, Tensor max) {
        Tensor d = s.maximize() ? grad.neg() : grad;
        if (s.weightDecay() != 0) {
            if (s.decoupled()) p.mul_(1 - s.lr() * s.weightDecay());
            else d = d.add(p, s.weightDecay());
        }
        m.mul_(s.beta1()).add_(d, 1 - s.beta1());
        v.mul_(s.beta2()).addcmul_(d, d, 1 - s.beta2());
        Tensor second = v;
        if (max != null) {
            max.maximum_(v);
            second = max;
        }
        p.addcdiv_(m, second.sqrt().div_(s.biasCorrection2Sqrt()).add_(s.eps()), -s.lr() / s.biasCorrection1());
    }

    /** param, exp_avg, exp_avg_sq, max_exp_avg_sq with values of mixed sizes (and a few exact zeros). */
    private static Tensor[] state(int rows, int cols, Generator gen) {
        Tensor p = Tensors.randn(gen, rows, cols);
        Tensor m = Tensors.randn(gen, rows, cols).mul(0.1);
        Tensor v = Tensors.rand(gen, rows, cols).mul(0.01);
        Tensor max = v.add(Tensors.rand(gen, rows, cols).mul(0.001));
        v.view(-1).narrow(0, 0, 4).zero_();
        return new Tensor[] {p, m, v, max};
    }
}
