package dev.kindling.nn.functional;

import dev.kindling.tensor.Tensor;

/**
 * The margin and embedding losses of torch.nn.functional (margin ranking, soft margin, hinge
 * embedding, cosine embedding), composed of differentiable ops in the order PyTorch 1.13 computes
 * them, so that values and gradients match also at the kinks.
 */
final class MarginLosses {
    private MarginLosses() {}

    /** max(0, -y * (x1 - x2) + margin). */
    static Tensor marginRanking(Tensor x1, Tensor x2, Tensor y, double margin, Reduction reduction) {
        return reduction.apply(y.neg().mul(x1.sub(x2)).add(margin).clampMin(0.0));
    }

    /** log(1 + exp(-y * x)). */
    static Tensor softMargin(Tensor input, Tensor target, Reduction reduction) {
        return reduction.apply(input.neg().mul(target).exp().log1p());
    }

    /** x where y == 1, max(0, margin - x) where y == -1 (both where y is neither), as PyTorch. */
    static Tensor hingeEmbedding(Tensor input, Tensor target, double margin, Reduction reduction) {
        Tensor marginPart = input.rsub(margin).clampMin(0.0).where(target.ne(1.0), 0.0);
        Tensor selfPart = input.where(target.ne(-1.0), 0.0);
        return reduction.apply(marginPart.add(selfPart));
    }

    /**
     * 1 - cos(x1, x2) where y == 1, max(0, cos - margin) where y == -1; cos along the feature dim
     * (1, or 0 for unbatched 1-D inputs) with 1e-12 added to each squared magnitude, as PyTorch.
     */
    static Tensor cosineEmbedding(Tensor x1, Tensor x2, Tensor y, double margin, Reduction reduction) {
        if (x1.dim() != x2.dim() || x1.dim() < 1 || x1.dim() > 2) {
            throw new IllegalArgumentException("cosineEmbeddingLoss: expected 1-D or 2-D inputs of the same rank but got shapes "
                    + dev.kindling.tensor.Shapes.str(x1.shape()) + " and " + dev.kindling.tensor.Shapes.str(x2.shape()));
        }
        int d = x1.dim() == 1 ? 0 : 1;
        double tiny = 1e-12;
        Tensor prod = x1.mul(x2).sum(d, false);
        Tensor mag1 = x1.mul(x1).sum(d, false).add(tiny);
        Tensor mag2 = x2.mul(x2).sum(d, false).add(tiny);
        Tensor cos = prod.div(mag1.mul(mag2).sqrt());
        Tensor pos = cos.rsub(1.0).where(y.eq(1.0), 0.0);
        Tensor neg = cos.sub(margin).clampMin(0.0).where(y.eq(-1.0), 0.0);
        return reduction.apply(pos.add(neg));
    }

    static Tensor triplet(Tensor anchor, Tensor positive, Tensor negative, double margin, double p, double eps, boolean swap,
                          Reduction reduction) {
        Tensor dPos = F.pairwiseDistance(anchor, positive, p, eps, false);
        Tensor dNeg = F.pairwiseDistance(anchor, negative, p, eps, false);
        if (swap) dNeg = dNeg.minimum(F.pairwiseDistance(positive, negative, p, eps, false));
        return reduction.apply(dPos.sub(dNeg).add(margin).clampMin(0.0));
    }

    static Tensor multilabelSoftMargin(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        Tensor loss = target.mul(F.logsigmoid(input)).add(target.rsub(1.0).mul(F.logsigmoid(input.neg()))).neg();
        if (weight != null) loss = loss.mul(weight);
        int classDim = input.dim() - 1;
        return reduction.apply(loss.sum(new int[] {classDim}, false).div(input.size(classDim)));
    }
}
