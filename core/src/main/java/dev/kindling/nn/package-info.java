/**
 * Neural-network building blocks in PyTorch's shape: {@code Module} (parameters, buffers,
 * submodules, state dicts with PyTorch's keys, train/eval), {@code Parameter}, layers (linear,
 * convolution, pooling, normalisation, recurrent, attention, activations) and {@code Init}.
 * May use tensor, autograd, ops and nn.functional; never backend.cpu.
 */
package dev.kindling.nn;
