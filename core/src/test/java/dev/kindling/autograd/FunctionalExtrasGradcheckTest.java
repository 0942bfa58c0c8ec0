package dev.kindling.autograd;

import dev.kindling.nn.functional.F;
import dev.kindling.nn.functional.Reduction;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;

import static dev.kindling.autograd.Gradcheck.check;
import static dev.kindling.autograd.Gradcheck.checkSecondOrder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Float64 gradchecks of the third batch of issue 16: logit, sinc, diff, nansum/nanmean, median,
 * kthvalue, take_along_dim, the shrink activations and prelu, normalize, pairwise distance, pixel
 * shuffles, group norm, and the margin and probabilistic losses.
 */
class FunctionalExtrasGradcheckTest {
    private long seed = 1600;

    private Tensor u(double lo, double hi, int... shape) {
        return Tensors.rand(new Generator(seed++), DType.FLOAT64, shape).mul(hi - lo).add(lo).requiresGrad_(true);
    }

    private Tensor nc(double lo, double hi, int rows, int cols) {
        return Tensors.rand(new Generator(seed++), DType.FLOAT64, cols, rows).mul(hi - lo).add(lo).t().requiresGrad_(true);
    }

    private static Tensor signs(double... v) { return Tensors.tensor(v); }

    @Test
    void pointwiseAndScanExtras() {
        check(xs -> xs[0].logit(), nc(0.05, 0.95, 3, 4));
        check(xs -> xs[0].logit(0.1), u(0.15, 0.85, 5));
        check(xs -> xs[0].sinc(), nc(-3, 3, 3, 4));
        checkSecondOrder(xs -> xs[0].sinc(), u(0.2, 2, 4));
        check(xs -> xs[0].deg2rad().add(xs[0].rad2deg()), u(-3, 3, 4));
        check(xs -> xs[0].diff(2, 0), nc(-2, 2, 5, 3));
        check(xs -> xs[0].nansum(new int[] {1}, false), nc(-2, 2, 3, 4));
        check(xs -> xs[0].nanmean(new int[] {0}, true), u(-2, 2, 3, 4));
        check(xs -> xs[0].median(1, false).values(), nc(-2, 2, 3, 5));
        check(xs -> xs[0].median(), u(-2, 2, 4, 3));
        check(xs -> xs[0].kthvalue(2, 0, true).values(), nc(-2, 2, 4, 3));
        Tensor idx = Tensors.fromArray(new long[] {0, 3, 2, 2, 1, 0}, 3, 2);
        check(xs -> xs[0].takeAlongDim(idx, 1), nc(-2, 2, 3, 4));
    }

    @Test
    void activationsNormsAndShuffles() {
        check(xs -> F.hardshrink(xs[0], 0.3), nc(-2, 2, 3, 4));
        check(xs -> F.softshrink(xs[0], 0.3), nc(-2, 2, 3, 4));
        check(xs -> F.prelu(xs[0], xs[1]), u(-2, 2, 2, 3, 4), u(0, 0.5, 3));
        check(xs -> F.prelu(xs[0], xs[1]), nc(-2, 2, 3, 4), u(0, 0.5, 1));
        check(xs -> F.normalize(xs[0], 2.0, -1, 1e-12), nc(-2, 2, 3, 4));
        check(xs -> F.pairwiseDistance(xs[0], xs[1], 3.0, 1e-6, false), nc(-2, 2, 3, 4), u(-2, 2, 4));
        check(xs -> F.pixelShuffle(xs[0], 2), u(-2, 2, 1, 8, 2, 3));
        check(xs -> F.pixelUnshuffle(xs[0], 2), u(-2, 2, 2, 1, 4, 2));
        check(xs -> F.groupNorm(xs[0], 2, xs[1], xs[2], 1e-5), u(-2, 2, 2, 4, 3), u(0.5, 1.5, 4), u(-1, 1, 4));
        Tensor x = Tensors.randn(new Generator(seed++), DType.FLOAT64, 2, 8, 3, 2);
        assertTrue(F.pixelUnshuffle(F.pixelShuffle(x, 2), 2).equal(x));
    }

    @Test
    void lossesOfMarginsAndDistributions() {
        Tensor y = signs(1, -1, -1, 1);
        check(xs -> F.marginRankingLoss(xs[0], xs[1], y, 0.3, Reduction.MEAN), u(-2, 2, 4), u(-2, 2, 4));
        check(xs -> F.softMarginLoss(xs[0], y, Reduction.SUM), nc(-2, 2, 3, 4));
        check(xs -> F.hingeEmbeddingLoss(xs[0], y, 1.5, Reduction.MEAN), nc(-2, 2, 3, 4));
        check(xs -> F.cosineEmbeddingLoss(xs[0], xs[1], y, -0.2, Reduction.MEAN), u(-2, 2, 4, 5), u(-2, 2, 4, 5));
        check(xs -> F.klDiv(xs[0], xs[1], "batchmean", false), u(-3, 0, 2, 3), u(0.1, 1, 2, 3));
        check(xs -> F.klDiv(xs[0], xs[1], "sum", true), u(-3, 0, 2, 3), u(-3, 0, 2, 3));
        check(xs -> F.poissonNllLoss(xs[0], xs[1], true, false, 1e-8, Reduction.MEAN), u(-2, 2, 3, 4), u(0, 4, 3, 4));
        check(xs -> F.poissonNllLoss(xs[0], xs[1], false, true, 1e-8, Reduction.SUM), u(0.1, 3, 3, 4), u(1.5, 4, 3, 4));
        check(xs -> F.gaussianNllLoss(xs[0], xs[1], xs[2], true, 1e-6, Reduction.MEAN), u(-2, 2, 3, 4), u(-2, 2, 3, 4), u(0.1, 2, 3, 1));
    }

