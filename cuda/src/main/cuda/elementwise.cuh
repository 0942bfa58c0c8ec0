// Elementwise kernels: fill, copy/cast between all dtypes, unary and binary functions, where.
// Op codes are dev.kindling.backend.UnaryOp.Kind / BinaryOp.Kind, numbered here and mapped by name
// in dev.kindling.cuda.OpCodes (OpCodesTest checks both sides agree).
#pragma once
#include "common.cuh"
#include <math_constants.h>

enum UnaryCode {
    U_NEG = 0, U_ABS = 1, U_SQUARE = 2, U_SIGN = 3, U_RELU = 4, U_CLAMP = 5, U_EXP = 6, U_LOG = 7, U_LOG1P = 8,
    U_EXPM1 = 9, U_SQRT = 10, U_RSQRT = 11, U_RECIPROCAL = 12, U_SIN = 13, U_COS = 14, U_TANH = 15, U_SIGMOID = 16,
    U_GELU = 17, U_GELU_TANH = 18, U_SILU = 19, U_SOFTPLUS = 20, U_LEAKY_RELU = 21, U_ELU = 22, U_ERF = 23,
    U_ERFC = 24, U_TAN = 25, U_ASIN = 26, U_ACOS = 27, U_ATAN = 28, U_SINH = 29, U_COSH = 30, U_ASINH = 31,
    U_ACOSH = 32, U_ATANH = 33, U_LOG2 = 34, U_LOG10 = 35, U_EXP2 = 36, U_TRUNC = 37, U_POW_SCALAR = 38,
    U_FLOOR = 39, U_CEIL = 40, U_ROUND = 41, U_LOGICAL_NOT = 42, U_ISNAN = 43, U_ISINF = 44, U_ISFINITE = 45,
    U_ERFINV = 46, U_LGAMMA = 47, U_DIGAMMA = 48, U_POLYGAMMA = 49
};

enum BinaryCode {
    B_ADD = 0, B_SUB = 1, B_MUL = 2, B_DIV = 3, B_POW = 4, B_MAXIMUM = 5, B_MINIMUM = 6, B_REMAINDER = 7,
    B_FLOOR_DIVIDE = 8, B_FMOD = 9, B_HYPOT = 10, B_COPYSIGN = 11, B_ATAN2 = 12, B_EQ = 13, B_NE = 14, B_LT = 15,
    B_LE = 16, B_GT = 17, B_GE = 18, B_LOGICAL_AND = 19, B_LOGICAL_OR = 20, B_LOGICAL_XOR = 21,
    B_THRESHOLD_BACKWARD = 22, B_SIGMOID_BACKWARD = 23, B_TANH_BACKWARD = 24, B_GELU_BACKWARD = 25,
    B_GELU_TANH_BACKWARD = 26, B_SILU_BACKWARD = 27, B_LEAKY_RELU_BACKWARD = 28, B_ELU_BACKWARD = 29,
    B_SOFTPLUS_BACKWARD = 30
};

#define KD_SQRT1_2 0.70710678118654752440
#define KD_SQRT_2_OVER_PI 0.79788456080286535588
#define KD_INV_SQRT_2PI 0.39894228040143267794

template <typename T> __device__ __forceinline__ T sigmoidOf(T x) {
    return x >= T(0) ? T(1) / (T(1) + exp(-x)) : exp(x) / (T(1) + exp(x));
}

// digamma and polygamma as core's GammaFunctions computes them (in double for both dtypes): the
// recurrence up to x >= 10 and the asymptotic series with the same Bernoulli numbers; polygamma of
// order n >= 1 through the Hurwitz zeta function's Euler-Maclaurin sum.
__device__ __constant__ double KD_BERNOULLI[8] = {1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730,
                                                  7.0 / 6, -3617.0 / 510};

__device__ double digammaOf(double x) {
    if (x != x || isinf(x) && x > 0) return x;
    if (x == 0) return copysign(CUDART_INF, -x);
    double result = 0;
    if (x < 0) {
        if (x == rint(x)) return CUDART_NAN;
        result = -CUDART_PI / tan(CUDART_PI * fmod(x, 1.0));
        x = 1.0 - x;
    }
    while (x < 10) {
        result -= 1.0 / x;
        x += 1;
    }
    double inv2 = 1.0 / (x * x), series = 0, pw = inv2;
    for (int k = 1; k <= 8; k++) {
        series += KD_BERNOULLI[k - 1] / (2 * k) * pw;
        pw *= inv2;
    }
    return result + log(x) - 0.5 / x - series;
}

