package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/** {@code y_k = x1^T A_k x2 + b_k}, as {@code torch.nn.Bilinear}; two inputs. */
public final class Bilinear extends Module {
    private final int in1;
    private final int in2;
    private final int out;

    public Bilinear(int in1Features, int in2Features, int outFeatures, boolean bias) {
        this.in1 = in1Features;
        this.in2 = in2Features;
        this.out = outFeatures;
        registerParameter("weight", Tensors.empty(outFeatures, in1Features, in2Features));
        registerParameter("bias", bias ? Tensors.empty(outFeatures) : null);
        double bound = 1 / Math.sqrt(in1Features);
        Generator g = Generator.defaultGenerator();
        Init.uniform_(param("weight"), -bound, bound, g);
        if (bias) Init.uniform_(param("bias"), -bound, bound, g);
    }

    public Bilinear(int in1Features, int in2Features, int outFeatures) {
        this(in1Features, in2Features, outFeatures, true);
    }

    public Tensor forward(Tensor input1, Tensor input2) { return F.bilinear(input1, input2, param("weight"), param("bias")); }

    @Override
    protected String extraRepr() {
        return "in1_features=" + in1 + ", in2_features=" + in2 + ", out_features=" + out + ", bias=" + Repr.bool(param("bias") != null);
    }
}
