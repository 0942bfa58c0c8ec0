// Shared definitions of Kindling's CUDA kernels: the strided view every kernel takes, index
// arithmetic, and a deterministic block reduction.
#pragma once
#include <stdint.h>

#define KD_MAX_DIMS 8
#define KD_BLOCK 256

typedef unsigned char u8;
typedef long long i64;

// A tensor operand as the host describes it (dev.kindling.cuda.ViewArgs writes it): element offset,
// rank, sizes and element strides. Passed by value (72 bytes).
struct View {
    int ndim;
    int offset;
    int shape[KD_MAX_DIMS];
    int strides[KD_MAX_DIMS];
};

// Element offset of the i-th element (row-major order over v.shape) of v.
__device__ __forceinline__ i64 offsetOf(const View& v, i64 i) {
    i64 off = v.offset;
    for (int d = v.ndim - 1; d >= 0; --d) {
        int s = v.shape[d];
        i64 c = i % s;
        i /= s;
        off += c * (i64) v.strides[d];
    }
    return off;
}

#define KD_FOR_EACH(i, n) for (i64 i = (i64) blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (i64) blockDim.x * gridDim.x)

// Tree reduction of one value per thread of a KD_BLOCK-thread block, always in the same order, so
// the result does not depend on timing (no atomics). All threads get the result.
template <typename T, typename Combine>
__device__ T blockReduce(T v, Combine combine) {
    __shared__ unsigned char raw[KD_BLOCK * sizeof(double) * 2];
    T* s = reinterpret_cast<T*>(raw);
    s[threadIdx.x] = v;
    __syncthreads();
    for (int half = KD_BLOCK / 2; half > 0; half >>= 1) {
        if (threadIdx.x < half) s[threadIdx.x] = combine(s[threadIdx.x], s[threadIdx.x + half]);
        __syncthreads();
    }
    T r = s[0];
    __syncthreads();
    return r;
}
