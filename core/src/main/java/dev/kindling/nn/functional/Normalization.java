package dev.kindling.nn.functional;

import dev.kindling.autograd.GradMode;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;

import java.util.Arrays;

/**
 * Layer and batch normalisation, composed of differentiable ops (mean, biased variance, rsqrt).
 * Batch norm in training mode also updates the running statistics in place, outside autograd,
 * with PyTorch's convention: the running variance uses the unbiased batch variance.
 */
final class Normalization {
    private Normalization() {}

    static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        int k = normalizedShape.length;
        int[] xs = x.shape();
        if (k == 0 || k > xs.length || !Arrays.equals(Arrays.copyOfRange(xs, xs.length - k, xs.length), normalizedShape)) {
            throw new IllegalArgumentException("layerNorm: normalized_shape " + Arrays.toString(normalizedShape)
                    + " must match the trailing dims of the input shape " + Shapes.str(xs));
        }
        checkAffine("layerNorm", weight, normalizedShape, "weight");
        checkAffine("layerNorm", bias, normalizedShape, "bias");
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) dims[i] = xs.length - k + i;
        Tensor mean = x.mean(dims, true);
        Tensor centered = x.sub(mean);
        Tensor var = centered.square().mean(dims, true);
        Tensor out = centered.mul(var.add(eps).rsqrt());
        if (weight != null) out = out.mul(weight);
        if (bias != null) out = out.add(bias);
        return out;
    }

    private static void checkAffine(String op, Tensor t, int[] shape, String name) {
        if (t != null && !Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(op + ": " + name + " must have shape " + Arrays.toString(shape)
                    + " but has " + Shapes.str(t.shape()));
        }
    }

    static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                            boolean training, double momentum, double eps) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException("batchNorm: expected an input of at least 2 dims [N, C, ...] but got shape "
                    + Shapes.str(x.shape()));
        }
        int c = x.size(1);
        int[] cShape = {c};
        checkAffine("batchNorm", runningMean, cShape, "running_mean");
        checkAffine("batchNorm", runningVar, cShape, "running_var");
        checkAffine("batchNorm", weight, cShape, "weight");
        checkAffine("batchNorm", bias, cShape, "bias");
        int[] dims = new int[x.dim() - 1];
        dims[0] = 0;
        for (int d = 2; d < x.dim(); d++) dims[d - 1] = d;
        int[] bshape = new int[x.dim()];
        Arrays.fill(bshape, 1);
        bshape[1] = c;
        Tensor mean;
        Tensor var;
        if (training) {
            long count = x.numel() / Math.max(1, c);
            if (count <= 1) {
                throw new IllegalArgumentException("batchNorm: expected more than 1 value per channel when training, got input size "
                        + Shapes.str(x.shape()));
            }
            mean = x.mean(dims, true);
            var = x.sub(mean).square().mean(dims, true);
            if (runningMean != null && runningVar != null) {
                try (var scope = GradMode.noGrad()) {
                    runningMean.mul_(1 - momentum).add_(mean.detach().reshape(c), momentum);
                    runningVar.mul_(1 - momentum).add_(var.detach().reshape(c).mul((double) count / (count - 1)), momentum);
                }
            }
        } else {
            if (runningMean == null || runningVar == null) {
                throw new IllegalArgumentException("batchNorm: running_mean and running_var are required in eval mode");
            }
            mean = runningMean.view(bshape);
            var = runningVar.view(bshape);
        }
        Tensor out = x.sub(mean).mul(var.add(eps).rsqrt());
        if (weight != null) out = out.mul(weight.view(bshape));
        if (bias != null) out = out.add(bias.view(bshape));
        return out;
    }
}
