// Fused optimizer steps: PyTorch's single-tensor Adam/AdamW and SGD, op by op in the parameter's
// dtype, each operation rounded as it happens (the build passes -fmad=false so no multiply-add is
// fused), matching dev.kindling.backend.cpu.OptimizerKernels bit for bit.
#pragma once
#include "common.cuh"

struct AdamArgs {
    double decayFactor, wd, b1, oneMinusB1, b2, oneMinusB2, bc2, eps, stepSize;
    int decay, decoupled, maximize, amsgrad;
};

struct SgdArgs {
    double wd, momentum, oneMinusDampening, negLr;
    int decay, maximize, nesterov, hasBuffer, firstStep;
};

#define KD_OPTIM(SUF, T)                                                                              \
extern "C" __global__ void kd_adam_##SUF(AdamArgs s, T* p, View pv, const T* grad, View gv, T* m, View mv, \
                                         T* v, View vv, T* mx, View xv, i64 n) {                      \
    T decayFactor = (T) s.decayFactor, wd = (T) s.wd, b1 = (T) s.b1, omb1 = (T) s.oneMinusB1;         \
    T b2 = (T) s.b2, omb2 = (T) s.oneMinusB2, bc2 = (T) s.bc2, eps = (T) s.eps, step = (T) s.stepSize; \
    KD_FOR_EACH(i, n) {                                                                               \
        i64 po = offsetOf(pv, i), mo = offsetOf(mv, i), vo = offsetOf(vv, i);                         \
        T g = grad[offsetOf(gv, i)];                                                                  \
        if (s.maximize) g = -g;                                                                       \
        T pi = p[po];                                                                                 \
        if (s.decay) {                                                                                \
            if (s.decoupled) pi = pi * decayFactor;                                                   \
            else g = g + wd * pi;                                                                     \
        }                                                                                             \
        T mi = m[mo] * b1;                                                                            \
        mi = mi + omb1 * g;                                                                           \
        m[mo] = mi;                                                                                   \
        T vi = v[vo] * b2;                                                                            \
        vi = vi + omb2 * (g * g);                                                                     \
        v[vo] = vi;                                                                                   \
        T second = vi;                                                                                \
        if (s.amsgrad) {                                                                              \
            i64 xo = offsetOf(xv, i);                                                                 \
            T old = mx[xo];                                                                           \
            second = old != old || vi != vi ? T(0) / T(0) : (old > vi ? old : vi);                    \
            mx[xo] = second;                                                                          \
        }                                                                                             \
        T denom = sqrt(second) / bc2 + eps;                                                           \
        p[po] = pi + step * (mi / denom);                                                             \
    }                                                                                                 \
}                                                                                                     \
extern "C" __global__ void kd_sgd_##SUF(SgdArgs s, T* p, View pv, const T* grad, View gv, T* buf, View bv, i64 n) { \
    T wd = (T) s.wd, momentum = (T) s.momentum, omd = (T) s.oneMinusDampening, negLr = (T) s.negLr;   \
    KD_FOR_EACH(i, n) {                                                                               \
        i64 po = offsetOf(pv, i);                                                                     \
        T d = grad[offsetOf(gv, i)];                                                                  \
        if (s.maximize) d = -d;                                                                       \
        if (s.decay) d = d + wd * p[po];                                                              \
        if (s.hasBuffer) {                                                                            \
            i64 bo = offsetOf(bv, i);                                                                 \
            T b = d;                                                                                  \
            if (!s.firstStep) { b = buf[bo] * momentum; b = b + omd * d; }                            \
            buf[bo] = b;                                                                              \
            d = s.nesterov ? d + momentum * b : b;                                                    \
        }                                                                                             \
        p[po] = p[po] + negLr * d;                                                                    \
    }                                                                                                 \
}
KD_OPTIM(f32, float)
KD_OPTIM(f64, double)
