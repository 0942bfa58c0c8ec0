package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/** x where x > threshold, else value, as {@code torch.nn.Threshold}. */
public final class Threshold extends Module {
    private final double threshold;
    private final double value;

    public Threshold(double threshold, double value) {
        this.threshold = threshold;
        this.value = value;
    }

    @Override
    public Tensor forward(Tensor input) { return F.threshold(input, threshold, value); }

    @Override
    protected String extraRepr() { return "threshold=" + Repr.py(threshold) + ", value=" + Repr.py(value); }
}
