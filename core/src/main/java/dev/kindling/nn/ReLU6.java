package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/** min(max(x, 0), 6), as {@code torch.nn.ReLU6}. */
public final class ReLU6 extends Module {
    @Override
    public Tensor forward(Tensor input) { return F.relu6(input); }
}
