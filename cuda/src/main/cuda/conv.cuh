// Sliding windows over [N, C, H, W]: im2col, col2im (as a gather: each input pixel sums the
// columns that cover it, in a fixed order, no atomics) and max-pool window arg-maxima.
#pragma once
#include "common.cuh"

struct Geometry {
    int channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, outH, outW;
};

#define KD_CONV(SUF, T)                                                                               \
/* cols[n, (c*kH + kh)*kW + kw, oh*outW + ow] = x[n, c, oh*sH - pH + kh*dH, ow*sW - pW + kw*dW] or 0. */ \
extern "C" __global__ void kd_im2col_##SUF(const T* x, View xv, Geometry g, T* cols, View cv, i64 n) { \
    KD_FOR_EACH(i, n) {                                                                               \
        i64 r = i;                                                                                    \
        int ow = r % g.outW; r /= g.outW;                                                             \
        int oh = r % g.outH; r /= g.outH;                                                             \
        int kw = r % g.kernelW; r /= g.kernelW;                                                       \
        int kh = r % g.kernelH; r /= g.kernelH;                                                       \
        int c = r % g.channels; r /= g.channels;                                                      \
        i64 b = r;                                                                                    \
        int h = oh * g.strideH - g.padH + kh * g.dilationH;                                           \
        int w = ow * g.strideW - g.padW + kw * g.dilationW;                                           \
        T v = T(0);                                                                                   \
        if (h >= 0 && h < g.height && w >= 0 && w < g.width)                                          \
            v = x[xv.offset + b * xv.strides[0] + (i64) c * xv.strides[1] + (i64) h * xv.strides[2] + (i64) w * xv.strides[3]]; \
        i64 row = ((i64) c * g.kernelH + kh) * g.kernelW + kw;                                        \
        cols[cv.offset + b * cv.strides[0] + row * cv.strides[1] + ((i64) oh * g.outW + ow) * cv.strides[2]] = v; \
    }                                                                                                 \
}                                                                                                     \
extern "C" __global__ void kd_col2im_##SUF(const T* cols, View cv, Geometry g, T* x, View xv, i64 n) { \
    KD_FOR_EACH(i, n) {                                                                               \
        i64 r = i;                                                                                    \
        int w = r % g.width; r /= g.width;                                                            \
        int h = r % g.height; r /= g.height;                                                          \
        int c = r % g.channels; r /= g.channels;                                                      \
        i64 b = r;                                                                                    \
        T acc = T(0);                                                                                 \
        for (int kh = 0; kh < g.kernelH; kh++) {                                                      \
            int th = h + g.padH - kh * g.dilationH;                                                   \
            if (th < 0 || th % g.strideH != 0) continue;                                              \
            int oh = th / g.strideH;                                                                  \
            if (oh >= g.outH) continue;                                                               \
            for (int kw = 0; kw < g.kernelW; kw++) {                                                  \
                int tw = w + g.padW - kw * g.dilationW;                                               \
                if (tw < 0 || tw % g.strideW != 0) continue;                                          \
                int ow = tw / g.strideW;                                                              \
                if (ow >= g.outW) continue;                                                           \
                i64 row = ((i64) c * g.kernelH + kh) * g.kernelW + kw;                                \
                acc += cols[cv.offset + b * cv.strides[0] + row * cv.strides[1] + ((i64) oh * g.outW + ow) * cv.strides[2]]; \
            }                                                                                         \
        }                                                                                             \
        x[xv.offset + b * xv.strides[0] + (i64) c * xv.strides[1] + (i64) h * xv.strides[2] + (i64) w * xv.strides[3]] += acc; \
    }                                                                                                 \
}                                                                                                     \
/* indices[n, c, oh, ow] = h * W + w of the window's maximum: first occurrence, NaN wins, padding never. */ \
extern "C" __global__ void kd_maxpool_indices_##SUF(const T* x, View xv, Geometry g, i64* idx, View iv, i64 n) { \
    KD_FOR_EACH(i, n) {                                                                               \
        i64 r = i;                                                                                    \
        int ow = r % g.outW; r /= g.outW;                                                             \
        int oh = r % g.outH; r /= g.outH;                                                             \
        int c = r % g.channels; r /= g.channels;                                                      \
        i64 b = r;                                                                                    \
        i64 plane = xv.offset + b * xv.strides[0] + (i64) c * xv.strides[1];                          \
        T best = T(0);                                                                                \
        i64 at = -1;                                                                                  \
        for (int kh = 0; kh < g.kernelH; kh++) {                                                      \
            int h = oh * g.strideH - g.padH + kh * g.dilationH;                                       \
            if (h < 0 || h >= g.height) continue;                                                     \
            for (int kw = 0; kw < g.kernelW; kw++) {                                                  \
                int w = ow * g.strideW - g.padW + kw * g.dilationW;                                   \
                if (w < 0 || w >= g.width) continue;                                                  \
                T v = x[plane + (i64) h * xv.strides[2] + (i64) w * xv.strides[3]];                   \
                if (at < 0 || (best == best && (v > best || v != v))) { best = v; at = (i64) h * g.width + w; } \
            }                                                                                         \
        }                                                                                             \
        idx[offsetOf(iv, i)] = at < 0 ? 0 : at;                                                       \
    }                                                                                                 \
}
KD_CONV(f32, float)
KD_CONV(f64, double)
