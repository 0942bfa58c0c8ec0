package dev.kindling.ops;

import dev.kindling.autograd.GradMode;
import dev.kindling.autograd.Graph;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;

/**
 * softmax and log-softmax along a dim: one fused, max-subtracting kernel forward, and a fused
 * kernel backward. When the backward itself is being recorded (second derivatives), the gradient
 * is composed of differentiable ops instead: y * (g - sum(g * y)) and g - exp(y) * sum(g).
 */
public final class Softmax {
    private Softmax() {}

    public static Tensor softmax(Tensor x, int dim) { return apply(x, dim, false); }

    public static Tensor logSoftmax(Tensor x, int dim) { return apply(x, dim, true); }

    private static Tensor apply(Tensor x, int dim, boolean log) {
        String op = log ? "logSoftmax" : "softmax";
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expected a floating point tensor but got " + x.dtype());
        }
        Tensor xs = x.dim() == 0 ? x.reshape(1) : x;
        int d = Shapes.dim(op, dim, xs.dim());
        Tensor y = Kernels.empty(x, x.dtype(), xs.shape());
        if (y.numel() > 0) x.backend().softmax(xs.strided(), d, log, y.strided());
        if (x.dim() == 0) y = y.reshape();
        Tensor out = y;
        return Graph.record(log ? "LogSoftmaxBackward0" : "SoftmaxBackward0", y, x, new Tensor[] {y},
                g -> backward(g, out, d, log));
    }

    private static Tensor backward(Tensor g, Tensor y, int dim, boolean log) {
        if (GradMode.isEnabled()) {
            return log ? g.sub(y.exp().mul(g.sum(dim, true))) : y.mul(g.sub(g.mul(y).sum(dim, true)));
        }
        if (y.dim() == 0) return log ? g.mul(0.0) : g.mul(0.0);
        Tensor out = Kernels.empty(g, g.dtype(), g.shape());
        g.backend().softmaxBackward(g.strided(), y.strided(), dim, log, out.strided());
        return out;
    }
}
