// Kindling's own batched GEMM, the fallback when no cuBLAS can be loaded: out[b] = a[b] x b[b]
// for any strides (batch stride 0 broadcasts), 64x64 output tiles, 16-deep K slices staged in
// shared memory, 4x4 outputs per thread accumulated with explicit fma in the element type.
#pragma once
#include "common.cuh"

#define KD_TILE 64
#define KD_TK 16

template <typename T>
__device__ void gemmTile(const T* a, int sab, int sam, int sak, const T* b, int sbb, int sbk, int sbn,
                         T* c, int scb, int scm, int scn, int M, int N, int K) {
    __shared__ T as[KD_TK][KD_TILE + 1];
    __shared__ T bs[KD_TK][KD_TILE + 1];
    int batch = blockIdx.z;
    const T* A = a + (i64) batch * sab;
    const T* B = b + (i64) batch * sbb;
    T* C = c + (i64) batch * scb;
    int row0 = blockIdx.y * KD_TILE, col0 = blockIdx.x * KD_TILE;
    int tx = threadIdx.x % 16, ty = threadIdx.x / 16;   // 256 threads: 16 x 16, 4 x 4 outputs each
    T acc[4][4];
    for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) acc[i][j] = T(0);
    for (int k0 = 0; k0 < K; k0 += KD_TK) {
        for (int e = threadIdx.x; e < KD_TK * KD_TILE; e += 256) {
            int kk = e / KD_TILE, mm = e % KD_TILE;
            int r = row0 + mm, k = k0 + kk;
            as[kk][mm] = r < M && k < K ? A[(i64) r * sam + (i64) k * sak] : T(0);
            int cc = col0 + mm;
            bs[kk][mm] = cc < N && k < K ? B[(i64) k * sbk + (i64) cc * sbn] : T(0);
        }
        __syncthreads();
        for (int kk = 0; kk < KD_TK; kk++) {
            T av[4], bv[4];
            for (int i = 0; i < 4; i++) av[i] = as[kk][ty + 16 * i];
            for (int j = 0; j < 4; j++) bv[j] = bs[kk][tx + 16 * j];
            for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) acc[i][j] = fma(av[i], bv[j], acc[i][j]);
        }
        __syncthreads();
    }
    for (int i = 0; i < 4; i++) {
        int r = row0 + ty + 16 * i;
        if (r >= M) continue;
        for (int j = 0; j < 4; j++) {
            int cc = col0 + tx + 16 * j;
            if (cc < N) C[(i64) r * scm + (i64) cc * scn] = acc[i][j];
        }
    }
}

#define KD_GEMM(SUF, T)                                                                               \
extern "C" __global__ void kd_gemm_##SUF(const T* a, int sab, int sam, int sak, const T* b, int sbb, int sbk, int sbn, \
                                         T* c, int scb, int scm, int scn, int M, int N, int K) {      \
    gemmTile<T>(a, sab, sam, sak, b, sbb, sbk, sbn, c, scb, scm, scn, M, N, K);                       \
}
KD_GEMM(f32, float)
KD_GEMM(f64, double)
