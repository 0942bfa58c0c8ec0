// Reductions along any set of dims, cumulative sums and (log-)softmax. One block per output value
// (or per line), a fixed KD_BLOCK threads and a fixed combination order: deterministic, no atomics.
// The host splits x into `kept` (the output's dims; its offset is x's) and `red` (the reduced dims,
// offset 0), so that element r of output o is at offsetOf(kept, o) + offsetOf(red, r).
#pragma once
#include "common.cuh"

enum ReduceCode { R_SUM = 0, R_PROD = 1, R_MAX = 2, R_MIN = 3, R_ARGMAX = 4, R_ARGMIN = 5, R_ANY = 6, R_ALL = 7 };

template <typename T> struct Combine {
    int op;
    __device__ T operator()(T a, T b) const {
        switch (op) {
            case R_SUM: return a + b;
            case R_PROD: return a * b;
            case R_MAX: return a != a || b != b ? T(0) / T(0) : (a > b ? a : b);
            default: return a != a || b != b ? T(0) / T(0) : (a < b ? a : b);
        }
    }
};

template <typename T> __device__ T identityOf(int op) {
    switch (op) {
        case R_SUM: return T(0);
        case R_PROD: return T(1);
        case R_MAX: return -INFINITY;
        default: return INFINITY;
    }
}

// (value, index) pairs for argmax/argmin: NaN wins, then the larger (smaller), ties to the first.
template <typename T> struct ArgPair { T v; i64 i; };
template <typename T> struct ArgCombine {
    bool max;
    __device__ ArgPair<T> operator()(ArgPair<T> a, ArgPair<T> b) const {
        if (a.i < 0) return b;
        if (b.i < 0) return a;
        bool an = a.v != a.v, bn = b.v != b.v;
        if (an || bn) return an && (!bn || a.i < b.i) ? a : b;
        if (a.v == b.v) return a.i < b.i ? a : b;
        return (max ? a.v > b.v : a.v < b.v) ? a : b;
    }
};

#define KD_REDUCE(SUF, T)                                                                             \
extern "C" __global__ void kd_reduce_##SUF(int op, const T* x, View kept, View red, T* out, View ov, i64 nRed) { \
    i64 o = blockIdx.x;                                                                               \
    i64 base = offsetOf(kept, o);                                                                     \
    Combine<T> c{op};                                                                                 \
    T acc = identityOf<T>(op);                                                                        \
    for (i64 r = threadIdx.x; r < nRed; r += KD_BLOCK) acc = c(acc, x[base + offsetOf(red, r)]);      \
    acc = blockReduce<T>(acc, c);                                                                     \
    if (threadIdx.x == 0) out[offsetOf(ov, o)] = acc;                                                 \
}                                                                                                     \
extern "C" __global__ void kd_argreduce_##SUF(int op, const T* x, View kept, View red, i64* out, View ov, i64 nRed) { \
    i64 o = blockIdx.x;                                                                               \
    i64 base = offsetOf(kept, o);                                                                     \
    ArgCombine<T> c{op == R_ARGMAX};                                                                  \
    ArgPair<T> acc{T(0), -1};                                                                         \
    for (i64 r = threadIdx.x; r < nRed; r += KD_BLOCK) acc = c(acc, ArgPair<T>{x[base + offsetOf(red, r)], r}); \
    __shared__ T sv[KD_BLOCK];                                                                        \
    __shared__ i64 si[KD_BLOCK];                                                                      \
    sv[threadIdx.x] = acc.v; si[threadIdx.x] = acc.i;                                                 \
    __syncthreads();                                                                                  \
    for (int half = KD_BLOCK / 2; half > 0; half >>= 1) {                                             \
        if (threadIdx.x < half) {                                                                     \
            ArgPair<T> m = c(ArgPair<T>{sv[threadIdx.x], si[threadIdx.x]},                            \
                             ArgPair<T>{sv[threadIdx.x + half], si[threadIdx.x + half]});             \
            sv[threadIdx.x] = m.v; si[threadIdx.x] = m.i;                                             \
        }                                                                                             \
        __syncthreads();                                                                              \
    }                                                                                                 \
    if (threadIdx.x == 0) out[offsetOf(ov, o)] = si[0] < 0 ? 0 : si[0];                               \
}                                                                                                     \
extern "C" __global__ void kd_cumsum_##SUF(const T* x, View xl, int xs, T* out, View ol, int os, int len, i64 nLines) { \
    KD_FOR_EACH(l, nLines) {                                                                          \
        i64 xb = offsetOf(xl, l), ob = offsetOf(ol, l);                                               \
        T acc = T(0);                                                                                 \
        for (int j = 0; j < len; j++) { acc += x[xb + (i64) j * xs]; out[ob + (i64) j * os] = acc; }  \
    }                                                                                                 \
}                                                                                                     \
extern "C" __global__ void kd_softmax_##SUF(const T* x, View xl, int xs, T* out, View ol, int os, int len, int logOut) { \
    i64 l = blockIdx.x;                                                                               \
    i64 xb = offsetOf(xl, l), ob = offsetOf(ol, l);                                                   \
    Combine<T> mx{R_MAX};                                                                             \
    Combine<T> sum{R_SUM};                                                                            \
    T m = -INFINITY;                                                                                  \
    for (int j = threadIdx.x; j < len; j += KD_BLOCK) m = mx(m, x[xb + (i64) j * xs]);                \
    m = blockReduce<T>(m, mx);                                                                        \
    if (m == -INFINITY) m = T(0);                                                                     \
    T s = T(0);                                                                                       \
    for (int j = threadIdx.x; j < len; j += KD_BLOCK) s += exp(x[xb + (i64) j * xs] - m);             \
    s = blockReduce<T>(s, sum);                                                                       \
    T logS = log(s);                                                                                  \
    for (int j = threadIdx.x; j < len; j += KD_BLOCK) {                                               \
        T v = x[xb + (i64) j * xs] - m;                                                               \
        out[ob + (i64) j * os] = logOut ? v - logS : exp(v) / s;                                      \
    }                                                                                                 \
}                                                                                                     \
extern "C" __global__ void kd_softmax_backward_##SUF(const T* g, View gl, int gs, const T* y, View yl, int ys, \
                                                     T* out, View ol, int os, int len, int logOut) {  \
    i64 l = blockIdx.x;                                                                               \
    i64 gb = offsetOf(gl, l), yb = offsetOf(yl, l), ob = offsetOf(ol, l);                             \
    Combine<T> sum{R_SUM};                                                                            \
    T s = T(0);                                                                                       \
    for (int j = threadIdx.x; j < len; j += KD_BLOCK) {                                               \
        T gj = g[gb + (i64) j * gs];                                                                  \
        s += logOut ? gj : gj * y[yb + (i64) j * ys];                                                 \
    }                                                                                                 \
    s = blockReduce<T>(s, sum);                                                                       \
    for (int j = threadIdx.x; j < len; j += KD_BLOCK) {                                               \
        T gj = g[gb + (i64) j * gs], yj = y[yb + (i64) j * ys];                                       \
        out[ob + (i64) j * os] = logOut ? gj - exp(yj) * s : yj * (gj - s);                           \
    }                                                                                                 \
}
KD_REDUCE(f32, float)
KD_REDUCE(f64, double)

