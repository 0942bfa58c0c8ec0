package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The activation modules of issue 16 compute their functional form and print as PyTorch's repr. */
class NewActivationModulesTest {

    @Test
    void eachModuleIsItsFunctionalForm() {
        Tensor x = Tensors.randn(new Generator(7), DType.FLOAT64, 4, 6).mul(3.0);
        Map<Module, Function<Tensor, Tensor>> cases = Map.ofEntries(
                Map.entry(new ReLU6(), F::relu6), Map.entry(new Hardtanh(-0.5, 2.0), t -> F.hardtanh(t, -0.5, 2.0)),
                Map.entry(new SELU(), F::selu), Map.entry(new CELU(0.7), t -> F.celu(t, 0.7)), Map.entry(new Mish(), F::mish),
                Map.entry(new Hardswish(), F::hardswish), Map.entry(new Hardsigmoid(), F::hardsigmoid),
                Map.entry(new LogSigmoid(), F::logsigmoid), Map.entry(new Softsign(), F::softsign),
                Map.entry(new Tanhshrink(), F::tanhshrink), Map.entry(new Threshold(0.1, 20.0), t -> F.threshold(t, 0.1, 20.0)),
                Map.entry(new GLU(), t -> F.glu(t, -1)), Map.entry(new Softmin(1), t -> F.softmin(t, 1)),
                Map.entry(new Hardshrink(0.7), t -> F.hardshrink(t, 0.7)), Map.entry(new Softshrink(), t -> F.softshrink(t, 0.5)));
        for (var e : cases.entrySet()) {
            assertTrue(e.getKey().forward(x).equal(e.getValue().apply(x)), e.getKey().toString());
        }
        // and the functional forms are not all the same function
        assertTrue(!F.relu6(x).equal(F.hardsigmoid(x)));
    }

    @Test
    void learnedAndShapeModules() {
        PReLU prelu = new PReLU(3, 0.25);
        Tensor x = Tensors.randn(new Generator(8), DType.FLOAT32, 2, 3, 4);
        prelu.forward(x).sum().backward();
        assertEquals(3, prelu.param("weight").grad().numel());
        assertTrue(prelu.forward(x).equal(F.prelu(x, Tensors.full(0.25, 3))));
        GroupNorm gn = new GroupNorm(3, 6);
        Tensor y = Tensors.randn(new Generator(9), DType.FLOAT32, 2, 6, 5);
        assertTrue(gn.forward(y).equal(F.groupNorm(y, 3, Tensors.ones(6), Tensors.zeros(6), 1e-5)));
        Tensor z = Tensors.randn(new Generator(10), DType.FLOAT32, 1, 8, 2, 3);
        assertTrue(new PixelUnshuffle(2).forward(new PixelShuffle(2).forward(z)).equal(z));
    }

    @Test
    void reprsAreTorchs() {
        assertEquals("PReLU(num_parameters=1)", new PReLU().toString());
        assertEquals("GroupNorm(3, 6, eps=1e-05, affine=True)", new GroupNorm(3, 6).toString());
        assertEquals("Hardshrink(0.5)", new Hardshrink().toString());
        assertEquals("PixelShuffle(upscale_factor=2)", new PixelShuffle(2).toString());
        assertEquals("Hardtanh(min_val=-1.0, max_val=1.0)", new Hardtanh().toString());
        assertEquals("CELU(alpha=1.0)", new CELU().toString());
        assertEquals("Threshold(threshold=0.1, value=20.0)", new Threshold(0.1, 20.0).toString());
        assertEquals("GLU(dim=-1)", new GLU().toString());
        assertEquals("Softmin(dim=1)", new Softmin(1).toString());
        assertEquals("ReLU6()", new ReLU6().toString());
    }
}
