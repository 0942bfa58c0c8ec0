package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/**
 * {@code y = x W^T + b}, as {@code torch.nn.Linear}; weight [out, in] and bias [out] start
 * uniform in +-1/sqrt(in) (PyTorch's kaiming_uniform with a = sqrt(5)).
 */
public final class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("Linear: features must be >= 0, got in=" + inFeatures + ", out=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        registerParameter("weight", Tensors.empty(outFeatures, inFeatures));
        registerParameter("bias", bias ? Tensors.empty(outFeatures) : null);
        resetParameters(Generator.defaultGenerator());
    }

    /** Re-draws the weights with PyTorch's default initialisation. */
    public void resetParameters(Generator g) {
        Init.kaimingUniform_(weight(), Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", g);
        if (bias() != null) {
            double bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
            Init.uniform_(bias(), -bound, bound, g);
        }
    }

    public Tensor weight() { return param("weight"); }

    public Tensor bias() { return param("bias"); }

    public int inFeatures() { return inFeatures; }

    public int outFeatures() { return outFeatures; }

    @Override
    public Tensor forward(Tensor input) { return F.linear(input, weight(), bias()); }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + Repr.bool(bias() != null);
    }
}
