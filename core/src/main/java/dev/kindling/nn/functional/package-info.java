/**
 * The stateless functions behind the layers, as {@code torch.nn.functional} has them: {@code F}
 * (activations, losses, convolution, pooling, dropout, normalisation, attention). May use tensor,
 * autograd and ops.
 */
package dev.kindling.nn.functional;
