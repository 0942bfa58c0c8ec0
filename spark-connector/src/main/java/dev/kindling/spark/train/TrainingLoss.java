package dev.kindling.spark.train;

import dev.kindling.nn.functional.F;
import dev.kindling.nn.functional.Reduction;
import dev.kindling.tensor.Tensor;

import java.io.Serializable;

/**
 * The loss of a distributed fit, summed (not averaged) over a partition's rows so that the driver
 * can divide the summed gradients by the global count: the result is exactly the gradient of the
 * mean loss over the global batch. With instance weights the partition returns sum w_i * loss_i
 * and the driver divides by the global sum of weights, MLlib's weighted mean.
 * {@link #correct} counts right answers for the accuracy metric.
 */
public interface TrainingLoss extends Serializable {

    /** The loss summed over the rows of output and target. */
    Tensor sum(Tensor output, Tensor target);

    /** The loss of each row [N] (for weighting). */
    Tensor perRow(Tensor output, Tensor target);

    /** sum w_i * loss_i over the rows, or {@link #sum} when weights is null (the unweighted figures stay bitwise as they were). */
    default Tensor sum(Tensor output, Tensor target, Tensor weights) {
        return weights == null ? sum(output, target) : perRow(output, target).mul(weights).sum();
    }

    /** Correctly classified rows (0 for regression losses). */
    default long correct(Tensor output, Tensor target) { return 0; }

    /** Whether {@link #correct} is meaningful (classification). */
    default boolean classification() { return false; }

    /** Cross entropy of logits [N, C] against int64 class indices. */
    static TrainingLoss crossEntropy() {
        return new TrainingLoss() {
            public Tensor sum(Tensor output, Tensor target) {
                return F.crossEntropy(output, target, null, -100, Reduction.SUM, 0.0);
            }

            public Tensor perRow(Tensor output, Tensor target) {
                return F.crossEntropy(output, target, null, -100, Reduction.NONE, 0.0);
            }

            public long correct(Tensor output, Tensor target) {
                return output.argmax(1).eq(target).sum().itemLong();
            }

            public boolean classification() { return true; }
        };
    }

    /** Squared error of outputs [N] or [N, 1] against float32 targets [N]. */
    static TrainingLoss mse() {
        return new TrainingLoss() {
            public Tensor sum(Tensor output, Tensor target) {
                return F.mseLoss(output.reshape(target.shape()), target, Reduction.SUM);
            }

            public Tensor perRow(Tensor output, Tensor target) {
                return F.mseLoss(output.reshape(target.shape()), target, Reduction.NONE);
            }
        };
    }
}
