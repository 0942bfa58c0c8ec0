package dev.kindling.nn;

import dev.kindling.tensor.Tensor;

/** x for x > 0, else slope * x, as {@code torch.nn.LeakyReLU} (slope 0.01 by default). */
public final class LeakyReLU extends Module {
    private final double negativeSlope;

    public LeakyReLU() { this(0.01); }

    public LeakyReLU(double negativeSlope) { this.negativeSlope = negativeSlope; }

    @Override
    public Tensor forward(Tensor input) { return input.leakyRelu(negativeSlope); }

    @Override
    protected String extraRepr() { return "negative_slope=" + Repr.py(negativeSlope); }
}
