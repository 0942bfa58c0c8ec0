package dev.kindling.backend;

/**
 * The shape arithmetic of a 2-D sliding window (convolution or pooling) over [N, C, H, W] inputs:
 * kernel, stride, padding and dilation per spatial dim, and the resulting output size, computed
 * as PyTorch does: {@code out = floor((in + 2 pad - dilation (k - 1) - 1) / stride) + 1}, or with
 * ceil in ceil mode (a window may not start inside the right padding).
 */
public record Conv2dGeometry(int channels, int height, int width, int kernelH, int kernelW, int strideH, int strideW,
                             int padH, int padW, int dilationH, int dilationW, int outH, int outW) {

    /** Computes the output size; throws when the window does not fit. */
    public static Conv2dGeometry of(String op, int channels, int height, int width, int[] kernel, int[] stride,
                                    int[] padding, int[] dilation, boolean ceilMode) {
        for (int i = 0; i < 2; i++) {
            if (kernel[i] <= 0) throw new IllegalArgumentException(op + ": kernel size must be positive but got " + kernel[i]);
            if (stride[i] <= 0) throw new IllegalArgumentException(op + ": stride must be positive but got " + stride[i]);
            if (padding[i] < 0) throw new IllegalArgumentException(op + ": padding must be non-negative but got " + padding[i]);
            if (dilation[i] <= 0) throw new IllegalArgumentException(op + ": dilation must be positive but got " + dilation[i]);
        }
        int oh = outSize(height, kernel[0], stride[0], padding[0], dilation[0], ceilMode);
        int ow = outSize(width, kernel[1], stride[1], padding[1], dilation[1], ceilMode);
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(op + ": input of spatial size " + height + "x" + width + " with kernel "
                    + kernel[0] + "x" + kernel[1] + ", stride " + stride[0] + "x" + stride[1] + ", padding " + padding[0]
                    + "x" + padding[1] + " and dilation " + dilation[0] + "x" + dilation[1] + " gives an empty output ("
                    + oh + "x" + ow + "); the input is too small");
        }
        return new Conv2dGeometry(channels, height, width, kernel[0], kernel[1], stride[0], stride[1], padding[0],
                padding[1], dilation[0], dilation[1], oh, ow);
    }

    private static int outSize(int in, int k, int s, int p, int d, boolean ceil) {
        int span = in + 2 * p - d * (k - 1) - 1;
        if (span < 0) return 0;
        int out = (ceil ? (span + s - 1) / s : span / s) + 1;
        // In ceil mode the last window must start inside the input or the left padding.
        if (ceil && (out - 1) * s >= in + p) out--;
        return out;
    }

    /** Rows of the im2col matrix: channels * kernelH * kernelW. */
    public int columnRows() { return channels * kernelH * kernelW; }

    /** Columns of the im2col matrix: outH * outW. */
    public int columnCols() { return outH * outW; }
}
