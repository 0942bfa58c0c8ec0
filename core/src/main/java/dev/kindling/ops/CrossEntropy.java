package dev.kindling.ops;

import dev.kindling.autograd.GradMode;
import dev.kindling.autograd.Graph;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/**
 * Cross-entropy of [M, C] logits against class indices, per row, as one op:
 * loss[i] = weight[i] * (logsumexp(x[i]) - x[i, target[i]]). Composed of log-softmax, gather and
 * mul it would keep an [M, C] log-softmax for backward and build two more [M, C] tensors there (the
 * pick's zero-filled gradient and the log-softmax gradient); fused, the forward keeps one
 * log-sum-exp per row and the backward writes weight * g * (softmax(x) - one-hot) in one pass.
 * The row weights (class weights, zero for ignored rows) are constants, as in PyTorch, where
 * cross-entropy has no gradient for its weight. When the backward itself is recorded (second
 * derivatives) the gradient is composed of differentiable ops instead.
 */
public final class CrossEntropy {
    private CrossEntropy() {}

    /**
     * @param x      logits [M, C], float32 or float64
     * @param target int64 [M], every entry in [0, C) (ignored rows hold any valid class and weight 0)
     * @param weight [M] of x's dtype, not requiring grad
     * @return the per-row losses [M]
     */
    public static Tensor perRow(Tensor x, Tensor target, Tensor weight) {
        int m = x.size(0);
        Tensor logits = x.detach().contiguous();
        Tensor lse = Kernels.empty(x, x.dtype(), new int[] {m});
        if (m > 0) x.backend().logSumExpRows(logits.strided(), lse.strided());
        Tensor losses;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            losses = lse.sub(logits.gather(1, target.unsqueeze(1)).squeeze(1)).mul(weight);
        }
        return Graph.record("CrossEntropyLossBackward0", losses, x, new Tensor[] {x},
                g -> backward(g, x, logits, lse, target, weight));
    }

    private static Tensor backward(Tensor g, Tensor x, Tensor logits, Tensor lse, Tensor target, Tensor weight) {
        Tensor scale = g.mul(weight);
        if (GradMode.isEnabled()) {
            Tensor oneHot = Tensors.zeros(x.dtype(), x.device(), x.shape()).scatter(1, target.unsqueeze(1), 1.0);
            return Softmax.softmax(x, 1).sub(oneHot).mul(scale.unsqueeze(1));
        }
        Tensor out = Tensor.of(x.backend().allocateUninitialized(x.dtype(), x.numel()), x.shape());
        if (out.numel() > 0) {
            x.backend().crossEntropyBackward(logits.strided(), lse.strided(), target.strided(), scale.strided(), out.strided());
        }
        return out;
    }
}
