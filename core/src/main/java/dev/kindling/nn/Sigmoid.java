package dev.kindling.nn;

import dev.kindling.tensor.Tensor;

/** 1 / (1 + exp(-x)), as {@code torch.nn.Sigmoid}. */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) { return input.sigmoid(); }
}
