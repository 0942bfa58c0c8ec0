package dev.kindling.backend.cpu;

import dev.kindling.backend.AdamStep;
import dev.kindling.backend.SgdStep;

/**
 * Fused optimizer updates over float32 arrays: one pass over each parameter instead of the ten or
 * so elementwise ops (and their temporaries) of the op-by-op update, which dominated a small
 * network's training step. Every line does the float32 arithmetic of the op it replaces, in the
 * same order (Java never fuses a multiply-add on its own), so the results are bit-identical to
 * the op-by-op definitions ({@link dev.kindling.backend.ComposedSteps}).
 */
final class OptimizerKernels {
    private OptimizerKernels() {}

    /**
     * Adam over elements [off, off + n) of arrays that share that index range (param, grad, first
     * and second moment, and the amsgrad maximum when max is not null). The same index in every
     * array is also what lets C2 vectorise the loop.
     */
    static void adam(AdamStep s, float[] p, float[] grad, float[] m, float[] v, float[] max, int off, int n) {
        boolean maximize = s.maximize();
        boolean decay = s.weightDecay() != 0;
        boolean decoupled = s.decoupled();
        float decayFactor = (float) (1 - s.lr() * s.weightDecay()); // param.mul_(1 - lr wd)
        float wd = (float) s.weightDecay();                        // d.add(param, wd)
        float b1 = (float) s.beta1();                              // expAvg.mul_(beta1)
        float oneMinusB1 = (float) (1 - s.beta1());                // .add_(d, 1 - beta1)
        float b2 = (float) s.beta2();                              // expAvgSq.mul_(beta2)
        float oneMinusB2 = (float) (1 - s.beta2());                // .addcmul_(d, d, 1 - beta2)
        float bc2 = (float) s.biasCorrection2Sqrt();               // .div_(sqrt(bias correction 2))
        float eps = (float) s.eps();                               // .add_(eps)
        float stepSize = (float) (-s.lr() / s.biasCorrection1());  // param.addcdiv_(expAvg, denom, -lr / bc1)
        Parallel.forRange(n, Parallel.GRAIN, (from, to) -> {
            int lo = off + (int) from;
            int hi = off + (int) to;
            if (max == null && !decay && !maximize) {
                // The common case, without the branches, so that it vectorises.
                for (int i = lo; i < hi; i++) {
                    float g = grad[i];
                    float mi = m[i] * b1;
                    mi = mi + oneMinusB1 * g;
                    m[i] = mi;
                    float vi = v[i] * b2;
                    vi = vi + oneMinusB2 * (g * g);
                    v[i] = vi;
                    float denom = (float) Math.sqrt(vi) / bc2 + eps;
                    p[i] = p[i] + stepSize * (mi / denom);
                }
                return;
            }
            for (int i = lo; i < hi; i++) {
                float g = maximize ? -grad[i] : grad[i];
                float pi = p[i];
                if (decay) {
                    if (decoupled) pi = pi * decayFactor;
                    else g = g + wd * pi;
                }
                float mi = m[i] * b1;
                mi = mi + oneMinusB1 * g;
                m[i] = mi;
                float vi = v[i] * b2;
                vi = vi + oneMinusB2 * (g * g);
                v[i] = vi;
                float second = vi;
                if (max != null) {
                    float mx = max[i];
                    second = mx != mx || vi != vi ? Float.NaN : Math.max(mx, vi); // maximum_, NaN-propagating
                    max[i] = second;
                }
                float denom = (float) Math.sqrt(second) / bc2 + eps;
                p[i] = pi + stepSize * (mi / denom);
            }
        });
    }

    /**
     * SGD over elements [off, off + n) of param, grad and, with momentum, the momentum buffer (null
     * without); firstStep sets the buffer to the gradient instead of decaying it.
     */
    static void sgd(SgdStep s, float[] p, float[] grad, float[] buf, boolean firstStep, int off, int n) {
        boolean maximize = s.maximize();
        boolean decay = s.weightDecay() != 0;
        boolean nesterov = s.nesterov();
        float wd = (float) s.weightDecay();                       // d.add(param, wd)
        float momentum = (float) s.momentum();                    // buf.mul_(momentum), d.add(buf, momentum)
        float oneMinusDampening = (float) (1 - s.dampening());    // buf.add_(d, 1 - dampening)
        float negLr = (float) -s.lr();                            // param.add_(d, -lr)
        Parallel.forRange(n, Parallel.GRAIN, (from, to) -> {
            int lo = off + (int) from;
            int hi = off + (int) to;
            for (int i = lo; i < hi; i++) {
                float d = maximize ? -grad[i] : grad[i];
                if (decay) d = d + wd * p[i];
                if (buf != null) {
                    float b = d;
                    if (!firstStep) {
                        b = buf[i] * momentum;
                        b = b + oneMinusDampening * d;
                    }
                    buf[i] = b;
                    d = nesterov ? d + momentum * b : b;
                }
                p[i] = p[i] + negLr * d;
            }
        });
    }
}