__device__ double hurwitzZetaOf(double s, double q) {
    if (q != q) return q;
    if (q <= 0 && q == rint(q)) return CUDART_INF;
    double sum = 0, a = q;
    while (a < 20 + s) {
        sum += pow(a, -s);
        a += 1;
    }
    double tail = pow(a, 1 - s) / (s - 1) + 0.5 * pow(a, -s);
    double rising = s, factorial = 2, pw = pow(a, -s - 1);
    for (int j = 1; j <= 8; j++) {
        double term = KD_BERNOULLI[j - 1] / factorial * rising * pw;
        tail += term;
        if (fabs(term) < 1e-17 * fabs(tail)) break;
        rising *= (s + 2 * j - 1) * (s + 2 * j);
        factorial *= (2 * j + 1) * (2 * j + 2);
        pw /= a * a;
    }
    return sum + tail;
}

__device__ double polygammaOf(int n, double x) {
    if (n == 0) return digammaOf(x);
    double sign = n % 2 == 1 ? 1.0 : -1.0;
    return sign * exp(lgamma(n + 1.0)) * hurwitzZetaOf(n + 1.0, x);
}

template <typename T> __device__ T unaryOp(int op, T x, T p, T q) {
    switch (op) {
        case U_NEG: return -x;
        case U_ABS: return fabs(x);
        case U_SQUARE: return x * x;
        case U_SIGN: return x != x ? x : (x > T(0) ? T(1) : (x < T(0) ? T(-1) : T(0)));
        case U_RELU: return x > T(0) || x != x ? x : T(0);
        case U_CLAMP:
            if (x != x) return x;
            if (p == p && x < p) x = p;
            if (q == q && x > q) x = q;
            return x;
        case U_EXP: return exp(x);
        case U_LOG: return log(x);
        case U_LOG1P: return log1p(x);
        case U_EXPM1: return expm1(x);
        case U_SQRT: return sqrt(x);
        case U_RSQRT: return T(1) / sqrt(x);
        case U_RECIPROCAL: return T(1) / x;
        case U_SIN: return sin(x);
        case U_COS: return cos(x);
        case U_TANH: return tanh(x);
        case U_SIGMOID: return sigmoidOf(x);
        case U_GELU: return T(0.5) * x * (T(1) + erf(x * T(KD_SQRT1_2)));
        case U_GELU_TANH: return T(0.5) * x * (T(1) + tanh(T(KD_SQRT_2_OVER_PI) * (x + T(0.044715) * x * x * x)));
        case U_SILU: return x * sigmoidOf(x);
        case U_SOFTPLUS: { T bx = p * x; return bx > q ? x : log1p(exp(bx)) / p; }
        case U_LEAKY_RELU: return x > T(0) ? x : x * p;
        case U_ELU: return x > T(0) ? x : p * expm1(x);
        case U_ERF: return erf(x);
        case U_ERFC: return erfc(x);
        case U_TAN: return tan(x);
        case U_ASIN: return asin(x);
        case U_ACOS: return acos(x);
        case U_ATAN: return atan(x);
        case U_SINH: return sinh(x);
        case U_COSH: return cosh(x);
        case U_ASINH: return asinh(x);
        case U_ACOSH: return acosh(x);
        case U_ATANH: return atanh(x);
        case U_LOG2: return log2(x);
        case U_LOG10: return log10(x);
        case U_EXP2: return exp2(x);
        case U_TRUNC: return trunc(x);
        case U_POW_SCALAR: return p == T(2) ? x * x : pow(x, p);
        case U_FLOOR: return floor(x);
        case U_CEIL: return ceil(x);
        case U_ROUND: return rint(x);
        case U_ERFINV: return erfinv(x);
        case U_LGAMMA: return lgamma(x);
        case U_DIGAMMA: return T(digammaOf(double(x)));
        case U_POLYGAMMA: return T(polygammaOf(int(p), double(x)));
        default: return x != x ? x : T(0) / T(0);
    }
}

template <typename T> __device__ __forceinline__ u8 unaryPredicate(int op, T x) {
    switch (op) {
        case U_LOGICAL_NOT: return x == T(0);
        case U_ISNAN: return x != x;
        case U_ISINF: return isinf(x) ? 1 : 0;
        default: return isfinite(x) ? 1 : 0;
    }
}

