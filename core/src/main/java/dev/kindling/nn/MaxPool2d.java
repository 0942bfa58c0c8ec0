package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/** Max pooling, as {@code torch.nn.MaxPool2d}; stride defaults to the kernel size. */
public final class MaxPool2d extends Module {
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final boolean ceilMode;

    public MaxPool2d(int kernelSize) { this(kernelSize, kernelSize, 0, 1, false); }

    public MaxPool2d(int kernelSize, int stride, int padding) { this(kernelSize, stride, padding, 1, false); }

    public MaxPool2d(int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
        this.kernel = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.maxPool2dWithIndices(input, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding},
                new int[] {dilation, dilation}, ceilMode).values();
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding + ", dilation=" + dilation
                + ", ceil_mode=" + Repr.bool(ceilMode);
    }
}
