package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/** x / (1 + |x|), as {@code torch.nn.Softsign}. */
public final class Softsign extends Module {
    @Override
    public Tensor forward(Tensor input) { return F.softsign(input); }
}
