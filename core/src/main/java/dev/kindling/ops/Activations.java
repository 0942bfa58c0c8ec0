package dev.kindling.ops;

import dev.kindling.autograd.GradMode;
import dev.kindling.autograd.Graph;
import dev.kindling.backend.UnaryOp;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;

/**
 * The activations of torch.nn.functional beyond the hot ones in {@link Elementwise}: the clamped
 * family (hardtanh, relu6, hardsigmoid, hardswish), the exponential family (selu, celu), and
 * compositions (mish, logsigmoid, softsign, tanhshrink, threshold, glu, softmin). Where a
 * composition of differentiable ops gives PyTorch's gradient it is used as is; hardtanh records
 * its own, because PyTorch passes the gradient only strictly inside the bounds (clamp passes it
 * at the bounds too).
 */
public final class Activations {
    private Activations() {}

    /** SELU's constants, as torch.nn.functional.selu. */
    public static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    public static final double SELU_SCALE = 1.0507009873554804934193349852946;

    /** min(max(x, min), max); the gradient passes where min < x < max. */
    public static Tensor hardtanh(Tensor x, double min, double max) {
        if (min > max) {
            throw new IllegalArgumentException("hardtanh: expected min_val <= max_val but got min_val=" + min + ", max_val=" + max);
        }
        Tensor y = Elementwise.floatUnary(UnaryOp.of(UnaryOp.Kind.CLAMP, min, max), x);
        return Graph.record("HardtanhBackward0", y, x, new Tensor[] {x}, g -> g.where(x.gt(min).logicalAnd(x.lt(max)), 0.0));
    }

    public static Tensor relu6(Tensor x) { return hardtanh(x, 0.0, 6.0); }

    /** relu6(x + 3) / 6. */
    public static Tensor hardsigmoid(Tensor x) { return relu6(x.add(3.0)).div(6.0); }

    /** x * relu6(x + 3) / 6. */
    public static Tensor hardswish(Tensor x) { return x.mul(relu6(x.add(3.0))).div(6.0); }

    /** scale * elu(x, alpha) with SELU's fixed constants. */
    public static Tensor selu(Tensor x) { return x.elu(SELU_ALPHA).mul(SELU_SCALE); }

    /** max(0, x) + min(0, alpha * (exp(x / alpha) - 1)) = alpha * elu(x / alpha, 1). */
    public static Tensor celu(Tensor x, double alpha) {
        if (alpha == 0) throw new IllegalArgumentException("celu: alpha must not be 0");
        return x.div(alpha).elu(1.0).mul(alpha);
    }

    /** x * tanh(softplus(x)). */
    public static Tensor mish(Tensor x) { return x.mul(x.softplus().tanh()); }

    /**
     * log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)), exact for any x (softplus's threshold would
     * cut its tail off); the gradient is sigmoid(-x).
     */
    public static Tensor logsigmoid(Tensor x) {
        Tensor y;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Tensor xf = x.to(Kernels.floatType(x.dtype()));
            y = xf.clampMax(0.0).sub(xf.abs().neg().exp().log1p());
        }
        return Graph.record("LogSigmoidBackward0", y, x, new Tensor[] {x}, g -> g.mul(x.neg().sigmoid()));
    }

    /** x / (1 + |x|). */
    public static Tensor softsign(Tensor x) { return x.div(x.abs().add(1.0)); }

    /** x - tanh(x). */
    public static Tensor tanhshrink(Tensor x) { return x.sub(x.tanh()); }

    /** x where x > threshold, else value; the gradient passes where x > threshold. */
    public static Tensor threshold(Tensor x, double threshold, double value) {
        return x.where(x.gt(threshold), value);
    }

    /** a * sigmoid(b) where a and b are the two halves of x along dim. */
    public static Tensor glu(Tensor x, int dim) {
        if (x.dim() == 0) throw new IllegalArgumentException("glu: expected a tensor of at least 1 dimension but got a 0-d tensor");
        int n = x.size(dim);
        if (n % 2 != 0) {
            throw new IllegalArgumentException("glu: halving dimension " + dim + " must be even but has size " + n);
        }
        return x.narrow(dim, 0, n / 2).mul(x.narrow(dim, n / 2, n / 2).sigmoid());
    }

    /** x where |x| > lambd, else 0. */
    public static Tensor hardshrink(Tensor x, double lambd) { return x.where(x.abs().gt(lambd), 0.0); }

    /** x - lambd above lambd, x + lambd below -lambd, else 0 (= x - clamp(x, -lambd, lambd)). */
    public static Tensor softshrink(Tensor x, double lambd) {
        if (lambd < 0) throw new IllegalArgumentException("softshrink: lambd must be >= 0 but got " + lambd);
        return x.sub(x.clamp(-lambd, lambd));
    }

    /**
     * x where x > 0, else weight * x; weight has one value, or one per channel (dim 1, or dim 0 of
     * a 1-D input), as torch.nn.functional.prelu.
     */
    public static Tensor prelu(Tensor x, Tensor weight) {
        if (weight.dim() > 1) throw new IllegalArgumentException("prelu: weight must be 0-D or 1-D but has shape " + Shapes.str(weight.shape()));
        Tensor w = weight;
        if (weight.numel() != 1) {
            int channelDim = x.dim() == 1 ? 0 : 1;
            if (x.dim() == 0 || x.size(channelDim) != weight.numel()) {
                throw new IllegalArgumentException("prelu: weight has " + weight.numel() + " values but the input of shape "
                        + Shapes.str(x.shape()) + " has " + (x.dim() == 0 ? 0 : x.size(channelDim)) + " channels");
            }
            int[] shape = new int[x.dim() - channelDim];
            java.util.Arrays.fill(shape, 1);
            shape[0] = weight.numel();
            w = weight.reshape(shape);
        } else {
            w = weight.reshape();
        }
        return x.where(x.gt(0.0), x.mul(w));
    }

    /** softmax(-x). */
    public static Tensor softmin(Tensor x, int dim) { return Softmax.softmax(x.neg(), dim); }
}
