package dev.kindling.ops;

import dev.kindling.autograd.GradMode;
import dev.kindling.autograd.Graph;
import dev.kindling.backend.Conv2dGeometry;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/**
 * conv2d with one group as a single autograd node ({@code ConvolutionBackward0}, as in PyTorch),
 * computed by the backend's {@code conv2d} / {@code conv2dBackward} kernels, which can keep each
 * image's im2col columns in cache instead of writing and reading back a [N, C*kH*kW, outH*outW]
 * buffer of tens of MB, as the composed form (unfold, bmm, fold) does. The node keeps only x and
 * w, like PyTorch's; the backward recomputes the columns.
 *
 * <p>A backward that is itself recorded (create_graph, for second derivatives) is built from the
 * differentiable ops instead, so the node is differentiable to any order.
 */
final class Conv2dFunction {
    private Conv2dFunction() {}

    static Tensor forward(Tensor x, Tensor w, Tensor bias, Conv2dGeometry g) {
        int n = x.size(0);
        int o = w.size(0);
        Tensor out = Kernels.empty(x, x.dtype(), new int[] {n, o, g.columnCols()});
        if (out.numel() > 0) {
            x.backend().conv2d(x.detach(), w.detach().reshape(o, g.columnRows()), g, out);
            if (bias != null) {
                try (GradMode.Scope ignored = GradMode.noGrad()) {
                    out.add_(bias.detach().view(1, o, 1));
                }
            }
        }
        Tensor result = out.view(n, o, g.outH(), g.outW());
        Tensor[] inputs = bias == null ? new Tensor[] {x, w} : new Tensor[] {x, w, bias};
        return Graph.record("ConvolutionBackward0", result, inputs, new Tensor[] {x, w}, grad -> backward(grad, x, w, bias, g));
    }

    private static Tensor[] backward(Tensor grad, Tensor x, Tensor w, Tensor bias, Conv2dGeometry g) {
        int n = x.size(0);
        int o = w.size(0);
        int k = g.columnRows();
        Tensor g3 = grad.reshape(n, o, g.columnCols());
        Tensor gb = bias != null && bias.requiresGrad() ? g3.sum(new int[] {0, 2}, false) : null;
        Tensor gx;
        Tensor gw;
        if (GradMode.isEnabled()) {
            Tensor w3 = w.reshape(1, o, k);
            gx = x.requiresGrad() ? Convolution.fold(w3.mT().bmm(g3), g) : null;
            gw = w.requiresGrad() ? g3.bmm(Convolution.unfold(x, g).mT()).sum(new int[] {0}, false).view(w.shape()) : null;
        } else {
            gx = x.requiresGrad() ? Tensors.zeros(x.dtype(), x.device(), x.shape()) : null;
            Tensor perImage = w.requiresGrad() ? Kernels.empty(x, x.dtype(), new int[] {n, o, k}) : null;
            if (grad.numel() > 0 && (gx != null || perImage != null)) {
                x.backend().conv2dBackward(x.detach(), w.detach().reshape(o, k), g3.contiguous(), g, gx, perImage);
            } else if (perImage != null) {
                perImage = Tensors.zeros(x.dtype(), x.device(), n, o, k);
            }
            gw = perImage == null ? null : perImage.sum(new int[] {0}, false).view(w.shape());
        }
        return bias == null ? new Tensor[] {gx, gw} : new Tensor[] {gx, gw, gb};
    }
}
