package dev.kindling.nn.functional;

import dev.kindling.ops.Activations;
import dev.kindling.ops.Convolution;
import dev.kindling.ops.Indexing;
import dev.kindling.ops.Joining;
import dev.kindling.ops.LinearAlgebra;
import dev.kindling.ops.Reductions;
import dev.kindling.ops.Softmax;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/**
 * {@code torch.nn.functional} for Kindling, used as {@code F}: activations, softmax, losses,
 * convolution, pooling, normalisation, embedding, dropout and attention. Argument order follows
 * PyTorch's positional order ({@code F.conv2d(x, w, b, stride, padding, dilation, groups)}), so
 * a call ports by dropping the keywords; overloads supply PyTorch's defaults.
 */
public final class F {
    private F() {}

    // ------------------------------------------------------------------ activations

    public static Tensor relu(Tensor x) { return x.relu(); }

    public static Tensor gelu(Tensor x) { return x.gelu(); }

    /** approximate = "none" or "tanh". */
    public static Tensor gelu(Tensor x, String approximate) {
        return switch (approximate) {
            case "none" -> x.gelu(false);
            case "tanh" -> x.gelu(true);
            default -> throw new IllegalArgumentException("gelu: approximate must be 'none' or 'tanh' but got '" + approximate + "'");
        };
    }

    public static Tensor silu(Tensor x) { return x.silu(); }

    public static Tensor sigmoid(Tensor x) { return x.sigmoid(); }

    public static Tensor tanh(Tensor x) { return x.tanh(); }

    public static Tensor softplus(Tensor x, double beta, double threshold) { return x.softplus(beta, threshold); }

    public static Tensor leakyRelu(Tensor x, double negativeSlope) { return x.leakyRelu(negativeSlope); }

    public static Tensor leakyRelu(Tensor x) { return x.leakyRelu(0.01); }

    public static Tensor elu(Tensor x, double alpha) { return x.elu(alpha); }

    public static Tensor elu(Tensor x) { return x.elu(1.0); }

    public static Tensor relu6(Tensor x) { return Activations.relu6(x); }

    public static Tensor hardtanh(Tensor x, double minVal, double maxVal) { return Activations.hardtanh(x, minVal, maxVal); }

    public static Tensor hardtanh(Tensor x) { return Activations.hardtanh(x, -1.0, 1.0); }

    public static Tensor selu(Tensor x) { return Activations.selu(x); }

    public static Tensor celu(Tensor x, double alpha) { return Activations.celu(x, alpha); }

    public static Tensor celu(Tensor x) { return Activations.celu(x, 1.0); }

    public static Tensor mish(Tensor x) { return Activations.mish(x); }

    public static Tensor hardswish(Tensor x) { return Activations.hardswish(x); }

    public static Tensor hardsigmoid(Tensor x) { return Activations.hardsigmoid(x); }

    public static Tensor logsigmoid(Tensor x) { return Activations.logsigmoid(x); }

    public static Tensor softsign(Tensor x) { return Activations.softsign(x); }

    public static Tensor tanhshrink(Tensor x) { return Activations.tanhshrink(x); }

    public static Tensor threshold(Tensor x, double threshold, double value) { return Activations.threshold(x, threshold, value); }

    public static Tensor glu(Tensor x, int dim) { return Activations.glu(x, dim); }

    public static Tensor glu(Tensor x) { return Activations.glu(x, -1); }

    public static Tensor softmin(Tensor x, int dim) { return Activations.softmin(x, dim); }

    public static Tensor hardshrink(Tensor x, double lambd) { return Activations.hardshrink(x, lambd); }

    public static Tensor hardshrink(Tensor x) { return Activations.hardshrink(x, 0.5); }

    public static Tensor softshrink(Tensor x, double lambd) { return Activations.softshrink(x, lambd); }

    public static Tensor softshrink(Tensor x) { return Activations.softshrink(x, 0.5); }

