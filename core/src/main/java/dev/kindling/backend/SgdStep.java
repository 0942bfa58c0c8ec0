package dev.kindling.backend;

/**
 * The numbers of one SGD update of one parameter, as {@code torch.optim.SGD}'s single-tensor step
 * uses them: learning rate, momentum, dampening, weight decay (added to the gradient), Nesterov
 * momentum and maximize. Validated by the optimizer, carried out by {@link Backend#sgdStep}.
 */
public record SgdStep(double lr, double momentum, double dampening, double weightDecay, boolean nesterov,
                      boolean maximize) {
}
