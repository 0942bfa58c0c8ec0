package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/** 1-D convolution over [N, C, L], as {@code torch.nn.Conv1d}; weight [out, in/groups, k]. */
public final class Conv1d extends Module {
    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final int groups;

    public Conv1d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0, 1, 1, true);
    }

    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups, boolean bias) {
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("Conv1d: in_channels (" + inChannels + ") and out_channels (" + outChannels
                    + ") must be divisible by groups (" + groups + ")");
        }
        this.in = inChannels;
        this.out = outChannels;
        this.kernel = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        registerParameter("weight", Tensors.empty(outChannels, inChannels / groups, kernelSize));
        registerParameter("bias", bias ? Tensors.empty(outChannels) : null);
        Generator g = Generator.defaultGenerator();
        Init.kaimingUniform_(param("weight"), Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", g);
        if (bias) {
            int fanIn = Init.fans(param("weight"))[0];
            Init.uniform_(param("bias"), -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn), g);
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.conv1d(input, param("weight"), param("bias"), stride, padding, dilation, groups);
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder(in + ", " + out + ", kernel_size=" + Repr.tuple(kernel) + ", stride=" + Repr.tuple(stride));
        if (padding != 0) s.append(", padding=").append(Repr.tuple(padding));
        if (dilation != 1) s.append(", dilation=").append(Repr.tuple(dilation));
        if (groups != 1) s.append(", groups=").append(groups);
        if (param("bias") == null) s.append(", bias=False");
        return s.toString();
    }
}
