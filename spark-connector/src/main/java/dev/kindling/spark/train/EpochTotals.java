package dev.kindling.spark.train;

/**
 * Sums over the steps of the epoch in progress, from which its {@link EpochMetrics} row is made:
 * loss, samples, correct predictions, steps, and where the time went (executors, aggregation,
 * driver, wall). Saved in checkpoints (as JSON, field by field) so an epoch resumed mid-way
 * reports the same numbers as an uninterrupted one.
 */
final class EpochTotals {
    public double lossSum;
    public long samples;
    /** The samples' instance weights summed (= samples without weights): the training loss is their weighted mean. */
    public double weightSum;
    public long correct;
    public int steps;
    public double executorSec;
    public double aggregationSec;
    public double driverSec;
    public double wallSec;

    /**
     * Adds one synchronous step or local round: its partial sums, its step count, and its times
     * (job start, job end, driver update end, in nanoseconds). The job's time beyond the slowest
     * partition's compute time is counted as aggregation.
     */
    void addRound(Partial total, int roundSteps, long jobStart, long jobEnd, long driverEnd) {
        double job = (jobEnd - jobStart) / 1e9;
        double exec = total.computeNanos / 1e9;
        executorSec += Math.min(exec, job);
        aggregationSec += Math.max(0, job - exec);
        driverSec += (driverEnd - jobEnd) / 1e9;
        wallSec += (driverEnd - jobStart) / 1e9;
        lossSum += total.lossSum;
        samples += total.count;
        weightSum += total.weightSum;
        correct += total.correct;
        steps += roundSteps;
    }

    /** The epoch's metrics row (validation loss and accuracy NaN when there was no validation). */
    EpochMetrics metrics(int epoch, double validationLoss, double validationAccuracy) {
        return new EpochMetrics(epoch, steps, weightSum > 0 ? lossSum / weightSum : 0, (double) correct / Math.max(1, samples),
                validationLoss, validationAccuracy, samples / Math.max(1e-9, wallSec), wallSec, executorSec, aggregationSec, driverSec);
    }
}
