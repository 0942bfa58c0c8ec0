package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/** log(sigmoid(x)), computed stably, as {@code torch.nn.LogSigmoid}. */
public final class LogSigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) { return F.logsigmoid(input); }
}
