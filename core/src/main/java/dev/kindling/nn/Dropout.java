package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;

/**
 * Zeroes elements with probability p during training and scales the rest by 1/(1-p); the
 * identity in eval mode, as {@code torch.nn.Dropout}. Masks come from the given generator (the
 * default one when none), so a seeded run drops the same elements every time.
 */
public final class Dropout extends Module {
    private final double p;
    private final Generator generator;

    public Dropout() { this(0.5); }

    public Dropout(double p) { this(p, null); }

    public Dropout(double p, Generator generator) {
        if (p < 0 || p > 1) throw new IllegalArgumentException("Dropout: probability has to be between 0 and 1, but got " + p);
        this.p = p;
        this.generator = generator;
    }

    @Override
    public Tensor forward(Tensor input) { return F.dropout(input, p, isTraining(), generator); }

    @Override
    protected String extraRepr() { return "p=" + Repr.py(p) + ", inplace=False"; }
}
