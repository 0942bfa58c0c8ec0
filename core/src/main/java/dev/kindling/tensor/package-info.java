/**
 * Tensors and the values they are made of. {@link dev.kindling.tensor.Tensor} is the facade a user
 * works with: storage plus shape, strides and offset, with autograd state, whose methods each call
 * one op in {@code dev.kindling.ops}; {@link dev.kindling.tensor.Tensors} holds the factories.
 * The plain values under it know nothing of autograd and are what backends may use:
 * {@link dev.kindling.tensor.DType}, {@link dev.kindling.tensor.Device},
 * {@link dev.kindling.tensor.Storage} (a memory segment, Java-array-backed or foreign),
 * {@link dev.kindling.tensor.Generator} (counter-based random numbers) and
 * {@link dev.kindling.tensor.Shapes} (shape arithmetic).
 *
 * <p>What it may import: those value types import only the JDK. {@code Tensor} and {@code Tensors}
 * also use {@code autograd}, {@code ops} and the backend SPI ({@code dev.kindling.backend}): they
 * hand kernels a {@code StridedView} ({@link dev.kindling.tensor.Tensor#strided()}) and dispatch
 * to the backend of the tensor's device, found through the registry; they never name a backend
 * implementation such as {@code backend.cpu} ({@code dev.kindling.ArchitectureTest} checks this).
 */
package dev.kindling.tensor;
