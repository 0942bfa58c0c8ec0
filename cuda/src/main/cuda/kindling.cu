// Every Kindling CUDA kernel, in one translation unit so that build-kernels.sh makes one
// fatbinary (dev/kindling/cuda/kindling.fatbin) that CudaBackend loads as one module.
#include "elementwise.cuh"
#include "reduce.cuh"
#include "index.cuh"
#include "conv.cuh"
#include "random.cuh"
#include "optim.cuh"
#include "gemm.cuh"
#include "sort.cuh"
