package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/** Average pooling to a fixed output size, as {@code torch.nn.AdaptiveAvgPool2d}. */
public final class AdaptiveAvgPool2d extends Module {
    private final int outH;
    private final int outW;

    public AdaptiveAvgPool2d(int outputSize) { this(outputSize, outputSize); }

    public AdaptiveAvgPool2d(int outH, int outW) {
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Tensor forward(Tensor input) { return F.adaptiveAvgPool2d(input, outH, outW); }

    @Override
    protected String extraRepr() { return "output_size=" + Repr.tuple(outH, outW); }
}
