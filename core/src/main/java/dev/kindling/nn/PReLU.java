package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/**
 * x where x > 0, else a * x with a learned slope a (one, or one per channel), initialised to
 * {@code init}, as {@code torch.nn.PReLU}.
 */
public final class PReLU extends Module {
    private final int numParameters;

    public PReLU() { this(1, 0.25); }

    public PReLU(int numParameters, double init) {
        if (numParameters < 1) throw new IllegalArgumentException("PReLU: num_parameters must be >= 1 but got " + numParameters);
        this.numParameters = numParameters;
        registerParameter("weight", Tensors.full(init, numParameters));
    }

    @Override
    public Tensor forward(Tensor input) { return F.prelu(input, param("weight")); }

    @Override
    protected String extraRepr() { return "num_parameters=" + numParameters; }
}