template <typename T> __device__ T binaryOp(int op, T a, T b, T p, T q) {
    switch (op) {
        case B_ADD: return a + p * b;
        case B_SUB: return a - p * b;
        case B_MUL: return a * b;
        case B_DIV: return a / b;
        case B_POW: return pow(a, b);
        case B_MAXIMUM: return a != a || b != b ? T(0) / T(0) : (a > b ? a : b);
        case B_MINIMUM: return a != a || b != b ? T(0) / T(0) : (a < b ? a : b);
        case B_REMAINDER: { T r = fmod(a, b); return r != T(0) && ((r < T(0)) != (b < T(0))) ? r + b : r; }
        case B_FLOOR_DIVIDE: return floor(a / b);
        case B_FMOD: return fmod(a, b);
        case B_HYPOT: return hypot(a, b);
        case B_COPYSIGN: return copysign(a, b);
        case B_ATAN2: return atan2(a, b);
        case B_THRESHOLD_BACKWARD: return b <= p ? T(0) : a;
        case B_SIGMOID_BACKWARD: return a * b * (T(1) - b);
        case B_TANH_BACKWARD: return a * (T(1) - b * b);
        case B_GELU_BACKWARD: {
            T cdf = T(0.5) * (T(1) + erf(b * T(KD_SQRT1_2)));
            T pdf = T(KD_INV_SQRT_2PI) * exp(T(-0.5) * b * b);
            return a * (cdf + b * pdf);
        }
        case B_GELU_TANH_BACKWARD: {
            T k = T(KD_SQRT_2_OVER_PI);
            T inner = k * (b + T(0.044715) * b * b * b);
            T t = tanh(inner);
            T dInner = k * (T(1) + T(3) * T(0.044715) * b * b);
            return a * (T(0.5) * (T(1) + t) + T(0.5) * b * (T(1) - t * t) * dInner);
        }
        case B_SILU_BACKWARD: { T s = sigmoidOf(b); return a * s * (T(1) + b * (T(1) - s)); }
        case B_LEAKY_RELU_BACKWARD: return b > T(0) ? a : a * p;
        case B_ELU_BACKWARD: return b > T(0) ? a : a * p * exp(b);
        case B_SOFTPLUS_BACKWARD: { T bx = p * b; return bx > q ? a : a * sigmoidOf(bx); }
        default: return T(0) / T(0);
    }
}

// Integer arithmetic (the integral kinds of BinaryOp); the host sends only those.
template <typename T> __device__ T integerBinaryOp(int op, T a, T b, T p) {
    switch (op) {
        case B_ADD: return a + p * b;
        case B_SUB: return a - p * b;
        case B_MUL: return a * b;
        case B_MAXIMUM: return a > b ? a : b;
        case B_MINIMUM: return a < b ? a : b;
        case B_REMAINDER: { T r = a % b; return r != 0 && ((r < 0) != (b < 0)) ? r + b : r; }
        case B_FLOOR_DIVIDE: { T d = a / b; return (a % b != 0 && ((a < 0) != (b < 0))) ? d - 1 : d; }
        default: return a % b;  // B_FMOD
    }
}

template <typename T> __device__ __forceinline__ u8 compareOp(int op, T a, T b) {
    switch (op) {
        case B_EQ: return a == b;
        case B_NE: return a != b;
        case B_LT: return a < b;
        case B_LE: return a <= b;
        case B_GT: return a > b;
        case B_GE: return a >= b;
        case B_LOGICAL_AND: return a != T(0) && b != T(0);
        case B_LOGICAL_OR: return a != T(0) || b != T(0);
        default: return (a != T(0)) != (b != T(0));  // B_LOGICAL_XOR
    }
}

// Casts as the CPU backend does: to bool is "not zero", otherwise a C conversion.
template <typename S, typename D> __device__ __forceinline__ D castTo(S v, int toBool) {
    return toBool ? (D) (v != S(0)) : (D) v;
}


#define KD_FILL(SUF, T)                                                                               \
extern "C" __global__ void kd_fill_##SUF(T* dst, View d, double value, int toBool, i64 n) {           \
    T v = toBool ? (T) (value != 0.0) : (T) value;                                                    \
    KD_FOR_EACH(i, n) dst[offsetOf(d, i)] = v;                                                        \
}
KD_FILL(f32, float)
KD_FILL(f64, double)
KD_FILL(i32, int)
KD_FILL(i64, i64)
KD_FILL(u8, u8)

#define KD_COPY(SS, S, DS, D)                                                                         \
extern "C" __global__ void kd_copy_##SS##_##DS(const S* src, View s, D* dst, View d, int toBool, i64 n) { \
    KD_FOR_EACH(i, n) dst[offsetOf(d, i)] = castTo<S, D>(src[offsetOf(s, i)], toBool);              \
}
#define KD_COPY_FROM(SS, S)                                                                           \
    KD_COPY(SS, S, f32, float) KD_COPY(SS, S, f64, double) KD_COPY(SS, S, i32, int)                   \
    KD_COPY(SS, S, i64, i64) KD_COPY(SS, S, u8, u8)
KD_COPY_FROM(f32, float)
KD_COPY_FROM(f64, double)
KD_COPY_FROM(i32, int)
KD_COPY_FROM(i64, i64)
KD_COPY_FROM(u8, u8)

