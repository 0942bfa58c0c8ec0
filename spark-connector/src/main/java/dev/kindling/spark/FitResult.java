package dev.kindling.spark;

import dev.kindling.nn.Module;

import java.util.List;

/**
 * What a distributed fit returns: the trained model (on the driver), the per-epoch history, the
 * number of optimizer steps taken, and whether early stopping ended it.
 */
public record FitResult(Module model, List<EpochMetrics> history, long steps, boolean stoppedEarly) {

    /** The last epoch's metrics. */
    public EpochMetrics last() { return history.get(history.size() - 1); }
}
