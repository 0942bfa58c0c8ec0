package dev.kindling.nn.functional;

import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;

/**
 * Losses of distributions in torch.nn.functional: KL divergence, Poisson and Gaussian negative
 * log-likelihood, composed as PyTorch 1.13 computes them.
 */
final class ProbabilisticLosses {
    private ProbabilisticLosses() {}

    /**
     * KL(target || exp(input)) pointwise: target * (log target - input), 0 where target <= 0; with
     * logTarget, exp(target) * (target - input). reduction "none", "mean" (over all elements),
     * "batchmean" (sum / batch size, the mathematically right one) or "sum".
     */
    static Tensor klDiv(Tensor input, Tensor target, String reduction, boolean logTarget) {
        Tensor pointwise = logTarget ? target.exp().mul(target.sub(input))
                : target.mul(target.log().sub(input)).where(target.gt(0.0), 0.0);
        return switch (reduction) {
            case "batchmean" -> input.dim() == 0 ? pointwise.sum() : pointwise.sum().div(input.size(0));
            default -> Reduction.parse(reduction).apply(pointwise);
        };
    }

    /**
     * exp(input) - target * input (logInput), else input - target * log(input + eps); full adds
     * Stirling's target * log(target) - target + log(2 pi target) / 2 where target > 1.
     */
    static Tensor poissonNll(Tensor input, Tensor target, boolean logInput, boolean full, double eps, Reduction reduction) {
        Tensor loss = logInput ? input.exp().sub(target.mul(input)) : input.sub(target.mul(input.add(eps).log()));
        if (full) {
            Tensor stirling = target.mul(target.log()).sub(target).add(target.mul(2 * Math.PI).log().mul(0.5));
            loss = loss.add(stirling.where(target.gt(1.0), 0.0));
        }
        return reduction.apply(loss);
    }

    /**
     * (log(max(var, eps)) + (input - target)^2 / max(var, eps)) / 2, plus log(2 pi) / 2 when full.
     * var may have one dim fewer than input, or size 1 in the last dim (one variance per sample).
     * The clamp to eps passes var's gradient unchanged, as PyTorch's no-grad in-place clamp does.
     */
    static Tensor gaussianNll(Tensor input, Tensor target, Tensor var, boolean full, double eps, Reduction reduction) {
        Tensor v = var;
        if (v.dim() == input.dim() - 1 && input.dim() > 0) v = v.unsqueeze(-1);
        if (!java.util.Arrays.equals(Shapes.broadcast("gaussianNllLoss", input.shape(), v.shape()), input.shape())) {
            throw new IllegalArgumentException("gaussianNllLoss: var of shape " + Shapes.str(var.shape())
                    + " does not fit input of shape " + Shapes.str(input.shape()));
        }
        if (var.lt(0.0).any().item() != 0) throw new IllegalArgumentException("gaussianNllLoss: var has negative entries");
        Tensor clamped = v.add(v.clampMin(eps).sub(v).detach());
        Tensor loss = clamped.log().add(input.sub(target).square().div(clamped)).mul(0.5);
        if (full) loss = loss.add(0.5 * Math.log(2 * Math.PI));
        return reduction.apply(loss);
    }
}
