package dev.kindling.nn.functional;

import dev.kindling.tensor.Tensor;

import java.util.Locale;

/** How a loss combines its per-element values, as PyTorch's {@code reduction=} argument. */
public enum Reduction {
    NONE, MEAN, SUM;

    /** Parses {@code "none"}, {@code "mean"} or {@code "sum"}. */
    public static Reduction parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("reduction: expected 'none', 'mean' or 'sum' but got '" + s + "'");
        }
    }

    /** Applies the reduction to per-element losses. */
    public Tensor apply(Tensor losses) {
        return switch (this) {
            case NONE -> losses;
            case MEAN -> losses.mean();
            case SUM -> losses.sum();
        };
    }
}
