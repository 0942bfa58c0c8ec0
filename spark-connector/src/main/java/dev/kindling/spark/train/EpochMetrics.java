package dev.kindling.spark.train;

import dev.kindling.metrics.TrainingHistory;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One epoch of a distributed fit: training loss and accuracy (over the batches trained on),
 * validation loss and accuracy (NaN without a validation set), throughput, and where the time
 * went: executor compute (the slowest partition of each step, summed), aggregation and Spark
 * overhead (the rest of each step's job), and the driver's optimizer step.
 */
public record EpochMetrics(int epoch, int steps, double trainLoss, double trainAccuracy, double validationLoss,
                           double validationAccuracy, double samplesPerSecond, double seconds, double executorSeconds,
                           double aggregationSeconds, double driverSeconds) implements Serializable {

    /** The progress line a fit logs after each epoch. */
    public String line(int epochs, boolean classification) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  %d steps  loss %.4f", epoch, epochs, steps, trainLoss));
        if (classification) s.append(String.format(Locale.ROOT, "  acc %.2f%%", 100 * trainAccuracy));
        if (!Double.isNaN(validationLoss)) {
            s.append(String.format(Locale.ROOT, "  val loss %.4f", validationLoss));
            if (classification) s.append(String.format(Locale.ROOT, "  val acc %.2f%%", 100 * validationAccuracy));
        }
        s.append(String.format(Locale.ROOT, "  %.0f samples/s  %.1f s (executors %.1f s, aggregation+Spark %.1f s, driver %.1f s)",
                samplesPerSecond, seconds, executorSeconds, aggregationSeconds, driverSeconds));
        return s.toString();
    }

    /** This epoch as a {@link TrainingHistory} row's values (accuracies only for classification; lr NaN = unknown). */
    public Map<String, Double> values(boolean classification, double lr) {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put(TrainingHistory.LOSS, trainLoss);
        if (classification) v.put(TrainingHistory.ACCURACY, trainAccuracy);
        v.put(TrainingHistory.VAL_LOSS, validationLoss);
        if (classification) v.put(TrainingHistory.VAL_ACCURACY, validationAccuracy);
        v.put(TrainingHistory.LR, lr);
        v.put(TrainingHistory.SAMPLES_PER_SECOND, samplesPerSecond);
        v.put(TrainingHistory.SECONDS, seconds);
        v.put("executor_s", executorSeconds);
        v.put("aggregation_s", aggregationSeconds);
        v.put("driver_s", driverSeconds);
        return v;
    }
}
