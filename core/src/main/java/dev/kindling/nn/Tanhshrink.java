package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/** x - tanh(x), as {@code torch.nn.Tanhshrink}. */
public final class Tanhshrink extends Module {
    @Override
    public Tensor forward(Tensor input) { return F.tanhshrink(input); }
}
