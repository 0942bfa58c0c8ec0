package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/** x * relu6(x + 3) / 6, as {@code torch.nn.Hardswish}. */
public final class Hardswish extends Module {
    @Override
    public Tensor forward(Tensor input) { return F.hardswish(input); }
}
