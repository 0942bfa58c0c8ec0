package dev.kindling.spark.ml;

import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

import java.util.Arrays;

/**
 * What a Kindling classifier adds to the prediction, as MLlib's probabilistic classifiers have it:
 * the class probabilities column (softmax of the logits), the logits column, and the per-class
 * {@code thresholds} that turn probabilities into a prediction. Spark's {@code HasProbabilityCol},
 * {@code HasRawPredictionCol} and {@code HasThresholds} for {@link KindlingClassifier}, which
 * passes them on, and {@link KindlingClassificationModel}, which applies them; an empty column
 * name leaves a column out.
 */
public interface ClassifierOutputParams extends Params {
    Param<String> probabilityCol();

    Param<String> rawPredictionCol();

    default String getProbabilityCol() { return getOrDefault(probabilityCol()); }

    default String getRawPredictionCol() { return getOrDefault(rawPredictionCol()); }

    DoubleArrayParam thresholds();

    /** The thresholds, or null when unset (the prediction is then the most probable class). */
    default double[] getThresholds() { return isDefined(thresholds()) ? getOrDefault(thresholds()).clone() : null; }

    /** The probability column's Param for owner (default "probability", set by the owner). */
    static Param<String> probabilityParam(Params owner) {
        return new Param<>(owner, "probabilityCol", "column for the class probabilities (softmax of the logits); empty = none");
    }

    /** The logits column's Param for owner (default "rawPrediction", set by the owner). */
    static Param<String> rawPredictionParam(Params owner) {
        return new Param<>(owner, "rawPredictionCol", "column for the logits; empty = none");
    }

    /** The thresholds' Param for owner, with MLlib's rule and validity check. */
    static DoubleArrayParam thresholdsParam(Params owner) {
        return new DoubleArrayParam(owner, "thresholds", "per-class thresholds, as in MLlib: the prediction is the class with the "
                + "largest probability / threshold (a class with threshold 0 wins); one per class, all >= 0, at most one 0",
                (scala.Function1<double[], Object> & java.io.Serializable) t -> validThresholds(t));
    }

    private static boolean validThresholds(double[] t) {
        return t != null && t.length > 0 && Arrays.stream(t).allMatch(v -> v >= 0) && Arrays.stream(t).filter(v -> v == 0).count() <= 1;
    }

    /** A copy of thresholds after MLlib's check, or an exception saying what is wrong. */
    static double[] checkThresholds(double[] t) {
        if (!validThresholds(t)) {
            throw new IllegalArgumentException("thresholds must be non-empty, all >= 0 (not NaN), with at most one 0, but got "
                    + Arrays.toString(t));
        }
        return t.clone();
    }

    /** The predicted class: the first largest logit, or with thresholds (not null) MLlib's rule below. */
    static int predictedClass(double[] raw, double[] probability, double[] thresholds) {
        if (thresholds != null) return thresholdedClass(probability, thresholds);
        int best = 0;
        for (int c = 1; c < raw.length; c++) if (raw[c] > raw[best]) best = c;
        return best;
    }

    /**
     * MLlib's rule ({@code ProbabilisticClassificationModel.probability2prediction}): the class of
     * the largest probability / threshold, a threshold of 0 counting as infinitely large, the first
     * class on ties.
     */
    static int thresholdedClass(double[] probability, double[] thresholds) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < probability.length; c++) {
            double score = thresholds[c] == 0 ? Double.POSITIVE_INFINITY : probability[c] / thresholds[c];
            if (score > bestScore) {
                best = c;
                bestScore = score;
            }
        }
        return best;
    }

    /** Checks the thresholds (when set) have one entry per class of a network with that many outputs. */
    static void checkThresholdCount(double[] thresholds, int classes) {
        if (thresholds != null && thresholds.length != classes) {
            throw new IllegalArgumentException("thresholds has " + thresholds.length + " entries " + Arrays.toString(thresholds)
                    + " but the network outputs " + classes + " classes; give one threshold per class");
        }
    }
}
