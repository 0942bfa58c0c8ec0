// Random fills from Kindling's counter-based generator (dev.kindling.tensor.Generator): element i
// of a fill uses counter start + i (two counters for normals), the same words the CPU backend
// uses, so a seed gives the same numbers on the CPU and the GPU, whatever the launch shape.
#pragma once
#include "common.cuh"

enum RandomCode { RND_UNIFORM = 0, RND_NORMAL = 1, RND_RANDINT = 2, RND_BERNOULLI = 3 };

__device__ __forceinline__ unsigned long long kdWord(unsigned long long seed, unsigned long long counter) {
    const unsigned long long golden = 0x9E3779B97F4A7C15ULL;
    unsigned long long z = seed * golden + (counter + 1) * golden;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

__device__ __forceinline__ double kdUniform(unsigned long long seed, unsigned long long counter) {
    return (double) (kdWord(seed, counter) >> 11) * 0x1.0p-53;
}

// The value as a double for float outputs (the CPU backend computes in double and then casts).
__device__ __forceinline__ double kdSample(int kind, unsigned long long seed, unsigned long long base, i64 i,
                                           double a, double b) {
    const double twoPi = 6.283185307179586476925;
    switch (kind) {
        case RND_UNIFORM: return a + (b - a) * kdUniform(seed, base + i);
        case RND_NORMAL: {
            double u1 = kdUniform(seed, base + 2 * i), u2 = kdUniform(seed, base + 2 * i + 1);
            return a + b * sqrt(-2.0 * log1p(-u1)) * cos(twoPi * u2);
        }
        default: return kdUniform(seed, base + i) < a ? 1.0 : 0.0;  // RND_BERNOULLI
    }
}

#define KD_RANDOM(SUF, T)                                                                             \
extern "C" __global__ void kd_random_##SUF(int kind, unsigned long long seed, unsigned long long start, \
                                           double a, double b, T* out, View ov, i64 n) {              \
    KD_FOR_EACH(i, n) {                                                                               \
        T v;                                                                                          \
        if (kind == RND_RANDINT) {                                                                    \
            i64 lo = (i64) a;                                                                         \
            unsigned long long range = (unsigned long long) ((i64) b - lo);                           \
            v = (T) (lo + (i64) __umul64hi(kdWord(seed, start + i), range));                          \
        } else {                                                                                      \
            v = (T) kdSample(kind, seed, start, i, a, b);                                             \
        }                                                                                             \
        out[offsetOf(ov, i)] = v;                                                                     \
    }                                                                                                 \
}
KD_RANDOM(f32, float)
KD_RANDOM(f64, double)
KD_RANDOM(i32, int)
KD_RANDOM(i64, i64)
KD_RANDOM(u8, u8)

// out[i] = 1 with probability p[i]: one counter per element, as the CPU backend.
#define KD_BERNOULLI(SUF, T, O_SUF, O)                                                                \
extern "C" __global__ void kd_bernoulli_##SUF##_##O_SUF(unsigned long long seed, unsigned long long start, \
                                                        const T* p, View pv, O* out, View ov, i64 n) { \
    KD_FOR_EACH(i, n) out[offsetOf(ov, i)] = (O) (kdUniform(seed, start + i) < (double) p[offsetOf(pv, i)] ? 1 : 0); \
}
KD_BERNOULLI(f32, float, f32, float)
KD_BERNOULLI(f64, double, f64, double)
KD_BERNOULLI(f32, float, u8, u8)
KD_BERNOULLI(f64, double, u8, u8)
