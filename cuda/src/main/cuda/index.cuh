// Indexing: index_select, gather, scatter(_add), index_add. Values are moved as raw words of the
// element size (1, 4 or 8 bytes), so one kernel serves every dtype of that size. Accumulating
// kernels give each output line to one thread that walks the index in order: deterministic, and
// the same order of additions as the CPU backend.
#pragma once
#include "common.cuh"

// Offset in v of the element whose coordinates are those of linear index i over `shape` (of v's
// rank), except at dim, where the coordinate is `at`.
__device__ __forceinline__ i64 offsetWithDim(const View& v, const View& shape, i64 i, int dim, i64 at) {
    i64 off = v.offset;
    for (int d = shape.ndim - 1; d >= 0; --d) {
        int s = shape.shape[d];
        i64 c = i % s;
        i /= s;
        off += (d == dim ? at : c) * (i64) v.strides[d];
    }
    return off;
}

#define KD_INDEX(SUF, W)                                                                              \
/* out = x.index_select(dim, index): out's coordinate at dim picks index[that coordinate]. */         \
extern "C" __global__ void kd_index_select_##SUF(const W* x, View xv, int dim, const i64* idx, View iv, W* out, View ov, i64 n) { \
    KD_FOR_EACH(i, n) {                                                                               \
        i64 rest = i;                                                                                 \
        for (int d = ov.ndim - 1; d > dim; --d) rest /= ov.shape[d];                                  \
        i64 c = rest % ov.shape[dim];                                                                 \
        out[offsetOf(ov, i)] = x[offsetWithDim(xv, ov, i, dim, idx[offsetOf(iv, c)])];                \
    }                                                                                                 \
}                                                                                                     \
/* out = x.gather(dim, index): index has out's shape. */                                              \
extern "C" __global__ void kd_gather_##SUF(const W* x, View xv, int dim, const i64* idx, View iv, W* out, View ov, i64 n) { \
    KD_FOR_EACH(i, n) out[offsetOf(ov, i)] = x[offsetWithDim(xv, ov, i, dim, idx[offsetOf(iv, i)])];  \
}                                                                                                     \
/* out.scatter_(dim, index, src): one thread per line of index along dim, in order. */                \
extern "C" __global__ void kd_scatter_##SUF(W* out, View ov, int dim, const i64* idx, View iv, const W* src, View sv, \
                                            View lines, i64 nLines) {                                 \
    int len = iv.shape[dim];                                                                          \
    KD_FOR_EACH(l, nLines) {                                                                          \
        for (int j = 0; j < len; j++) {                                                               \
            i64 ioff = offsetWithDim(iv, lines, l, dim, j);                                           \
            out[offsetWithDim(ov, lines, l, dim, idx[ioff])] = src[offsetWithDim(sv, lines, l, dim, j)]; \
        }                                                                                             \
    }                                                                                                 \
}
KD_INDEX(w8, unsigned char)
KD_INDEX(w32, unsigned int)
KD_INDEX(w64, unsigned long long)

#define KD_INDEX_ADD(SUF, T)                                                                          \
extern "C" __global__ void kd_scatter_add_##SUF(T* out, View ov, int dim, const i64* idx, View iv, const T* src, View sv, \
                                                View lines, i64 nLines) {                             \
    int len = iv.shape[dim];                                                                          \
    KD_FOR_EACH(l, nLines) {                                                                          \
        for (int j = 0; j < len; j++) {                                                               \
            i64 ioff = offsetWithDim(iv, lines, l, dim, j);                                           \
            out[offsetWithDim(ov, lines, l, dim, idx[ioff])] += src[offsetWithDim(sv, lines, l, dim, j)]; \
        }                                                                                             \
    }                                                                                                 \
}                                                                                                     \
/* out.index_add_(dim, index, src): lines are src's coordinates but dim; each walks index in order. */ \
extern "C" __global__ void kd_index_add_##SUF(T* out, View ov, int dim, const i64* idx, View iv, const T* src, View sv, \
                                              View lines, i64 nLines) {                               \
    int len = sv.shape[dim];                                                                          \
    KD_FOR_EACH(l, nLines) {                                                                          \
        for (int j = 0; j < len; j++) {                                                               \
            out[offsetWithDim(ov, lines, l, dim, idx[offsetOf(iv, j)])] += src[offsetWithDim(sv, lines, l, dim, j)]; \
        }                                                                                             \
    }                                                                                                 \
}
KD_INDEX_ADD(f32, float)
KD_INDEX_ADD(f64, double)
KD_INDEX_ADD(i64, i64)
