/**
 * The backend SPI: the closed set of primitive kernels a device implements ({@link
 * dev.kindling.backend.Backend}), the values they take ({@link dev.kindling.backend.StridedView},
 * the op descriptions {@link dev.kindling.backend.UnaryOp}, {@link dev.kindling.backend.BinaryOp},
 * {@link dev.kindling.backend.ReduceOp}, {@link dev.kindling.backend.Conv2dGeometry}, the optimizer
 * steps {@link dev.kindling.backend.AdamStep} and {@link dev.kindling.backend.SgdStep}), the
 * op-by-op definition of those steps in primitives ({@link dev.kindling.backend.ComposedSteps}),
 * and the registry that finds a device's backend with {@link java.util.ServiceLoader} ({@link
 * dev.kindling.backend.Backends}, {@link dev.kindling.backend.BackendProvider}).
 *
 * <p>What it may import: the JDK, and from {@code dev.kindling.tensor} only the plain value types
 * {@code DType}, {@code Device}, {@code Storage}, {@code Generator} and {@code Shapes}. Never
 * {@code Tensor} or {@code Tensors}, {@code autograd}, {@code ops}, {@code nn} or anything above
 * them, and never a backend implementation such as {@code backend.cpu}: a backend for another
 * device (CUDA, a module of its own) implements this SPI without knowing autograd, and core finds
 * it without depending on it. {@code dev.kindling.ArchitectureTest} checks this.
 */
package dev.kindling.backend;
