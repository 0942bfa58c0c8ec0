// Stable argsort of lines and nonzero. Both favour determinism and simplicity over speed: one
// thread sorts one line (bottom-up merge sort in global scratch memory), and nonzero runs in one
// block that numbers the non-zero elements in order.
#pragma once
#include "common.cuh"

// Whether a goes strictly before b: NaN above every number (last ascending, first descending);
// -0.0 == 0.0. For integers the NaN tests are false.
template <typename T> __device__ __forceinline__ bool sortsBefore(T a, T b, int descending) {
    bool an = a != a, bn = b != b;
    if (descending) {
        if (an) return !bn;
        if (bn) return false;
        return a > b;
    }
    if (an) return false;
    if (bn) return true;
    return a < b;
}

#define KD_SORT(SUF, T)                                                                               \
extern "C" __global__ void kd_sort_indices_##SUF(const T* x, View xl, int xs, i64* idx, View il, int is, \
                                                 i64* scratch, int len, i64 nLines, int descending) { \
    KD_FOR_EACH(l, nLines) {                                                                          \
        i64 xb = offsetOf(xl, l), ib = offsetOf(il, l);                                               \
        i64* a = scratch + l * 2 * (i64) len;                                                         \
        i64* b = a + len;                                                                             \
        for (int j = 0; j < len; j++) a[j] = j;                                                       \
        for (int width = 1; width < len; width *= 2) {                                                \
            for (int lo = 0; lo < len; lo += 2 * width) {                                             \
                int mid = min(lo + width, len), hi = min(lo + 2 * width, len);                        \
                int p = lo, q = mid, o = lo;                                                          \
                while (p < mid && q < hi) {                                                           \
                    /* stable: the right run's element goes first only if strictly before */          \
                    if (sortsBefore<T>(x[xb + a[q] * xs], x[xb + a[p] * xs], descending)) b[o++] = a[q++]; \
                    else b[o++] = a[p++];                                                             \
                }                                                                                     \
                while (p < mid) b[o++] = a[p++];                                                      \
                while (q < hi) b[o++] = a[q++];                                                       \
            }                                                                                         \
            i64* t = a; a = b; b = t;                                                                 \
        }                                                                                             \
        for (int j = 0; j < len; j++) idx[ib + (i64) j * is] = a[j];                                  \
    }                                                                                                 \
}                                                                                                     \
/* One block of KD_BLOCK threads; each numbers the non-zeros of its contiguous chunk after those */  \
/* of the chunks before it. count: writes only the total into rows[0]; else writes coordinates. */   \
extern "C" __global__ void kd_nonzero_##SUF(const T* x, View xv, i64 n, i64* rows, int countOnly) {   \
    __shared__ i64 before[KD_BLOCK];                                                                  \
    i64 chunk = (n + KD_BLOCK - 1) / KD_BLOCK;                                                        \
    i64 from = threadIdx.x * chunk, to = min(n, from + chunk);                                        \
    i64 mine = 0;                                                                                     \
    for (i64 i = from; i < to; i++) mine += x[offsetOf(xv, i)] != T(0);                               \
    before[threadIdx.x] = mine;                                                                       \
    __syncthreads();                                                                                  \
    if (threadIdx.x == 0) {                                                                           \
        i64 run = 0;                                                                                  \
        for (int t = 0; t < KD_BLOCK; t++) { i64 c = before[t]; before[t] = run; run += c; }          \
        if (countOnly) rows[0] = run;                                                                 \
    }                                                                                                 \
    __syncthreads();                                                                                  \
    if (countOnly) return;                                                                            \
    i64 row = before[threadIdx.x];                                                                    \
    for (i64 i = from; i < to; i++) {                                                                 \
        if (x[offsetOf(xv, i)] == T(0)) continue;                                                     \
        i64 r = i;                                                                                    \
        for (int d = xv.ndim - 1; d >= 0; --d) { rows[row * xv.ndim + d] = r % xv.shape[d]; r /= xv.shape[d]; } \
        row++;                                                                                        \
    }                                                                                                 \
}
KD_SORT(f32, float)
KD_SORT(f64, double)
KD_SORT(i32, int)
KD_SORT(i64, i64)
KD_SORT(u8, u8)
