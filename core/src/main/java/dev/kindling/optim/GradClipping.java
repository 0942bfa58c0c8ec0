package dev.kindling.optim;

import dev.kindling.autograd.AutogradMeta;
import dev.kindling.autograd.GradMode;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.ArrayList;
import java.util.List;

/**
 * Gradient clipping, as {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}.
 */
public final class GradClipping {
    private GradClipping() {}

    /**
     * Scales all gradients so that their joint p-norm is at most maxNorm; returns the norm before
     * clipping. A non-finite norm is an error when {@code errorIfNonfinite}.
     */
    public static double clipGradNorm(Iterable<Tensor> params, double maxNorm, double normType, boolean errorIfNonfinite) {
        List<Tensor> grads = new ArrayList<>();
        // Peeked, not handed out: the list dies with this call, so the gradients stay releasable.
        for (Tensor p : params) {
            Tensor grad = AutogradMeta.peekGrad(p);
            if (grad != null) grads.add(grad);
        }
        if (grads.isEmpty()) return 0.0;
        double total;
        try (var g = GradMode.noGrad()) {
            if (Double.isInfinite(normType)) {
                total = 0;
                for (Tensor gr : grads) total = Math.max(total, gr.abs().max().item());
            } else {
                List<Tensor> norms = new ArrayList<>();
                for (Tensor gr : grads) norms.add(gr.norm(normType).reshape(1).to(dev.kindling.tensor.DType.FLOAT64));
                total = Tensors.cat(norms, 0).norm(normType).item();
            }
            if (errorIfNonfinite && !Double.isFinite(total)) {
                throw new IllegalStateException("clipGradNorm: the total norm of order " + normType + " for gradients is non-finite ("
                        + total + "), so it cannot be clipped");
            }
            double coef = maxNorm / (total + 1e-6);
            if (coef < 1) for (Tensor gr : grads) gr.mul_(coef);
        }
        return total;
    }

    public static double clipGradNorm(Iterable<Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2.0, false);
    }

    /** Clamps every gradient element into [-clipValue, clipValue]. */
    public static void clipGradValue(Iterable<Tensor> params, double clipValue) {
        if (clipValue < 0) throw new IllegalArgumentException("clipGradValue: clip_value must be >= 0 but got " + clipValue);
        try (var g = GradMode.noGrad()) {
            for (Tensor p : params) {
                Tensor grad = AutogradMeta.peekGrad(p);
                if (grad != null) grad.clamp_(-clipValue, clipValue);
            }
        }
    }
}
