package dev.kindling.spark;

import dev.kindling.metrics.TrainingHistory;
import dev.kindling.nn.Module;

import java.util.List;

/**
 * What a distributed fit returns: the trained model (on the driver), the per-epoch metrics, the
 * number of optimizer steps taken, whether early stopping ended it, and the full training history
 * (rows every few steps and per epoch) that {@link TrainingHistory#writeFiles} saves as CSV, JSON
 * and a PNG chart.
 */
public record FitResult(Module model, List<EpochMetrics> history, long steps, boolean stoppedEarly,
                        TrainingHistory trainingHistory) {

    /** A fit known only by its epochs (a loaded model): its history holds one row per epoch. */
    public static FitResult ofEpochs(Module model, List<EpochMetrics> history, long steps, boolean stoppedEarly, boolean classification) {
        TrainingHistory h = new TrainingHistory();
        long step = 0;
        for (EpochMetrics m : history) {
            step += m.steps();
            h.add(TrainingHistory.Scope.EPOCH, m.epoch(), step, m.values(classification, Double.NaN));
        }
        return new FitResult(model, history, steps, stoppedEarly, h);
    }

    /** The last epoch's metrics. */
    public EpochMetrics last() { return history.get(history.size() - 1); }
}
