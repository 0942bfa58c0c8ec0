package dev.kindling.optim;

import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every optimizer creates its per-parameter state like the parameter (same device, dtype and
 * shape), so that a model moved to a GPU keeps its optimizer state there. Only the CPU can be
 * checked here; the rule it checks is "like the parameter", which the GPU run relies on.
 */
class OptimizerStateDeviceTest {

    @Test
    void stateTensorsLiveWhereTheirParameterLives() {
        List<Optimizer> optimizers = List.of(
                new SGD(List.of(param()), SGD.options(0.1).momentum(0.9)),
                new Adam(List.of(param()), Adam.options().amsgrad(true)),
                new AdamW(List.of(param()), 0.01),
                new RMSprop(List.of(param()), RMSprop.options().momentum(0.9).centered(true)),
                new Adagrad(List.of(param()), 0.1));
        for (Optimizer opt : optimizers) {
            Tensor p = opt.paramGroups().get(0).params().get(0);
            p.sum().backward();
            opt.step();
            int tensors = 0;
            for (Map.Entry<String, Object> e : opt.state(p).entrySet()) {
                if (!(e.getValue() instanceof Tensor t)) continue;
                tensors++;
                String what = opt.getClass().getSimpleName() + " state '" + e.getKey() + "'";
                assertEquals(p.device(), t.device(), what);
                assertEquals(p.dtype(), t.dtype(), what);
                assertEquals(List.of(2, 3), List.of(t.size(0), t.size(1)), what);
            }
            assertTrue(tensors > 0, opt.getClass().getSimpleName() + " kept no state tensor to check");
        }
    }

    private static Tensor param() {
        return Tensors.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad_(true);
    }
}
