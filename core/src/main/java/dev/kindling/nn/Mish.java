package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/** x * tanh(softplus(x)), as {@code torch.nn.Mish}. */
public final class Mish extends Module {
    @Override
    public Tensor forward(Tensor input) { return F.mish(input); }
}