    /** x where x > 0, else weight * x, weight per channel (dim 1) or one value. */
    public static Tensor prelu(Tensor x, Tensor weight) { return Activations.prelu(x, weight); }

    public static Tensor softmax(Tensor x, int dim) { return Softmax.softmax(x, dim); }

    public static Tensor logSoftmax(Tensor x, int dim) { return Softmax.logSoftmax(x, dim); }

    /** softmax computed in dtype (the input is cast first), as F.softmax(x, dim, dtype=dtype). */
    public static Tensor softmax(Tensor x, int dim, DType dtype) { return Softmax.softmax(x.to(dtype), dim); }

    /** log_softmax computed in dtype (the input is cast first). */
    public static Tensor logSoftmax(Tensor x, int dim, DType dtype) { return Softmax.logSoftmax(x.to(dtype), dim); }

    // ------------------------------------------------------------------ losses

    /** Cross entropy of logits [N, C] (or [N, C, d...], or [C]) against class indices or class probabilities. */
    public static Tensor crossEntropy(Tensor input, Tensor target) {
        return crossEntropy(input, target, null, -100, Reduction.MEAN, 0.0);
    }

    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction,
                                      double labelSmoothing) {
        return Losses.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing);
    }

    /** Negative log likelihood of log-probabilities [N, C] against class indices. */
    public static Tensor nllLoss(Tensor input, Tensor target) { return nllLoss(input, target, null, -100, Reduction.MEAN); }

    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction) {
        return Losses.nllLoss(input, target, weight, ignoreIndex, reduction);
    }

    public static Tensor mseLoss(Tensor input, Tensor target) { return Losses.mse(input, target, Reduction.MEAN); }

    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) { return Losses.mse(input, target, reduction); }

    public static Tensor l1Loss(Tensor input, Tensor target) { return Losses.l1(input, target, Reduction.MEAN); }

    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) { return Losses.l1(input, target, reduction); }

    public static Tensor smoothL1Loss(Tensor input, Tensor target) { return Losses.smoothL1(input, target, Reduction.MEAN, 1.0); }

    public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, double beta) {
        return Losses.smoothL1(input, target, reduction, beta);
    }

    public static Tensor huberLoss(Tensor input, Tensor target) { return Losses.huber(input, target, Reduction.MEAN, 1.0); }

    public static Tensor huberLoss(Tensor input, Tensor target, Reduction reduction, double delta) {
        return Losses.huber(input, target, reduction, delta);
    }

    /** BCE of probabilities in [0, 1]. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) { return Losses.bce(input, target, null, Reduction.MEAN); }

    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        return Losses.bce(input, target, weight, reduction);
    }

    /** BCE of logits, computed stably; {@code posWeight} weighs the positive term per class. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return Losses.bceWithLogits(input, target, null, null, Reduction.MEAN);
    }

    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Reduction reduction,
                                                      Tensor posWeight) {
        return Losses.bceWithLogits(input, target, weight, posWeight, reduction);
    }

    // ------------------------------------------------------------------ linear, convolution, pooling

    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) { return LinearAlgebra.linear(input, weight, bias); }

    public static Tensor linear(Tensor input, Tensor weight) { return LinearAlgebra.linear(input, weight, null); }

    /** Bilinear: y_k = x1^T A_k x2 + b_k with weight [out, in1, in2]. */
    public static Tensor bilinear(Tensor x1, Tensor x2, Tensor weight, Tensor bias) {
        if (weight.dim() != 3 || x1.size(-1) != weight.size(1) || x2.size(-1) != weight.size(2)) {
            throw new IllegalArgumentException("bilinear: weight " + Shapes.str(weight.shape()) + " does not fit inputs "
                    + Shapes.str(x1.shape()) + " and " + Shapes.str(x2.shape()));
        }
        // (x1 [N, 1, 1, in1] @ A [out, in1, in2]) -> [N, out, 1, in2]; times x2 -> [N, out]
        Tensor left = x1.unsqueeze(-2).unsqueeze(-3).matmul(weight);
        Tensor y = left.matmul(x2.unsqueeze(-2).unsqueeze(-1)).squeeze(-1).squeeze(-1);
        return bias == null ? y : y.add(bias);
    }

    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias) { return conv2d(input, weight, bias, 1, 0, 1, 1); }

    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(input, weight, bias, stride, padding, 1, 1);
    }

    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return conv2d(input, weight, bias, pair(stride), pair(padding), pair(dilation), groups);
    }

    /** Input [N, C, H, W], or unbatched [C, H, W] (then the output is unbatched too), as PyTorch. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        if (input.dim() == 3) return Convolution.conv2d(input.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0);
        return Convolution.conv2d(input, weight, bias, stride, padding, dilation, groups);
    }

    /** padding = "valid" (none) or "same" (output size = input size; stride must be 1). */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, String padding, int dilation, int groups) {
        return switch (padding) {
            case "valid" -> conv2d(input, weight, bias, pair(stride), pair(0), pair(dilation), groups);
            case "same" -> {
                if (stride != 1) throw new IllegalArgumentException("conv2d: padding='same' is not supported for strided convolutions (stride=" + stride + ")");
                int[] lo = new int[2];
                int[] extra = new int[2];
                for (int i = 0; i < 2; i++) {
                    int total = dilation * (weight.size(2 + i) - 1);
                    lo[i] = total / 2;
                    extra[i] = total - 2 * lo[i];
                }
                Tensor x = extra[0] + extra[1] > 0 ? input.pad(new int[] {0, extra[1], 0, extra[0]}, 0.0) : input;
                yield conv2d(x, weight, bias, pair(1), lo, pair(dilation), groups);
            }
            default -> throw new IllegalArgumentException("conv2d: padding must be an int, 'same' or 'valid' but got '" + padding + "'");
        };
    }

    /** 1-D convolution of [N, C, L] (or unbatched [C, L]) with weight [O, C/groups, k], through conv2d. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        if (input.dim() == 2) return conv1d(input.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0);
        if (input.dim() != 3) {
            throw new IllegalArgumentException("conv1d: expected a 2-D [C, L] or 3-D [N, C, L] input but got shape " + Shapes.str(input.shape()));
        }
        if (weight.dim() != 3) throw new IllegalArgumentException("conv1d: expected a 3-D weight [O, C/groups, k] but got shape " + Shapes.str(weight.shape()));
        return Convolution.conv2d(input.unsqueeze(2), weight.unsqueeze(2), bias, new int[] {1, stride},
                new int[] {0, padding}, new int[] {1, dilation}, groups).squeeze(2);
    }

    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias) { return conv1d(input, weight, bias, 1, 0, 1, 1); }

    /** Max pooling with stride = kernel and no padding. */
    public static Tensor maxPool2d(Tensor input, int kernelSize) { return maxPool2d(input, kernelSize, kernelSize, 0); }

    public static Tensor maxPool2d(Tensor input, int kernelSize, int stride, int padding) {
        return maxPool2dWithIndices(input, pair(kernelSize), pair(stride), pair(padding), pair(1), false).values();
    }

    /** Max pooling returning the values and the flat index (h * W + w) of each maximum, as return_indices=True. */
    public static Reductions.ValuesIndices maxPool2dWithIndices(Tensor input, int[] kernel, int[] stride, int[] padding,
                                                                int[] dilation, boolean ceilMode) {
        return Convolution.maxPool2d(input, kernel, stride, padding, dilation, ceilMode);
    }

    public static Tensor avgPool2d(Tensor input, int kernelSize) { return avgPool2d(input, kernelSize, kernelSize, 0); }

    public static Tensor avgPool2d(Tensor input, int kernelSize, int stride, int padding) {
        return avgPool2d(input, pair(kernelSize), pair(stride), pair(padding), false, true, null);
    }

    public static Tensor avgPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad, Integer divisorOverride) {
        return Convolution.avgPool2d(input, kernel, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    public static Tensor adaptiveAvgPool2d(Tensor input, int outH, int outW) { return Convolution.adaptiveAvgPool2d(input, outH, outW); }

    /** im2col ({@code F.unfold}): [N, C, H, W] -> [N, C*kH*kW, L]. */
    public static Tensor unfold(Tensor input, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        if (input.dim() != 4) throw new IllegalArgumentException("unfold: expected a 4-D input but got shape " + Shapes.str(input.shape()));
        return Convolution.unfold(input, dev.kindling.backend.Conv2dGeometry.of("unfold", input.size(1), input.size(2),
                input.size(3), kernel, stride, padding, dilation, false));
    }

    // ------------------------------------------------------------------ normalisation, embedding, dropout

    public static Tensor layerNorm(Tensor input, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return Normalization.layerNorm(input, normalizedShape, weight, bias, eps);
    }

    public static Tensor layerNorm(Tensor input, int[] normalizedShape) {
        return Normalization.layerNorm(input, normalizedShape, null, null, 1e-5);
    }

    /**
     * Batch norm over dim 1. In training mode the batch statistics normalise and, when given, the
     * running statistics are updated in place: mean with momentum, variance with the unbiased estimate.
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        return Normalization.batchNorm(input, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    public static Tensor embedding(Tensor input, Tensor weight) { return Indexing.embedding(input, weight, null); }

    /** Embedding lookup; the row paddingIdx receives no gradient. */
    public static Tensor embedding(Tensor input, Tensor weight, Integer paddingIdx) { return Indexing.embedding(input, weight, paddingIdx); }

    /** Zeroes each element with probability p and scales the rest by 1/(1-p) when training; identity otherwise. */
    public static Tensor dropout(Tensor input, double p, boolean training, Generator generator) {
        if (p < 0 || p > 1) throw new IllegalArgumentException("dropout: probability has to be between 0 and 1, but got " + p);
        if (!training || p == 0) return input;
        if (p == 1) return input.mul(0.0);
        Tensor keep = Tensors.bernoulli(1 - p, generator == null ? Generator.defaultGenerator() : generator, input.dtype(), input.shape());
        return input.mul(keep.div_(1 - p));
    }

    public static Tensor dropout(Tensor input, double p, boolean training) { return dropout(input, p, training, null); }

    /** Cosine similarity along dim: x1·x2 / sqrt(max(|x1|² |x2|², eps²)). */
    public static Tensor cosineSimilarity(Tensor x1, Tensor x2, int dim, double eps) {
        int[] shape = Shapes.broadcast("cosineSimilarity", x1.shape(), x2.shape());
        int d = Shapes.dim("cosineSimilarity", dim, shape.length);
        // broadcast first: dim counts in the broadcast shape, as PyTorch's
        Tensor a = x1.expand(shape);
        Tensor b = x2.expand(shape);
        Tensor w12 = a.mul(b).sum(d, false);
        Tensor w1 = a.square().sum(d, false);
        Tensor w2 = b.square().sum(d, false);
        return w12.div(w1.mul(w2).clampMin(eps * eps).sqrt());
    }

    public static Tensor cosineSimilarity(Tensor x1, Tensor x2) { return cosineSimilarity(x1, x2, 1, 1e-8); }

    /** x / max(||x||_p along dim, eps), as F.normalize. */
    public static Tensor normalize(Tensor x, double p, int dim, double eps) {
        return x.div(x.norm(p, new int[] {dim}, true).clampMin(eps));
    }

    public static Tensor normalize(Tensor x) { return normalize(x, 2.0, 1, 1e-12); }

    /** ||x1 - x2 + eps||_p over the last dim, as F.pairwise_distance. */
    public static Tensor pairwiseDistance(Tensor x1, Tensor x2, double p, double eps, boolean keepdim) {
        Tensor d = x1.sub(x2).add(eps);
        if (d.dim() == 0) return d.norm(p, new int[0], keepdim);
        return d.norm(p, new int[] {-1}, keepdim);
    }

    public static Tensor pairwiseDistance(Tensor x1, Tensor x2) { return pairwiseDistance(x1, x2, 2.0, 1e-6, false); }

    /** [N, C r^2, H, W] to [N, C, H r, W r] (any leading batch dims), as F.pixel_shuffle. */
    public static Tensor pixelShuffle(Tensor x, int upscaleFactor) { return PixelShuffles.shuffle(x, upscaleFactor); }

    /** [N, C, H r, W r] to [N, C r^2, H, W], the inverse of pixelShuffle. */
    public static Tensor pixelUnshuffle(Tensor x, int downscaleFactor) { return PixelShuffles.unshuffle(x, downscaleFactor); }

    /** Normalises each of numGroups channel groups over its channels and positions, then scales per channel. */
    public static Tensor groupNorm(Tensor input, int numGroups, Tensor weight, Tensor bias, double eps) {
        if (input.dim() < 2) throw new IllegalArgumentException("groupNorm: expected at least 2 dims [N, C, ...] but got shape " + Shapes.str(input.shape()));
        int n = input.size(0);
        int c = input.size(1);
        if (numGroups <= 0 || c % numGroups != 0) {
            throw new IllegalArgumentException("groupNorm: channels " + c + " must be divisible by num_groups " + numGroups);
        }
        int perGroup = c / numGroups * Shapes.numel(java.util.Arrays.copyOfRange(input.shape(), 2, input.dim()));
        Tensor g = input.reshape(n, numGroups, perGroup);
        Tensor mean = g.mean(new int[] {2}, true);
        Tensor var = g.var(new int[] {2}, false, true);
        Tensor y = g.sub(mean).div(var.add(eps).sqrt()).reshape(input.shape());
        int[] affine = new int[input.dim() - 1];
        java.util.Arrays.fill(affine, 1);
        affine[0] = c;
        if (weight != null) y = y.mul(weight.reshape(affine));
        if (bias != null) y = y.add(bias.reshape(affine));
        return y;
    }

    /** Instance normalisation with the input's own statistics: groupNorm with one group per channel. */
    public static Tensor instanceNorm(Tensor input, Tensor weight, Tensor bias, double eps) {
        if (input.dim() < 3) throw new IllegalArgumentException("instanceNorm: expected [N, C, ...] with spatial dims but got shape " + Shapes.str(input.shape()));
        return groupNorm(input, input.size(1), weight, bias, eps);
    }

    /** 1-D max pooling of [N, C, L] or [C, L] through the 2-D kernel; indices count along L. */
    public static Reductions.ValuesIndices maxPool1dWithIndices(Tensor input, int kernel, int stride, int padding, int dilation,
                                                               boolean ceilMode) {
        var r = maxPool2dWithIndices(input.unsqueeze(-2), new int[] {1, kernel}, new int[] {1, stride}, new int[] {0, padding},
                new int[] {1, dilation}, ceilMode);
        return new Reductions.ValuesIndices(r.values().squeeze(-2), r.indices().squeeze(-2));
    }

    public static Tensor maxPool1d(Tensor input, int kernel) { return maxPool1dWithIndices(input, kernel, kernel, 0, 1, false).values(); }

    /** 1-D average pooling of [N, C, L] or [C, L] through the 2-D kernel. */
    public static Tensor avgPool1d(Tensor input, int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        return avgPool2d(input.unsqueeze(-2), new int[] {1, kernel}, new int[] {1, stride}, new int[] {0, padding}, ceilMode,
                countIncludePad, null).squeeze(-2);
    }

    public static Tensor avgPool1d(Tensor input, int kernel) { return avgPool1d(input, kernel, kernel, 0, false, true); }

    /**
     * Resamples the spatial dims of [N, C, ...] to size (or by scaleFactor; give one, the other
     * null): mode "nearest", "linear" (3-D) or "bilinear" (4-D); alignCorners only for the linear
     * modes (null = false).
     */
    public static Tensor interpolate(Tensor input, int[] size, double[] scaleFactor, String mode, Boolean alignCorners) {
        return Interpolation.interpolate(input, size, scaleFactor, mode, alignCorners);
    }

    /** max(d(a, p) - d(a, n) + margin, 0) with pairwise p-norm distances; swap uses min(d(a, n), d(p, n)). */
    public static Tensor tripletMarginLoss(Tensor anchor, Tensor positive, Tensor negative, double margin, double p, double eps,
                                           boolean swap, Reduction reduction) {
        return MarginLosses.triplet(anchor, positive, negative, margin, p, eps, swap, reduction);
    }

    /** Mean over classes of the binary logistic losses of each label, optionally weighted per class. */
    public static Tensor multilabelSoftMarginLoss(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        return MarginLosses.multilabelSoftMargin(input, target, weight, reduction);
    }

    /** KL divergence; reduction "none", "mean", "batchmean" or "sum". */
    public static Tensor klDiv(Tensor input, Tensor target, String reduction, boolean logTarget) {
        return ProbabilisticLosses.klDiv(input, target, reduction, logTarget);
    }

    public static Tensor poissonNllLoss(Tensor input, Tensor target, boolean logInput, boolean full, double eps, Reduction reduction) {
        return ProbabilisticLosses.poissonNll(input, target, logInput, full, eps, reduction);
    }

    public static Tensor gaussianNllLoss(Tensor input, Tensor target, Tensor var, boolean full, double eps, Reduction reduction) {
        return ProbabilisticLosses.gaussianNll(input, target, var, full, eps, reduction);
    }

    public static Tensor marginRankingLoss(Tensor x1, Tensor x2, Tensor target, double margin, Reduction reduction) {
        return MarginLosses.marginRanking(x1, x2, target, margin, reduction);
    }

    public static Tensor softMarginLoss(Tensor input, Tensor target, Reduction reduction) {
        return MarginLosses.softMargin(input, target, reduction);
    }

    public static Tensor hingeEmbeddingLoss(Tensor input, Tensor target, double margin, Reduction reduction) {
        return MarginLosses.hingeEmbedding(input, target, margin, reduction);
    }

    public static Tensor cosineEmbeddingLoss(Tensor x1, Tensor x2, Tensor target, double margin, Reduction reduction) {
        return MarginLosses.cosineEmbedding(x1, x2, target, margin, reduction);
    }

    /** {@code F.scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal, scale)}. */
    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor attnMask, double dropoutP,
                                                   boolean isCausal, Double scale, Generator generator) {
        return Attention.scaledDotProduct(query, key, value, attnMask, dropoutP, isCausal, scale, generator);
    }

    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value) {
        return Attention.scaledDotProduct(query, key, value, null, 0.0, false, null, null);
    }

    // ------------------------------------------------------------------ misc

    /** Constant padding, {@code F.pad(x, pad, value=value)}. */
    public static Tensor pad(Tensor input, int[] pad, double value) { return Joining.pad(input, pad, value); }

    public static Tensor pad(Tensor input, int... pad) { return Joining.pad(input, pad, 0.0); }

    /** pad with mode "constant" (with value), "reflect", "replicate" or "circular". */
    public static Tensor pad(Tensor input, int[] pad, String mode, double value) { return Joining.pad(input, pad, mode, value); }

    public static Tensor oneHot(Tensor input, int numClasses) { return Indexing.oneHot(input, numClasses); }

    private static int[] pair(int v) { return new int[] {v, v}; }
}
