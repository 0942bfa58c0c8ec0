package dev.kindling.ops;

import dev.kindling.tensor.Tensor;

/**
 * Reductions that return two results of one pass in PyTorch: var_mean, std_mean (with
 * {@code correction}, 1 = unbiased) and aminmax. Each result is the differentiable op of the same
 * name, so gradients flowing into both results add up.
 */
public final class Moments {
    private Moments() {}

    /** (var, mean) or (std, mean) of torch.var_mean / torch.std_mean. */
    public record SpreadMean(Tensor spread, Tensor mean) {}

    /** (min, max) of torch.aminmax. */
    public record MinMax(Tensor min, Tensor max) {}

    public static SpreadMean varMean(Tensor x, int[] dims, int correction, boolean keepdim) {
        return new SpreadMean(Reductions.var(x, dims, correction, keepdim), Reductions.mean(x, dims, keepdim));
    }

    public static SpreadMean stdMean(Tensor x, int[] dims, int correction, boolean keepdim) {
        return new SpreadMean(Reductions.std(x, dims, correction, keepdim), Reductions.mean(x, dims, keepdim));
    }

    /** Minimum and maximum over dim, or over all elements when dim is null. */
    public static MinMax aminmax(Tensor x, Integer dim, boolean keepdim) {
        if (x.numel() == 0 && (dim == null || x.dim() == 0)) {
            throw new IllegalArgumentException("aminmax: cannot compute aminmax over an empty dimension as the operation has no identity");
        }
        int[] dims = dim == null ? new int[0] : new int[] {dim};
        return new MinMax(Reductions.amax(x, dims, keepdim, false), Reductions.amax(x, dims, keepdim, true));
    }
}
