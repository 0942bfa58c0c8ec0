package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/** relu6(x + 3) / 6, as {@code torch.nn.Hardsigmoid}. */
public final class Hardsigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) { return F.hardsigmoid(input); }
}
