package dev.kindling.spark.train;

/**
 * Early stopping's memory: the best validation loss so far and how many epochs have ended since
 * it last improved. With patience 0 it never stops.
 */
final class EarlyStopping {
    public int patience;
    public double bestValidationLoss = Double.POSITIVE_INFINITY;
    public int epochsWithoutImprovement;

    EarlyStopping() {}

    EarlyStopping(int patience) { this.patience = patience; }

    /** Records an epoch's validation loss (NaN: no validation); true when the fit should stop. */
    boolean shouldStop(double validationLoss) {
        if (patience == 0 || Double.isNaN(validationLoss)) return false;
        if (validationLoss < bestValidationLoss) {
            bestValidationLoss = validationLoss;
            epochsWithoutImprovement = 0;
            return false;
        }
        return ++epochsWithoutImprovement >= patience;
    }
}
