package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/** x clamped to [minVal, maxVal], as {@code torch.nn.Hardtanh}. */
public final class Hardtanh extends Module {
    private final double minVal;
    private final double maxVal;

    public Hardtanh() { this(-1.0, 1.0); }

    public Hardtanh(double minVal, double maxVal) {
        this.minVal = minVal;
        this.maxVal = maxVal;
    }

    @Override
    public Tensor forward(Tensor input) { return F.hardtanh(input, minVal, maxVal); }

    @Override
    protected String extraRepr() { return "min_val=" + Repr.py(minVal) + ", max_val=" + Repr.py(maxVal); }
}
