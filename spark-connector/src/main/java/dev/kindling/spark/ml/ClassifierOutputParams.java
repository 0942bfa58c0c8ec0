package dev.kindling.spark.ml;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The two columns a Kindling classifier appends besides the prediction: the class probabilities
 * (softmax of the logits) and the logits themselves. Spark's {@code HasProbabilityCol} and
 * {@code HasRawPredictionCol} for {@link KindlingClassifier}, which passes them on, and
 * {@link KindlingClassificationModel}, which writes them; an empty name leaves a column out.
 */
public interface ClassifierOutputParams extends Params {
    Param<String> probabilityCol();

    Param<String> rawPredictionCol();

    default String getProbabilityCol() { return getOrDefault(probabilityCol()); }

    default String getRawPredictionCol() { return getOrDefault(rawPredictionCol()); }

    /** The probability column's Param for owner (default "probability", set by the owner). */
    static Param<String> probabilityParam(Params owner) {
        return new Param<>(owner, "probabilityCol", "column for the class probabilities (softmax of the logits); empty = none");
    }

    /** The logits column's Param for owner (default "rawPrediction", set by the owner). */
    static Param<String> rawPredictionParam(Params owner) {
        return new Param<>(owner, "rawPredictionCol", "column for the logits; empty = none");
    }
}
