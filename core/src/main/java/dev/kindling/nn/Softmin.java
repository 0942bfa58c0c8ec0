package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/** softmax(-x) along dim, as {@code torch.nn.Softmin}. */
public final class Softmin extends Module {
    private final int dim;

    public Softmin(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) { return F.softmin(input, dim); }

    @Override
    protected String extraRepr() { return "dim=" + dim; }
}
