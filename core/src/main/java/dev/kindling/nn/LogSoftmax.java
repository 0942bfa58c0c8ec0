package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/** log-softmax along dim, as {@code torch.nn.LogSoftmax}. */
public final class LogSoftmax extends Module {
    private final int dim;

    public LogSoftmax(int dim) { this.dim = dim; }

    @Override
    public Tensor forward(Tensor input) { return F.logSoftmax(input, dim); }

    @Override
    protected String extraRepr() { return "dim=" + dim; }
}