#define KD_FLOAT_ELEMENTWISE(SUF, T)                                                                  \
extern "C" __global__ void kd_unary_##SUF(int op, const T* x, View xv, T* out, View ov, double p, double q, i64 n) { \
    KD_FOR_EACH(i, n) out[offsetOf(ov, i)] = unaryOp<T>(op, x[offsetOf(xv, i)], (T) p, (T) q);        \
}                                                                                                     \
extern "C" __global__ void kd_unary_pred_##SUF(int op, const T* x, View xv, u8* out, View ov, i64 n) { \
    KD_FOR_EACH(i, n) out[offsetOf(ov, i)] = unaryPredicate<T>(op, x[offsetOf(xv, i)]);               \
}                                                                                                     \
extern "C" __global__ void kd_binary_##SUF(int op, const T* a, View av, const T* b, View bv, T* out, View ov, \
                                           double p, double q, i64 n) {                               \
    KD_FOR_EACH(i, n) out[offsetOf(ov, i)] = binaryOp<T>(op, a[offsetOf(av, i)], b[offsetOf(bv, i)], (T) p, (T) q); \
}
KD_FLOAT_ELEMENTWISE(f32, float)
KD_FLOAT_ELEMENTWISE(f64, double)

#define KD_INT_BINARY(SUF, T)                                                                         \
extern "C" __global__ void kd_binary_##SUF(int op, const T* a, View av, const T* b, View bv, T* out, View ov, \
                                           double p, double q, i64 n) {                               \
    KD_FOR_EACH(i, n) out[offsetOf(ov, i)] = integerBinaryOp<T>(op, a[offsetOf(av, i)], b[offsetOf(bv, i)], (T) p); \
}
KD_INT_BINARY(i32, int)
KD_INT_BINARY(i64, i64)

#define KD_COMPARE(SUF, T)                                                                            \
extern "C" __global__ void kd_compare_##SUF(int op, const T* a, View av, const T* b, View bv, u8* out, View ov, i64 n) { \
    KD_FOR_EACH(i, n) out[offsetOf(ov, i)] = compareOp<T>(op, a[offsetOf(av, i)], b[offsetOf(bv, i)]); \
}
KD_COMPARE(f32, float)
KD_COMPARE(f64, double)
KD_COMPARE(i32, int)
KD_COMPARE(i64, i64)
KD_COMPARE(u8, u8)

// where for every dtype: the chosen element is moved as a raw word of the element's size.
#define KD_WHERE(SUF, W)                                                                              \
extern "C" __global__ void kd_where_##SUF(const u8* c, View cv, const W* a, View av, const W* b, View bv, \
                                          W* out, View ov, i64 n) {                                   \
    KD_FOR_EACH(i, n) out[offsetOf(ov, i)] = c[offsetOf(cv, i)] ? a[offsetOf(av, i)] : b[offsetOf(bv, i)]; \
}
KD_WHERE(w8, unsigned char)
KD_WHERE(w32, unsigned int)
KD_WHERE(w64, unsigned long long)

// The integral unary kinds (UnaryOp.Kind.integral()) on integer tensors; the host sends only those.
// Clamp bounds arrive as doubles, NaN meaning "no bound".
template <typename T> __device__ T integerUnaryOp(int op, T x, double p, double q) {
    switch (op) {
        case U_NEG: return -x;
        case U_ABS: return x < 0 ? -x : x;
        case U_SQUARE: return x * x;
        case U_SIGN: return (T) ((x > 0) - (x < 0));
        case U_RELU: return x > 0 ? x : 0;
        default:  // U_CLAMP
            if (p == p && (double) x < p) x = (T) p;
            if (q == q && (double) x > q) x = (T) q;
            return x;
    }
}

#define KD_INT_UNARY(SUF, T)                                                                          \
extern "C" __global__ void kd_unary_##SUF(int op, const T* x, View xv, T* out, View ov, double p, double q, i64 n) { \
    KD_FOR_EACH(i, n) out[offsetOf(ov, i)] = integerUnaryOp<T>(op, x[offsetOf(xv, i)], p, q);          \
}
KD_INT_UNARY(i32, int)
KD_INT_UNARY(i64, i64)

// Predicates of integer and bool tensors: never NaN or infinite.
#define KD_INT_PRED(SUF, T)                                                                           \
extern "C" __global__ void kd_unary_pred_##SUF(int op, const T* x, View xv, u8* out, View ov, i64 n) { \
    KD_FOR_EACH(i, n) {                                                                               \
        T v = x[offsetOf(xv, i)];                                                                     \
        out[offsetOf(ov, i)] = op == U_LOGICAL_NOT ? v == 0 : op == U_ISFINITE;                       \
    }                                                                                                 \
}
KD_INT_PRED(i32, int)
KD_INT_PRED(i64, i64)
KD_INT_PRED(u8, u8)
