package dev.kindling.spark;

import dev.kindling.nn.Module;
import dev.kindling.optim.Optimizer;

import java.util.List;

/**
 * What a distributed fit returns: the trained model (on the driver), the per-epoch history, the
 * number of optimizer steps taken, whether early stopping ended it, the driver's optimizer with its
 * final state (null for a model loaded from disk), and the step the fit started from (that of the
 * checkpoint it resumed, else 0).
 */
public record FitResult(Module model, List<EpochMetrics> history, long steps, boolean stoppedEarly, Optimizer optimizer,
                        long startStep) {

    /** A result without optimizer, started from step 0 (a saved model, say). */
    public FitResult(Module model, List<EpochMetrics> history, long steps, boolean stoppedEarly) {
        this(model, history, steps, stoppedEarly, null, 0);
    }

    /**
     * The last completed epoch's metrics.
     *
     * @throws IllegalStateException when no epoch completed (maxSteps ended the fit inside its first epoch)
     */
    public EpochMetrics last() {
        if (history.isEmpty()) {
            throw new IllegalStateException("no epoch completed: the fit stopped after " + steps
                    + " steps, inside its first epoch (maxSteps); see steps()");
        }
        return history.get(history.size() - 1);
    }
}
