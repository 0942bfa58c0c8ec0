package dev.kindling.ops;

import dev.kindling.autograd.GradMode;
import dev.kindling.autograd.Graph;
import dev.kindling.backend.Conv2dGeometry;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.ArrayList;
import java.util.List;

/**
 * Convolution and pooling. conv2d with one group is the backend's {@link
 * dev.kindling.backend.Backend#conv2d} kernel (which picks its algorithm per shape) recorded as one
 * node, whose backward is the backend's {@link dev.kindling.backend.Backend#conv2dBackward}; only
 * when that backward is itself recorded (second derivatives) is it composed of differentiable ops.
 * Grouped convolution is im2col followed by one batched GEMM per group; because im2col ({@link
 * #unfold}) and col2im ({@link #fold}) are each other's gradient and the GEMM is a recorded bmm,
 * its backward is GEMMs plus col2im without a line of its own, and is itself differentiable. Max pooling finds the argmax with a kernel and gathers the values, so its
 * gradient is gather's (scatter-add to the winners).
 */
public final class Convolution {
    private Convolution() {}

    /** im2col of x [N, C, H, W] into [N, C*kH*kW, outH*outW]; differentiable (its gradient is fold). */
    public static Tensor unfold(Tensor x, Conv2dGeometry g) {
        int n = x.size(0);
        Tensor cols = Kernels.empty(x, x.dtype(), new int[] {n, g.columnRows(), g.columnCols()});
        if (cols.numel() > 0) x.backend().im2col(x.strided(), g, cols.strided());
        return Graph.record("Im2ColBackward0", cols, x, gr -> fold(gr, g));
    }

    /** col2im: sums columns [N, C*kH*kW, outH*outW] back onto [N, C, H, W]; differentiable (its gradient is unfold). */
    public static Tensor fold(Tensor cols, Conv2dGeometry g) {
        int n = cols.size(0);
        Tensor x = Tensors.zeros(cols.dtype(), cols.device(), n, g.channels(), g.height(), g.width());
        if (cols.numel() > 0) cols.backend().col2im(cols.strided(), g, x.strided());
        return Graph.record("Col2ImBackward0", x, cols, gr -> unfold(gr, g));
    }

