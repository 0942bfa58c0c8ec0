package dev.kindling.optim;

import dev.kindling.nn.Linear;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.kindling.tensor.TestSupport.assertBadInput;
import static dev.kindling.tensor.TestSupport.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerTest {

    private static Tensor param(double... v) { return Tensors.tensor(v).requiresGrad_(true); }

    @Test
    void paramGroupsTakeTheirOwnOptions() {
        Tensor a = param(1.0);
        Tensor b = param(1.0);
        SGD sgd = new SGD(List.of(new ParamGroup(List.of(a)), new ParamGroup(List.of(b), Map.of("lr", 0.5))), SGD.options(0.1));
        a.setGrad(Tensors.tensor(1.0));
        b.setGrad(Tensors.tensor(1.0));
        sgd.step();
        assertValues(a, 0.9);
        assertValues(b, 0.5);
        sgd.zeroGrad();
        assertNull(a.grad());
        assertBadInput(() -> new SGD(List.of(a, a.mul(2)), 0.1), "leaf");
        assertBadInput(() -> new SGD(List.of(Tensors.ones(1)), 0.1), "require grad");
        assertBadInput(() -> new SGD(List.of(a), -0.1), "learning rate", "-0.1");
        assertBadInput(() -> new Adam(List.of(a), Adam.options().betas(1.0, 0.9)), "beta parameter at index 0");
    }

    @Test
    void stateDictRoundTripContinuesIdentically() {
        Generator.seedDefault(1);
        Linear m1 = new Linear(3, 2);
        Linear m2 = new Linear(3, 2);
        m2.loadStateDict(m1.stateDict(), true);
        Adam o1 = new Adam(m1.parameters(), Adam.options().lr(0.05).amsgrad(true));
        Adam o2 = new Adam(m2.parameters(), Adam.options().lr(0.05).amsgrad(true));
        Tensor x = Tensors.randn(new Generator(2), 8, 3);
        for (int i = 0; i < 3; i++) {
            o1.zeroGrad();
            m1.forward(x).square().sum().backward();
            o1.step();
        }
        m2.loadStateDict(m1.stateDict(), true);
        o2.loadStateDict(o1.stateDict());
        for (int i = 0; i < 3; i++) {
            for (var pair : List.of(new Object[] {m1, o1}, new Object[] {m2, o2})) {
                Linear m = (Linear) pair[0];
                Adam o = (Adam) pair[1];
                o.zeroGrad();
                m.forward(x).square().sum().backward();
                o.step();
            }
        }
        assertTrue(m1.weight().equal(m2.weight()), "a restored optimizer continues exactly");
        assertEquals(6L, ((Number) o2.state(m2.weight()).get("step")).longValue());
    }

    @Test
    void clippingReturnsTheTotalNorm() {
        Tensor a = param(0, 0);
        Tensor b = param(0);
        a.setGrad(Tensors.tensor(3.0, 0.0));
        b.setGrad(Tensors.tensor(4.0));
        double norm = GradClipping.clipGradNorm(List.of(a, b), 1.0);
        assertEquals(5.0, norm, 1e-12);
        assertValues(a.grad(), 0.6, 0.0);
        assertValues(b.grad(), 0.8);
        assertEquals(1.0, GradClipping.clipGradNorm(List.of(a, b), 10.0), 1e-5, "under the limit nothing changes");
        assertValues(b.grad(), 0.8);
        GradClipping.clipGradValue(List.of(a, b), 0.7);
        assertValues(b.grad(), 0.7);
        assertEquals(0.7, GradClipping.clipGradNorm(List.of(a, b), 1.0, Double.POSITIVE_INFINITY, false), 1e-7);
        b.setGrad(Tensors.tensor(Double.NaN));
        assertTrue(Double.isNaN(GradClipping.clipGradNorm(List.of(b), 1.0)));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> GradClipping.clipGradNorm(List.of(b), 1.0, 2.0, true));
    }

    @Test
    void sequentialAndPlateauSchedules() {
        Tensor p = param(0);
        SGD sgd = new SGD(List.of(p), 1.0);
        LinearLR warmup = new LinearLR(sgd, 0.25, 1.0, 3);
        CosineAnnealingLR cosine = new CosineAnnealingLR(sgd, 4, 0.0);
        SequentialLR seq = new SequentialLR(sgd, List.of(warmup, cosine), new int[] {3});
        double[] expected = {0.25, 0.5, 0.75, 1.0, Math.cos(Math.PI / 4) * 0.5 + 0.5, 0.5, 0.5 - Math.cos(Math.PI / 4) * 0.5, 0.0};
        double[] lrs = new double[expected.length];
        lrs[0] = sgd.paramGroups().get(0).lr();
        for (int i = 1; i < expected.length; i++) {
            seq.step();
            lrs[i] = sgd.paramGroups().get(0).lr();
        }
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], lrs[i], 1e-12, "epoch " + i);

        SGD s2 = new SGD(List.of(param(0)), 1.0);
        ReduceLROnPlateau plateau = new ReduceLROnPlateau(s2, "min", 0.5, 1, 1e-4, "rel", 0, 0.1, 1e-8);
        double[] losses = {1.0, 0.9, 0.95, 0.96, 0.97, 0.98, 0.99, 1.0};
        double[] lr = new double[losses.length];
        for (int i = 0; i < losses.length; i++) {
            plateau.step(losses[i]);
            lr[i] = s2.paramGroups().get(0).lr();
        }
        assertEquals(1.0, lr[2]);
        assertEquals(0.5, lr[3]);
        assertEquals(0.25, lr[5]);
        assertEquals(0.125, lr[7]);
    }
}
