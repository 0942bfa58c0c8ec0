package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/** The gated linear unit: a * sigmoid(b) for the halves a, b of the input along dim, as {@code torch.nn.GLU}. */
public final class GLU extends Module {
    private final int dim;

    public GLU() { this(-1); }

    public GLU(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) { return F.glu(input, dim); }

    @Override
    protected String extraRepr() { return "dim=" + dim; }
}
