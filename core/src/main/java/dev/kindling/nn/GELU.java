package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/** x * Phi(x) (or its tanh approximation), as {@code torch.nn.GELU}. */
public final class GELU extends Module {
    private final String approximate;

    public GELU() { this("none"); }

    /** approximate = "none" or "tanh". */
    public GELU(String approximate) {
        if (!approximate.equals("none") && !approximate.equals("tanh")) {
            throw new IllegalArgumentException("GELU: approximate must be 'none' or 'tanh' but got '" + approximate + "'");
        }
        this.approximate = approximate;
    }

    @Override
    public Tensor forward(Tensor input) { return F.gelu(input, approximate); }

    @Override
    protected String extraRepr() { return "approximate='" + approximate + "'"; }
}