    @Test
    void fourthBatch() {
        check(xs -> xs[0].cummax(1).values(), nc(-2, 2, 3, 5));
        check(xs -> xs[0].cummin(0).values(), nc(-2, 2, 4, 3));
        check(xs -> xs[0].kron(xs[1]), u(-2, 2, 3), nc(-2, 2, 2, 2));
        check(xs -> xs[0].rot90(-1, 2, 0), u(-2, 2, 2, 3, 4));
        check(xs -> dev.kindling.tensor.Tensors.cdist(xs[0], xs[1], 2.0), u(-2, 2, 4, 3), u(-2, 2, 5, 3));
        check(xs -> dev.kindling.tensor.Tensors.cdist(xs[0], xs[1], 1.0), u(-2, 2, 2, 4, 3), u(-2, 2, 2, 5, 3));
        check(xs -> F.maxPool1dWithIndices(xs[0], 3, 2, 1, 1, false).values(), u(-2, 2, 2, 3, 9));
        check(xs -> F.avgPool1d(xs[0], 3, 2, 1, true, false), u(-2, 2, 2, 3, 8));
        check(xs -> F.instanceNorm(xs[0], xs[1], xs[2], 1e-5), u(-2, 2, 2, 3, 5), u(0.5, 1.5, 3), u(-1, 1, 3));
        check(xs -> F.interpolate(xs[0], new int[] {5, 7}, null, "bilinear", false), u(-2, 2, 1, 2, 3, 4));
        check(xs -> F.interpolate(xs[0], new int[] {5, 6}, null, "bilinear", true), u(-2, 2, 1, 2, 3, 4));
        check(xs -> F.interpolate(xs[0], null, new double[] {2.0}, "nearest", null), u(-2, 2, 1, 2, 3, 4));
        check(xs -> F.tripletMarginLoss(xs[0], xs[1], xs[2], 0.5, 2.0, 1e-6, true, Reduction.MEAN), u(-2, 2, 4, 3), u(-2, 2, 4, 3), u(-2, 2, 4, 3));
        Tensor labels = Tensors.fromArray(new double[] {1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 0}, 3, 4);
        check(xs -> F.multilabelSoftMarginLoss(xs[0], labels, null, Reduction.MEAN), nc(-2, 2, 3, 4));
    }

    @Test
    void nanmeanOfAnAllNanLineIsNanWithNanGradient() {
        Tensor x = Tensors.tensor(Double.NaN, Double.NaN).requiresGrad_(true);
        Tensor m = x.nanmean();
        assertTrue(Double.isNaN(m.item()));
        m.backward();
        assertTrue(Double.isNaN(x.grad().toDoubleArray()[0]));
        Tensor nan = Tensors.tensor(1.0, Double.NaN, 2.0, 3.0, 0.5, -1.0).reshape(2, 3);
        assertArrayEquals(new long[] {1, 1}, nan.median(1, false).indices().toLongArray());
    }

    @Test
    void badArgumentsNameWhatIsWrong() {
        var prelu = assertThrows(IllegalArgumentException.class, () -> F.prelu(Tensors.zeros(2, 3, 4), Tensors.zeros(4)));
        assertTrue(prelu.getMessage().contains("weight has 4 values but the input of shape [2, 3, 4] has 3 channels"), prelu.getMessage());
        var groups = assertThrows(IllegalArgumentException.class, () -> F.groupNorm(Tensors.zeros(2, 6, 4), 4, null, null, 1e-5));
        assertTrue(groups.getMessage().contains("channels 6 must be divisible by num_groups 4"), groups.getMessage());
        var shuffle = assertThrows(IllegalArgumentException.class, () -> F.pixelShuffle(Tensors.zeros(1, 6, 2, 2), 2));
        assertTrue(shuffle.getMessage().contains("channels 6 must be divisible by upscale_factor^2 = 4"), shuffle.getMessage());
        var kth = assertThrows(IllegalArgumentException.class, () -> Tensors.zeros(3, 4).kthvalue(5, 1, false));
        assertTrue(kth.getMessage().contains("k must be in [1, 4] but got 5"), kth.getMessage());
        var mode = assertThrows(IllegalArgumentException.class, () -> F.interpolate(Tensors.zeros(1, 1, 2, 2), new int[] {3}, null, "bicubic", null));
        assertTrue(mode.getMessage().contains("'bicubic'"), mode.getMessage());
        var kl = assertThrows(IllegalArgumentException.class, () -> F.klDiv(Tensors.zeros(2), Tensors.zeros(2), "avg", false));
        assertTrue(kl.getMessage().contains("'avg'"), kl.getMessage());
    }
}
