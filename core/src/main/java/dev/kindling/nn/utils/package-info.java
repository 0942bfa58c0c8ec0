/**
 * Helpers over a model's tensors in the shape of PyTorch's {@code torch.nn.utils}:
 * {@code ParameterVectors} ({@code parameters_to_vector}, {@code vector_to_parameters}).
 * May use tensor, autograd and ops; never nn layers, backend, or anything above nn.
 */
package dev.kindling.nn.utils;
