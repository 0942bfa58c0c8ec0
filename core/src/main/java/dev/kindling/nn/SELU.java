package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/** scale * elu(x, alpha) with SELU's self-normalising constants, as {@code torch.nn.SELU}. */
public final class SELU extends Module {
    @Override
    public Tensor forward(Tensor input) { return F.selu(input); }
}
