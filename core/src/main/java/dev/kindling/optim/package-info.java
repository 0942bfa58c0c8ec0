/**
 * Optimizers (SGD, Adam, AdamW, RMSprop, Adagrad...), learning-rate schedulers and gradient
 * clipping, with PyTorch's names, defaults and update rules. An optimizer holds parameter groups
 * and per-parameter state; its fused steps are backend primitives ({@code Backend.adamStep},
 * {@code sgdStep}). May use tensor, autograd and backend (through the tensor facade); not nn.
 */
package dev.kindling.optim;