// any/all of any dtype into bool, and integer/bool sums into int64 (as the CPU backend does).
#define KD_REDUCE_INT(SUF, T)                                                                         \
extern "C" __global__ void kd_reduce_bool_##SUF(int op, const T* x, View kept, View red, u8* out, View ov, i64 nRed) { \
    i64 o = blockIdx.x;                                                                               \
    i64 base = offsetOf(kept, o);                                                                     \
    int all = op == R_ALL;                                                                            \
    int acc = all;                                                                                    \
    for (i64 r = threadIdx.x; r < nRed; r += KD_BLOCK) {                                              \
        int nz = x[base + offsetOf(red, r)] != T(0);                                                  \
        acc = all ? (acc && nz) : (acc || nz);                                                        \
    }                                                                                                 \
    acc = blockReduce<int>(acc, [all](int a, int b) { return all ? (a && b) : (a || b); });           \
    if (threadIdx.x == 0) out[offsetOf(ov, o)] = (u8) acc;                                            \
}
KD_REDUCE_INT(f32, float)
KD_REDUCE_INT(f64, double)
KD_REDUCE_INT(i32, int)
KD_REDUCE_INT(i64, i64)
KD_REDUCE_INT(u8, u8)

#define KD_SUM_INT(SUF, T)                                                                            \
extern "C" __global__ void kd_sum_int_##SUF(const T* x, View kept, View red, i64* out, View ov, i64 nRed) { \
    i64 o = blockIdx.x;                                                                               \
    i64 base = offsetOf(kept, o);                                                                     \
    i64 acc = 0;                                                                                      \
    for (i64 r = threadIdx.x; r < nRed; r += KD_BLOCK) acc += (i64) x[base + offsetOf(red, r)];       \
    acc = blockReduce<i64>(acc, [](i64 a, i64 b) { return a + b; });                                  \
    if (threadIdx.x == 0) out[offsetOf(ov, o)] = acc;                                                 \
}
KD_SUM_INT(i32, int)
KD_SUM_INT(i64, i64)
KD_SUM_INT(u8, u8)
