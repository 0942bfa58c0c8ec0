package dev.kindling.spark.train;

import dev.kindling.nn.functional.F;
import dev.kindling.nn.functional.Reduction;
import dev.kindling.tensor.Tensor;

import java.io.Serializable;

/**
 * The loss of a distributed fit, summed (not averaged) over a partition's rows so that the driver
 * can divide the summed gradients by the global count: the result is exactly the gradient of the
 * mean loss over the global batch. {@link #correct} counts right answers for the accuracy metric.
 */
public interface TrainingLoss extends Serializable {

    /** The loss summed over the rows of output and target. */
    Tensor sum(Tensor output, Tensor target);

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

            public long correct(Tensor output, Tensor target) {
                return output.argmax(1).eq(target).sum().itemLong();
            }

            public boolean classification() { return true; }
        };
    }

    /** Squared error of outputs [N] or [N, 1] against float32 targets [N]. */
    static TrainingLoss mse() {
        return (output, target) -> F.mseLoss(output.reshape(target.shape()), target, Reduction.SUM);
    }
}
