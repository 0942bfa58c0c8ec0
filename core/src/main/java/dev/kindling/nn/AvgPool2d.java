package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/** Average pooling, as {@code torch.nn.AvgPool2d}; stride defaults to the kernel size. */
public final class AvgPool2d extends Module {
    private final int kernel;
    private final int stride;
    private final int padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;

    public AvgPool2d(int kernelSize) { this(kernelSize, kernelSize, 0, false, true); }

    public AvgPool2d(int kernelSize, int stride, int padding) { this(kernelSize, stride, padding, false, true); }

    public AvgPool2d(int kernelSize, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        this.kernel = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.avgPool2d(input, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding},
                ceilMode, countIncludePad, null);
    }

    @Override
    protected String extraRepr() { return "kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding; }
}