    /**
     * 2-D convolution (cross-correlation, as PyTorch) of x [N, C, H, W] with w [O, C/groups, kH, kW].
     */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        if (x.dim() != 4) {
            throw new IllegalArgumentException("conv2d: expected a 4-D input [N, C, H, W] but got shape " + Shapes.str(x.shape()));
        }
        if (w.dim() != 4) {
            throw new IllegalArgumentException("conv2d: expected a 4-D weight [O, C/groups, kH, kW] but got shape " + Shapes.str(w.shape()));
        }
        if (groups <= 0) throw new IllegalArgumentException("conv2d: groups must be positive but got " + groups);
        int n = x.size(0);
        int c = x.size(1);
        int o = w.size(0);
        if (c % groups != 0 || o % groups != 0) {
            throw new IllegalArgumentException("conv2d: in_channels (" + c + ") and out_channels (" + o
                    + ") must both be divisible by groups (" + groups + ")");
        }
        if (w.size(1) * groups != c) {
            throw new IllegalArgumentException("conv2d: weight of shape " + Shapes.str(w.shape()) + " expects input with "
                    + w.size(1) * groups + " channels (groups=" + groups + ") but got " + c + " channels (input shape "
                    + Shapes.str(x.shape()) + ")");
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != o)) {
            throw new IllegalArgumentException("conv2d: bias must have shape [" + o + "] but has " + Shapes.str(bias.shape()));
        }
        if (x.dtype() != w.dtype() || !x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("conv2d: input and weight must share a floating point dtype, got "
                    + x.dtype() + " and " + w.dtype());
        }
        Conv2dGeometry g = Conv2dGeometry.of("conv2d", c, x.size(2), x.size(3), new int[] {w.size(2), w.size(3)},
                stride, padding, dilation, false);
        if (groups == 1 && (bias == null || bias.dtype() == x.dtype())) return conv2dDense(x, w, bias, g);
        Tensor cols = unfold(x, g);
        int cg = c / groups;
        int og = o / groups;
        int k = cg * g.kernelH() * g.kernelW();
        Tensor out;
        if (groups == 1) {
            out = w.reshape(1, o, k).bmm(cols);
        } else {
            List<Tensor> parts = new ArrayList<>(groups);
            for (int gi = 0; gi < groups; gi++) {
                Tensor wg = w.narrow(0, gi * og, og).reshape(1, og, k);
                parts.add(wg.bmm(cols.narrow(1, gi * k, k)));
            }
            out = Tensors.cat(parts, 1);
        }
        if (bias != null) out = out.add(bias.view(1, o, 1));
        return out.view(n, o, g.outH(), g.outW());
    }

    /** One-group conv2d through the backend's kernel, recorded as a single node. */
    private static Tensor conv2dDense(Tensor x, Tensor w, Tensor bias, Conv2dGeometry g) {
        Tensor out = Kernels.empty(x, x.dtype(), new int[] {x.size(0), w.size(0), g.outH(), g.outW()});
        if (out.numel() > 0) {
            try (GradMode.Scope ignored = GradMode.noGrad()) {
                Tensor b = bias == null ? null : bias.contiguous();
                x.backend().conv2d(x.contiguous().strided(), w.contiguous().strided(), b == null ? null : b.strided(), g,
                        out.strided());
            }
        }
        Tensor[] inputs = bias == null ? new Tensor[] {x, w} : new Tensor[] {x, w, bias};
        return Graph.record("ConvolutionBackward0", out, inputs, new Tensor[] {x, w},
                gr -> conv2dDenseBackward(gr, x, w, bias != null, g));
    }

    /**
     * Gradients of {@link #conv2dDense} for the inputs that require them (null for the others):
     * by the backend's kernel, or, while the backward itself is recorded, by differentiable ops
     * (the columns' GEMMs, fold and unfold).
     */
    private static Tensor[] conv2dDenseBackward(Tensor gr, Tensor x, Tensor w, boolean hasBias, Conv2dGeometry g) {
        int n = x.size(0);
        int o = w.size(0);
        int k = g.columnRows();
        int l = g.columnCols();
        Tensor gx = null;
        Tensor gw = null;
        Tensor gb = null;
        if (GradMode.isEnabled()) {
            Tensor g3 = gr.reshape(n, o, l);
            if (x.requiresGrad()) gx = fold(w.reshape(1, o, k).transpose(1, 2).bmm(g3), g);
            if (w.requiresGrad()) gw = g3.bmm(unfold(x, g).transpose(1, 2)).sum(0).view(w.shape());
            if (hasBias) gb = gr.sum(0, 2, 3);
        } else {
            if (x.requiresGrad()) gx = Kernels.empty(x, x.dtype(), x.shape());
            if (w.requiresGrad()) gw = Kernels.empty(w, w.dtype(), w.shape());
            if (hasBias) gb = Kernels.empty(w, w.dtype(), new int[] {o});
            x.backend().conv2dBackward(gr.contiguous().strided(), x.contiguous().strided(), w.contiguous().strided(), g,
                    gx == null ? null : gx.strided(), gw == null ? null : gw.strided(), gb == null ? null : gb.strided());
        }
        return hasBias ? new Tensor[] {gx, gw, gb} : new Tensor[] {gx, gw};
    }

    /** Max pooling; returns the values and the flat (h * W + w) index of each window's maximum. */
    public static Reductions.ValuesIndices maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation,
                                                     boolean ceilMode) {
        boolean batched = x.dim() == 4;
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException("maxPool2d: expected a 3-D or 4-D input but got shape " + Shapes.str(x.shape()));
        }
        Tensor x4 = batched ? x : x.unsqueeze(0);
        for (int i = 0; i < 2; i++) {
            if (padding[i] * 2 > kernel[i]) {
                throw new IllegalArgumentException("maxPool2d: pad should be at most half of effective kernel size, but got pad="
                        + padding[i] + ", kernel_size=" + kernel[i]);
            }
        }
        Conv2dGeometry g = Conv2dGeometry.of("maxPool2d", x4.size(1), x4.size(2), x4.size(3), kernel, stride, padding,
                dilation, ceilMode);
        int n = x4.size(0);
        int c = x4.size(1);
        Tensor idx = Tensors.empty(DType.INT64, x.device(), n, c, g.outH(), g.outW());
        Tensor pooled = Tensors.empty(x.dtype(), x.device(), n, c, g.outH(), g.outW());
        if (idx.numel() > 0) x.backend().maxPool2d(x4.strided(), g, pooled.strided(), idx.strided());
        int[] inShape = x4.shape();
        Tensor indices = idx;
        Tensor values = Graph.record("MaxPool2DWithIndicesBackward0", pooled, x4, new Tensor[] {idx},
                gr -> maxPool2dBackward(gr, indices, g, inShape));
        if (!batched) {
            values = values.squeeze(0);
            idx = idx.squeeze(0);
        }
        return new Reductions.ValuesIndices(values, idx);
    }

    /**
     * Max pooling's gradient: grad added at each window's argmax. While the backward itself is
     * recorded (second derivatives), as a differentiable scatter-add; otherwise by the backend's
     * kernel.
     */
    private static Tensor maxPool2dBackward(Tensor grad, Tensor idx, Conv2dGeometry g, int[] inShape) {
        int n = inShape[0];
        int c = inShape[1];
        if (GradMode.isEnabled()) {
            Tensor zeros = Tensors.zeros(grad.dtype(), grad.device(), n, c, g.height() * g.width());
            return zeros.scatterAdd(2, idx.view(n, c, -1), grad.reshape(n, c, -1)).view(inShape);
        }
        Tensor gradInput = Tensors.zeros(grad.dtype(), grad.device(), inShape);
        if (grad.numel() > 0) grad.backend().maxPool2dBackward(grad.contiguous().strided(), idx.strided(), g, gradInput.strided());
        return gradInput;
    }

    /** Average pooling through im2col; padded positions count unless {@code countIncludePad} is false. */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad, Integer divisorOverride) {
        boolean batched = x.dim() == 4;
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException("avgPool2d: expected a 3-D or 4-D input but got shape " + Shapes.str(x.shape()));
        }
        Tensor x4 = batched ? x : x.unsqueeze(0);
        Conv2dGeometry g = Conv2dGeometry.of("avgPool2d", x4.size(1), x4.size(2), x4.size(3), kernel, stride, padding,
                new int[] {1, 1}, ceilMode);
        int n = x4.size(0);
        int c = x4.size(1);
        int kk = g.kernelH() * g.kernelW();
        // Pool each channel as its own "image" so the window sum is a sum over one column block.
        Conv2dGeometry single = new Conv2dGeometry(1, g.height(), g.width(), g.kernelH(), g.kernelW(), g.strideH(),
                g.strideW(), g.padH(), g.padW(), 1, 1, g.outH(), g.outW());
        Tensor cols = unfold(x4.reshape(n * c, 1, g.height(), g.width()), single);
        Tensor sums = cols.sum(1);
        Tensor out;
        if (divisorOverride != null) {
            out = sums.div(divisorOverride);
        } else if (countIncludePad && !ceilMode) {
            out = sums.div(kk);
        } else {
            // Count the window cells that are inside the input (or inside input + padding).
            Tensor ones = Tensors.ones(x.dtype(), x.device(), 1, 1, g.height(), g.width());
            Conv2dGeometry counting = countIncludePad
                    ? new Conv2dGeometry(1, g.height() + 2 * g.padH(), g.width() + 2 * g.padW(), g.kernelH(), g.kernelW(),
                        g.strideH(), g.strideW(), 0, 0, 1, 1, g.outH(), g.outW())
                    : single;
            Tensor src = countIncludePad ? ones.pad(new int[] {g.padW(), g.padW(), g.padH(), g.padH()}, 1.0) : ones;
            Tensor counts = unfold(src, counting).sum(1);
            out = sums.div(counts);
        }
        out = out.view(n, c, g.outH(), g.outW());
        return batched ? out : out.squeeze(0);
    }

    /** Adaptive average pooling to outH x outW, with PyTorch's bins [floor(i*H/oh), ceil((i+1)*H/oh)). */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException("adaptiveAvgPool2d: expected a 3-D or 4-D input but got shape " + Shapes.str(x.shape()));
        }
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("adaptiveAvgPool2d: output size must be positive but got " + outH + "x" + outW);
        }
        int h = x.size(-2);
        int w = x.size(-1);
        if (outH == 1 && outW == 1) return x.mean(new int[] {-2, -1}, true);
        if (h % outH == 0 && w % outW == 0) {
            int[] k = {h / outH, w / outW};
            return avgPool2d(x, k, k, new int[] {0, 0}, false, true, null);
        }
        List<Tensor> rows = new ArrayList<>(outH);
        for (int i = 0; i < outH; i++) {
            int h0 = (int) Math.floor((double) i * h / outH);
            int h1 = (int) Math.ceil((double) (i + 1) * h / outH);
            List<Tensor> cells = new ArrayList<>(outW);
            for (int j = 0; j < outW; j++) {
                int w0 = (int) Math.floor((double) j * w / outW);
                int w1 = (int) Math.ceil((double) (j + 1) * w / outW);
                cells.add(x.narrow(-2, h0, h1 - h0).narrow(-1, w0, w1 - w0).mean(new int[] {-2, -1}, false));
            }
            rows.add(Tensors.stack(cells, -1));
        }
        return Tensors.stack(rows, -2);
    }
}
