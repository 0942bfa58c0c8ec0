package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/** x shrunk toward 0 by lambd (0 inside [-lambd, lambd]), as {@code torch.nn.Softshrink}. */
public final class Softshrink extends Module {
    private final double lambd;

    public Softshrink() { this(0.5); }

    public Softshrink(double lambd) { this.lambd = lambd; }

    @Override
    public Tensor forward(Tensor input) { return F.softshrink(input, lambd); }

    @Override
    protected String extraRepr() { return Repr.py(lambd); }
}
