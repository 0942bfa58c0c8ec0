package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/** max(0, x) + min(0, alpha * (exp(x / alpha) - 1)), as {@code torch.nn.CELU}. */
public final class CELU extends Module {
    private final double alpha;

    public CELU() { this(1.0); }

    public CELU(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public Tensor forward(Tensor input) { return F.celu(input, alpha); }

    @Override
    protected String extraRepr() { return "alpha=" + Repr.py(alpha); }
}
