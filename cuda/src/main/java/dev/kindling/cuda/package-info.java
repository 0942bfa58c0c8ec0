/**
 * The CUDA backend: a {@code Backend} for {@code Device.cuda(i)} registered through the
 * {@code BackendProvider} ServiceLoader, so core never names it and JCuda's natives load only when
 * a CUDA device is asked for. Holds the driver-API context and streams, the caching device
 * allocator, the kernel fatbinary and its launch arguments, and GEMM through cuBLAS (JCublas or the
 * installed library through FFM) or Kindling's own kernel. May use the backend SPI and core's plain
 * value types (dtype, device, storage); never Tensor, autograd, ops or nn.
 */
package dev.kindling.cuda;
