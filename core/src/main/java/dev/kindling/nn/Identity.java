package dev.kindling.nn;

import dev.kindling.tensor.Tensor;

/** Returns its input, as {@code torch.nn.Identity}: a placeholder in architectures. */
public final class Identity extends Module {
    @Override
    public Tensor forward(Tensor input) { return input; }
}
