package dev.kindling.nn;

import dev.kindling.tensor.Tensor;

/** x * sigmoid(x), as {@code torch.nn.SiLU}. */
public final class SiLU extends Module {
    @Override
    public Tensor forward(Tensor input) { return input.silu(); }
}
