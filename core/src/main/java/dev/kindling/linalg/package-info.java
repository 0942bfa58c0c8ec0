/**
 * {@code torch.linalg}: factorizations, solves and norms of batched matrices. Values come from
 * LAPACK through the backend's {@code Lapack} service; gradients are PyTorch's formulas written in
 * tensor ops, so autograd differentiates them like any other op. May use tensor, ops, autograd and
 * the backend SPI; never a concrete backend (the CPU's LAPACKE binding is found through the registry).
 */
package dev.kindling.linalg;
