package dev.kindling.spark.train;

import dev.kindling.metrics.TrainingHistory;
import dev.kindling.metrics.TrainingProgress;
import org.slf4j.Logger;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a distributed fit tells while it runs and keeps for afterwards: the progress within each
 * epoch (a bar on a terminal, quarter-epoch log lines otherwise), a {@link TrainingHistory} row
 * every {@code historyEvery} optimizer steps (the loss, accuracy and samples/s of those steps and
 * the learning rate) and one per epoch (everything {@link EpochMetrics} holds).
 */
final class FitReporter {
    private final TrainingHistory history = new TrainingHistory();
    private final TrainingProgress progress;
    private final int historyEvery;
    private final boolean classification;
    private int stepsPerEpoch;
    private int rowEvery;
    // sums since the last step row
    private double lossSum;
    private long seen;
    private double weight;   // the rows' instance weights (= seen without weights): the loss is a weighted mean
    private long correct;
    private long rowStart = System.nanoTime();
    // sums of the epoch so far, for the progress line
    private double epochLossSum;
    private long epochSeen;
    private double epochWeight;
    private long epochCorrect;

    FitReporter(Logger log, String fitLabel, int historyEvery, boolean classification) {
        this.progress = TrainingProgress.forConsole(line -> log.info("Kindling fit {}: {}", fitLabel, line));
        this.historyEvery = historyEvery;
        this.classification = classification;
    }

    TrainingHistory history() { return history; }

    void epochStarted(int epoch, int epochs, int steps) {
        stepsPerEpoch = steps;
        rowEvery = historyEvery > 0 ? historyEvery : Math.max(1, (int) Math.ceil(steps / 10.0));
        epochLossSum = 0;
        epochSeen = 0;
        epochWeight = 0;
        epochCorrect = 0;
        rowStart = System.nanoTime();
        progress.epochStarted(epoch, epochs, steps);
    }

    /** After a Spark job that took k optimizer steps over count samples, ending at the given steps. */
    void stepsDone(Partial total, int k, long step, int epoch, int stepInEpoch, double lr) {
        lossSum += total.lossSum;
        seen += total.count;
        weight += total.weightSum;
        correct += total.correct;
        epochLossSum += total.lossSum;
        epochSeen += total.count;
        epochWeight += total.weightSum;
        epochCorrect += total.correct;
        progress.stepDone(stepInEpoch, () -> metrics(epochLossSum, epochWeight, epochSeen, epochCorrect));
        if (stepInEpoch % rowEvery < k && stepInEpoch < stepsPerEpoch && seen > 0) {
            double seconds = (System.nanoTime() - rowStart) / 1e9;
            Map<String, Double> v = new LinkedHashMap<>();
            v.put(TrainingHistory.LOSS, lossSum / weight);
            if (classification) v.put(TrainingHistory.ACCURACY, (double) correct / seen);
            v.put(TrainingHistory.LR, lr);
            v.put(TrainingHistory.SAMPLES_PER_SECOND, seen / Math.max(1e-9, seconds));
            history.add(TrainingHistory.Scope.STEP, epoch, step, v);
            lossSum = 0;
            seen = 0;
            weight = 0;
            correct = 0;
            rowStart = System.nanoTime();
        }
    }

    /** Clears the bar and records the epoch; the caller logs its line afterwards. */
    void epochEnded(EpochMetrics m, long step, double lr) {
        progress.epochEnded();
        history.add(TrainingHistory.Scope.EPOCH, m.epoch(), step, m.values(classification, lr));
        lossSum = 0;
        seen = 0;
        weight = 0;
        correct = 0;
    }

    private String metrics(double loss, double weight, long n, long right) {
        if (n == 0) return "";
        String s = String.format(Locale.ROOT, "loss %.4f", loss / weight);
        return classification ? s + String.format(Locale.ROOT, "  acc %.2f%%", 100.0 * right / n) : s;
    }
}
