package dev.kindling.nn;

import dev.kindling.tensor.Tensor;

/** max(x, 0), as {@code torch.nn.ReLU}. */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor input) { return input.relu(); }
}
