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
                Map.entry(new GLU(), t -> F.glu(t, -1)), Map.entry(new Softmin(1), t -> F.softmin(t, 1)));
        for (var e : cases.entrySet()) {
            assertTrue(e.getKey().forward(x).equal(e.getValue().apply(x)), e.getKey().toString());
        }
        // and the functional forms are not all the same function
        assertTrue(!F.relu6(x).equal(F.hardsigmoid(x)));
    }

    @Test
    void reprsAreTorchs() {
        assertEquals("Hardtanh(min_val=-1.0, max_val=1.0)", new Hardtanh().toString());
        assertEquals("CELU(alpha=1.0)", new CELU().toString());
        assertEquals("Threshold(threshold=0.1, value=20.0)", new Threshold(0.1, 20.0).toString());
        assertEquals("GLU(dim=-1)", new GLU().toString());
        assertEquals("Softmin(dim=1)", new Softmin(1).toString());
        assertEquals("ReLU6()", new ReLU6().toString());
    }
}
