package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/** softmax along dim, as {@code torch.nn.Softmax}. */
public final class Softmax extends Module {
    private final int dim;

    public Softmax(int dim) { this.dim = dim; }

    @Override
    public Tensor forward(Tensor input) { return F.softmax(input, dim); }

    @Override
    protected String extraRepr() { return "dim=" + dim; }
}
