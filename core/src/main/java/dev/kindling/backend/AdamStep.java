package dev.kindling.backend;

/**
 * The numbers of one Adam (or AdamW) update of one parameter, as {@code torch.optim.Adam}'s
 * single-tensor step uses them: learning rate, betas, epsilon, weight decay (added to the gradient,
 * or with {@code decoupled} applied to the parameter as AdamW does), maximize, amsgrad, and the
 * bias corrections {@code 1 - beta1^t} and {@code sqrt(1 - beta2^t)} of step t. Computed by the
 * optimizer, carried out by {@link Backend#adamStep}.
 */
public record AdamStep(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled,
                       boolean maximize, boolean amsgrad, double biasCorrection1, double biasCorrection2Sqrt) {

    /** The step for step number t (1-based). */
    public static AdamStep of(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled,
                              boolean maximize, boolean amsgrad, long t) {
        return new AdamStep(lr, beta1, beta2, eps, weightDecay, decoupled, maximize, amsgrad,
                1 - Math.pow(beta1, t), Math.sqrt(1 - Math.pow(beta2, t)));
    }
}
