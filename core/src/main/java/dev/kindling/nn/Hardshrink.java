package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/** x where |x| > lambd, else 0, as {@code torch.nn.Hardshrink}. */
public final class Hardshrink extends Module {
    private final double lambd;

    public Hardshrink() { this(0.5); }

    public Hardshrink(double lambd) { this.lambd = lambd; }

    @Override
    public Tensor forward(Tensor input) { return F.hardshrink(input, lambd); }

    @Override
    protected String extraRepr() { return Repr.py(lambd); }
}
