package dev.kindling.nn;

import dev.kindling.tensor.Tensor;

/** log(1 + exp(beta x)) / beta, linear above the threshold, as {@code torch.nn.Softplus}. */
public final class Softplus extends Module {
    private final double beta;
    private final double threshold;

    public Softplus() { this(1.0, 20.0); }

    public Softplus(double beta, double threshold) {
        this.beta = beta;
        this.threshold = threshold;
    }

    @Override
    public Tensor forward(Tensor input) { return input.softplus(beta, threshold); }

    @Override
    protected String extraRepr() { return "beta=" + Repr.py(beta) + ", threshold=" + Repr.py(threshold); }
}
