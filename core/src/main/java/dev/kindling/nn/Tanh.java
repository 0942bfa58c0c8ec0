package dev.kindling.nn;

import dev.kindling.tensor.Tensor;

/** tanh(x), as {@code torch.nn.Tanh}. */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tensor input) { return input.tanh(); }
}
