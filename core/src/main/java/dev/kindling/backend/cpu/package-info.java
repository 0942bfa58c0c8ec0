/**
 * The CPU backend: {@link dev.kindling.backend.cpu.CpuBackend} routes each primitive to a kernel
 * class (elementwise, copy, reduce, index, softmax, convolution, random, optimizer steps) after
 * staging operands into the form the kernels expect; matrix products go to OpenBLAS through FFM
 * downcalls ({@link dev.kindling.backend.cpu.OpenBlas}) or a Java GEMM; work is split over a
 * thread budget ({@link dev.kindling.backend.cpu.Parallel}). It registers itself through
 * {@link dev.kindling.backend.cpu.CpuBackendProvider} in {@code META-INF/services}.
 *
 * <p>Kernels loop over Java arrays where storage is array-backed (the JIT's fastest loops) and
 * treat foreign memory (Arrow buffers, mapped files) separately. What it may import: the JDK,
 * SLF4J, the backend SPI ({@code dev.kindling.backend}) and the tensor value types {@code DType},
 * {@code Device}, {@code Storage}, {@code Generator} and {@code Shapes}; never {@code Tensor},
 * autograd, ops or nn ({@code dev.kindling.ArchitectureTest} checks this). Nothing outside the
 * backend depends on this package except through the registry, apart from tuning and diagnostics
 * ({@code Parallel}'s thread budget, {@code OpenBlas}'s description) used by examples and
 * benchmarks.
 */
package dev.kindling.backend.cpu;
