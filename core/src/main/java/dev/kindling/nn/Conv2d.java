package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/**
 * 2-D convolution over [N, C, H, W], as {@code torch.nn.Conv2d}: weight [out, in/groups, kH, kW]
 * and bias [out] start uniform in +-1/sqrt(fan_in). Constructor arguments follow PyTorch's
 * positional order; padding may also be "same" or "valid".
 */
public final class Conv2d extends Module {
    private final int in;
    private final int out;
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final String paddingMode;
    private final int[] dilation;
    private final int groups;

    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1, true);
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, new int[] {stride, stride},
                new int[] {padding, padding}, new int[] {1, 1}, 1, true);
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups, boolean bias) {
        this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, new int[] {stride, stride},
                new int[] {padding, padding}, new int[] {dilation, dilation}, groups, bias);
    }

    /** padding = "same" (stride 1 only) or "valid". */
    public Conv2d(int inChannels, int outChannels, int kernelSize, String padding) {
        this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, new int[] {1, 1}, null, padding, new int[] {1, 1}, 1, true);
    }

    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation, int groups, boolean bias) {
        this(inChannels, outChannels, kernelSize, stride, padding, null, dilation, groups, bias);
    }

    private Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, String paddingMode,
                   int[] dilation, int groups, boolean bias) {
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("Conv2d: in_channels (" + inChannels + ") and out_channels (" + outChannels
                    + ") must be divisible by groups (" + groups + ")");
        }
        if (paddingMode != null && !paddingMode.equals("same") && !paddingMode.equals("valid")) {
            throw new IllegalArgumentException("Conv2d: padding must be 'same', 'valid' or integers, got '" + paddingMode + "'");
        }
        this.in = inChannels;
        this.out = outChannels;
        this.kernel = kernelSize.clone();
        this.stride = stride.clone();
        this.padding = padding == null ? new int[] {0, 0} : padding.clone();
        this.paddingMode = paddingMode;
        this.dilation = dilation.clone();
        this.groups = groups;
        registerParameter("weight", Tensors.empty(outChannels, inChannels / groups, kernelSize[0], kernelSize[1]));
        registerParameter("bias", bias ? Tensors.empty(outChannels) : null);
        resetParameters(Generator.defaultGenerator());
    }

    public void resetParameters(Generator g) {
        Init.kaimingUniform_(weight(), Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", g);
        if (bias() != null) {
            int fanIn = Init.fans(weight())[0];
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            Init.uniform_(bias(), -bound, bound, g);
        }
    }

    public Tensor weight() { return param("weight"); }

    public Tensor bias() { return param("bias"); }

    @Override
    public Tensor forward(Tensor input) {
        if (paddingMode != null) return F.conv2d(input, weight(), bias(), stride[0], paddingMode, dilation[0], groups);
        return F.conv2d(input, weight(), bias(), stride, padding, dilation, groups);
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder(in + ", " + out + ", kernel_size=" + Repr.tuple(kernel) + ", stride=" + Repr.tuple(stride));
        if (paddingMode != null) s.append(", padding=").append(paddingMode);
        else if (padding[0] != 0 || padding[1] != 0) s.append(", padding=").append(Repr.tuple(padding));
        if (dilation[0] != 1 || dilation[1] != 1) s.append(", dilation=").append(Repr.tuple(dilation));
        if (groups != 1) s.append(", groups=").append(groups);
        if (bias() == null) s.append(", bias=False");
        return s.toString();
    }
}
