package dev.kindling.nn.functional;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;

import java.util.Arrays;

/**
 * The loss functions behind {@link F}, composed of differentiable ops so that their gradients come
 * from autograd. Arguments are checked first: mismatched batch sizes, class indices out of range
 * and a float target where class indices are expected fail with a message naming the argument.
 */
final class Losses {
    private Losses() {}

    static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction) {
        checkClassInput("nllLoss", input, target);
        int c = input.dim() == 1 ? input.size(0) : input.size(1);
        checkWeight("nllLoss", weight, c, input);
        checkTargets("nllLoss", target, c, ignoreIndex);
        // Move the class dim last and flatten: logp [M, C], t [M].
        Tensor logp = input.dim() == 1 ? input.unsqueeze(0) : input.movedim(1, -1).reshape(-1, c);
        RowWeights rows = RowWeights.of(target, weight, ignoreIndex, input.dtype());
        Tensor picked = logp.gather(1, rows.target().unsqueeze(1)).squeeze(1).neg();
        return rows.reduce(picked.mul(rows.weight()), reduction, target.shape());
    }

    /**
     * Each row's class index, with ignored rows pointed at class 0 so that picking stays in range, and
     * each row's weight: its class's weight, 1 without class weights, 0 where the target is ignoreIndex.
     */
    private record RowWeights(Tensor target, Tensor weight) {
        static RowWeights of(Tensor target, Tensor classWeight, int ignoreIndex, DType dtype) {
            Tensor t = target.reshape(-1);
            Tensor ignored = t.eq(ignoreIndex);
            Tensor safeT = t.maskedFill(ignored, 0);
            Tensor w = classWeight == null ? ignored.logicalNot().to(dtype) : classWeight.indexSelect(0, safeT).maskedFill(ignored, 0.0);
            return new RowWeights(safeT, w);
        }

        /** PyTorch's reductions of weighted per-row losses: mean divides by the total weight, not the row count. */
        Tensor reduce(Tensor losses, Reduction reduction, int[] targetShape) {
            return switch (reduction) {
                case NONE -> losses.reshape(targetShape);
                case SUM -> losses.sum();
                case MEAN -> losses.sum().div(weight.sum());
            };
        }
    }

    /**
     * Cross-entropy of [N, C] or [C] logits against class indices through the fused
     * {@link dev.kindling.ops.CrossEntropy} op: no [N, C] log-softmax kept, one [N, C] gradient.
     * It covers float32/float64 logits without label smoothing whose class weights (if any) need no
     * gradient; everything else composes log-softmax and nllLoss.
     */
    private static boolean fusable(Tensor input, Tensor weight, double labelSmoothing) {
        return labelSmoothing == 0 && input.dim() <= 2
                && (input.dtype() == DType.FLOAT32 || input.dtype() == DType.FLOAT64)
                && (weight == null || (!weight.requiresGrad() && weight.dtype() == input.dtype()));
    }

    private static Tensor fusedCrossEntropy(Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction) {
        checkClassInput("crossEntropy", input, target);
        int c = input.size(input.dim() - 1);
        checkWeight("crossEntropy", weight, c, input);
        checkTargets("crossEntropy", target, c, ignoreIndex);
        Tensor logits = input.dim() == 1 ? input.unsqueeze(0) : input;
        RowWeights rows = RowWeights.of(target, weight, ignoreIndex, input.dtype());
        return rows.reduce(dev.kindling.ops.CrossEntropy.perRow(logits, rows.target(), rows.weight()), reduction, target.shape());
    }

    static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction,
                               double labelSmoothing) {
        if (labelSmoothing < 0 || labelSmoothing > 1) {
            throw new IllegalArgumentException("crossEntropy: labelSmoothing must be in [0, 1] but got " + labelSmoothing);
        }
        if (input.dim() == 0) throw new IllegalArgumentException("crossEntropy: input must have at least 1 dim (classes)");
        int classDim = input.dim() == 1 ? 0 : 1;
        int c = input.size(classDim);
        if (target.dtype().isFloatingPoint()) {
            return probabilityTargets(input, target, weight, reduction, labelSmoothing, classDim, c);
        }
        if (fusable(input, weight, labelSmoothing)) return fusedCrossEntropy(input, target, weight, ignoreIndex, reduction);
        Tensor logp = dev.kindling.ops.Softmax.logSoftmax(input, classDim);
        Tensor nll = nllLoss(logp, target, weight, ignoreIndex, reduction);
        if (labelSmoothing == 0) return nll;
        checkWeight("crossEntropy", weight, c, input);
        Tensor ignored = target.eq(ignoreIndex);
        Tensor smooth = weight == null ? logp.sum(classDim, false).neg()
                : logp.mul(classView(weight, input.dim(), classDim)).sum(classDim, false).neg();
        smooth = smooth.maskedFill(ignored, 0.0);
        Tensor reduced = switch (reduction) {
            case NONE -> smooth;
            case SUM -> smooth.sum();
            case MEAN -> {
                Tensor safeT = target.maskedFill(ignored, 0);
                Tensor denominator = weight == null ? ignored.logicalNot().to(input.dtype()).sum()
                        : weight.indexSelect(0, safeT.reshape(-1)).maskedFill(ignored.reshape(-1), 0.0).sum();
                yield smooth.sum().div(denominator);
            }
        };
        return nll.mul(1 - labelSmoothing).add(reduced.mul(labelSmoothing / c));
    }

    private static Tensor probabilityTargets(Tensor input, Tensor target, Tensor weight, Reduction reduction,
                                             double labelSmoothing, int classDim, int c) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException("crossEntropy: with probabilities as targets (a floating point target), "
                    + "target must have the input's shape " + Shapes.str(input.shape()) + " but has "
                    + Shapes.str(target.shape()) + "; for class indices pass an int64 target");
        }
        checkWeight("crossEntropy", weight, c, input);
        Tensor logp = dev.kindling.ops.Softmax.logSoftmax(input, classDim);
        Tensor t = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / c) : target;
        Tensor terms = logp.mul(t);
        if (weight != null) terms = terms.mul(classView(weight, input.dim(), classDim));
        return switch (reduction) {
            case NONE -> terms.sum(classDim, false).neg();
            case SUM -> terms.sum().neg();
            case MEAN -> terms.sum().neg().div((double) input.numel() / c);
        };
    }

    /** weight [C] viewed to broadcast along the class dim. */
    private static Tensor classView(Tensor weight, int ndim, int classDim) {
        int[] shape = new int[ndim];
        Arrays.fill(shape, 1);
        shape[classDim] = weight.size(0);
        return weight.view(shape);
    }

    private static void checkClassInput(String op, Tensor input, Tensor target) {
        if (!input.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expected floating point input but got " + input.dtype());
        }
        if (target.dtype().isFloatingPoint() || target.dtype() == DType.BOOL) {
            throw new IllegalArgumentException(op + ": expected target to hold class indices (int64) but got a "
                    + target.dtype() + " tensor of shape " + Shapes.str(target.shape())
                    + (target.dtype().isFloatingPoint() ? "; convert with target.to(DType.INT64), or use crossEntropy for class probabilities" : ""));
        }
        if (input.dim() == 1) {
            if (target.dim() != 0) {
                throw new IllegalArgumentException(op + ": for an unbatched input of shape " + Shapes.str(input.shape())
                        + " the target must be a 0-dim class index but has shape " + Shapes.str(target.shape()));
            }
            return;
        }
        if (target.dim() != input.dim() - 1) {
            throw new IllegalArgumentException(op + ": input of shape " + Shapes.str(input.shape()) + " needs a target with "
                    + (input.dim() - 1) + " dims but got shape " + Shapes.str(target.shape()));
        }
        if (input.size(0) != target.size(0)) {
            throw new IllegalArgumentException(op + ": expected input batch_size (" + input.size(0)
                    + ") to match target batch_size (" + target.size(0) + ")");
        }
        for (int d = 2; d < input.dim(); d++) {
            if (input.size(d) != target.size(d - 1)) {
                throw new IllegalArgumentException(op + ": input spatial shape " + Shapes.str(input.shape())
                        + " does not match target shape " + Shapes.str(target.shape()));
            }
        }
    }

    private static void checkTargets(String op, Tensor target, int classes, int ignoreIndex) {
        long[] t = target.toLongArray();
        for (int i = 0; i < t.length; i++) {
            if (t[i] != ignoreIndex && (t[i] < 0 || t[i] >= classes)) {
                throw new IllegalArgumentException(op + ": target " + t[i] + " (at position " + i
                        + ") is out of bounds: expected a class index in [0, " + classes + ") or ignoreIndex " + ignoreIndex);
            }
        }
    }

    private static void checkWeight(String op, Tensor weight, int classes, Tensor input) {
        if (weight == null) return;
        if (weight.dim() != 1 || weight.size(0) != classes) {
            throw new IllegalArgumentException(op + ": weight must have shape [" + classes + "] (one per class) but has "
                    + Shapes.str(weight.shape()));
        }
        if (weight.dtype() != input.dtype()) {
            throw new IllegalArgumentException(op + ": weight dtype " + weight.dtype() + " differs from input dtype " + input.dtype());
        }
    }

    /** input and target of one shape, as the elementwise losses need. */
    static void checkSameShape(String op, Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(op + ": input shape " + Shapes.str(input.shape()) + " and target shape "
                    + Shapes.str(target.shape()) + " differ (mismatched batch sizes?)");
        }
        if (!input.dtype().isFloatingPoint() || !target.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expected floating point input and target but got "
                    + input.dtype() + " and " + target.dtype());
        }
    }

    static Tensor mse(Tensor input, Tensor target, Reduction r) {
        checkSameShape("mseLoss", input, target);
        return r.apply(input.sub(target).square());
    }

    static Tensor l1(Tensor input, Tensor target, Reduction r) {
        checkSameShape("l1Loss", input, target);
        return r.apply(input.sub(target).abs());
    }

    static Tensor smoothL1(Tensor input, Tensor target, Reduction r, double beta) {
        checkSameShape("smoothL1Loss", input, target);
        if (beta < 0) throw new IllegalArgumentException("smoothL1Loss: beta must be >= 0 but got " + beta);
        Tensor d = input.sub(target);
        Tensor ad = d.abs();
        if (beta == 0) return r.apply(ad);
        Tensor quadratic = d.square().mul(0.5 / beta);
        return r.apply(quadratic.where(ad.lt(beta), ad.sub(0.5 * beta)));
    }

    static Tensor huber(Tensor input, Tensor target, Reduction r, double delta) {
        checkSameShape("huberLoss", input, target);
        if (delta <= 0) throw new IllegalArgumentException("huberLoss: delta must be > 0 but got " + delta);
        Tensor d = input.sub(target);
        Tensor ad = d.abs();
        return r.apply(d.square().mul(0.5).where(ad.le(delta), ad.sub(0.5 * delta).mul(delta)));
    }

    static Tensor bce(Tensor p, Tensor y, Tensor weight, Reduction r) {
        checkSameShape("binaryCrossEntropy", p, y);
        double lo = p.min().item();
        double hi = p.max().item();
        if (!(lo >= 0 && hi <= 1)) {
            throw new IllegalArgumentException("binaryCrossEntropy: all elements of input should be between 0 and 1, found "
                    + (lo < 0 || Double.isNaN(lo) ? lo : hi) + "; use binaryCrossEntropyWithLogits for logits");
        }
        // PyTorch clamps the logs at -100 so that p = 0 or 1 gives a finite loss.
        Tensor loss = y.mul(p.log().clampMin(-100)).add(y.rsub(1).mul(p.rsub(1).log().clampMin(-100))).neg();
        if (weight != null) loss = loss.mul(weight);
        return r.apply(loss);
    }

    static Tensor bceWithLogits(Tensor x, Tensor y, Tensor weight, Tensor posWeight, Reduction r) {
        checkSameShape("binaryCrossEntropyWithLogits", x, y);
        // log(1 + exp(-x)) computed stably as max(-x, 0) + log1p(exp(-|x|)).
        Tensor softplusNeg = x.neg().clampMin(0).add(x.abs().neg().exp().log1p());
        Tensor loss;
        if (posWeight == null) {
            loss = y.rsub(1).mul(x).add(softplusNeg);
        } else {
            Tensor lw = posWeight.sub(1).mul(y).add(1);
            loss = y.rsub(1).mul(x).add(lw.mul(softplusNeg));
        }
        if (weight != null) loss = loss.mul(weight);
        return r.apply(loss);
    }
}
