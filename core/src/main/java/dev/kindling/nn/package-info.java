/**
 * Neural-network building blocks in PyTorch's shape: {@code Module} (parameters, buffers,
 * submodules, state dicts with PyTorch's keys, train/eval), {@code Parameter}, layers (linear,
 * convolution, pooling, normalisation, recurrent, attention, activations), {@code Init}, and
 * {@code ModelSpec}/{@code ModelFactory} (a model as a line of layer names, a serializable recipe).
 * May use tensor, autograd, ops and nn.functional; never backend.cpu.
 */
package dev.kindling.nn;
