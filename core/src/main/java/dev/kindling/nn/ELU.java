package dev.kindling.nn;

import dev.kindling.tensor.Tensor;

/** x for x > 0, else alpha * (exp(x) - 1), as {@code torch.nn.ELU}. */
public final class ELU extends Module {
    private final double alpha;

    public ELU() { this(1.0); }

    public ELU(double alpha) { this.alpha = alpha; }

    @Override
    public Tensor forward(Tensor input) { return input.elu(alpha); }

    @Override
    protected String extraRepr() { return "alpha=" + Repr.py(alpha); }
}
