package dev.kindling.spark.train;

import dev.kindling.metrics.TrainingHistory;
import dev.kindling.nn.Module;
import dev.kindling.optim.Optimizer;

import java.util.List;

/**
 * What a distributed fit returns: the trained model (on the driver), the per-epoch metrics, the
 * number of optimizer steps taken, whether early stopping ended it, the driver's optimizer with its
 * final state (null for a model loaded from disk), the step the fit started from (that of the
 * checkpoint it resumed, else 0), and the full training history (rows every few steps and per
 * epoch) that {@link TrainingHistory#writeFiles} saves as CSV, JSON and a PNG chart.
 */
public record FitResult(Module model, List<EpochMetrics> history, long steps, boolean stoppedEarly, Optimizer optimizer,
                        long startStep, TrainingHistory trainingHistory) {

    /**
     * A fit known only by its epochs (a saved model, say): no optimizer, started from step 0, a
     * history of one row per epoch.
     */
    public static FitResult ofEpochs(Module model, List<EpochMetrics> history, long steps, boolean stoppedEarly, boolean classification) {
        TrainingHistory h = new TrainingHistory();
        long step = 0;
        for (EpochMetrics m : history) {
            step += m.steps();
            h.add(TrainingHistory.Scope.EPOCH, m.epoch(), step, m.values(classification, Double.NaN));
        }
        return new FitResult(model, history, steps, stoppedEarly, null, 0, h);
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
