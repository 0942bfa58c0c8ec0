package dev.kindling.backend.cpu;

/**
 * e^x for results that are rounded to float32. The argument is clamped to [-110, 110] and split
 * as x = k ln 2 + r with k a whole number and |r| &lt;= ln(2)/2; e^r is a degree-11 Taylor
 * polynomial in double (truncation below 3e-13 relative) and 2^k is built from its exponent bits.
 * The float result equals {@code (float) Math.exp(x)} for all but 2 of the 2^32 floats, which are
 * one ulp off ({@code FloatExpTest} checks them all; the previous degree-12 polynomial with seven
 * squarings was off for about one in 10^4). Beyond the clamp the float result
 * is 0 (x &lt;= -110) or infinity (x &gt;= 110) either way; NaN stays NaN. Float64 kernels keep
 * Math.exp.
 *
 * <p>{@link #exp(float[], int, float, double, float[], int, int)} runs a whole row through
 * {@link FloatRowVector} (the same operations on 8 lanes, so the same bits) when the Vector API
 * module is present, and through {@link #exp(double)} otherwise: C2 does not vectorise this
 * function's bit manipulation in a plain loop, and a scalar call costs about 7 ns.
 */
final class FloatExp {
    private FloatExp() {}

    static final double LOG2E = 1.4426950408889634;
    static final double LN2 = 0.6931471805599453;
    /** 1.5 * 2^52: adding it rounds a double below 2^51 to a whole number, found in the low bits. */
    static final double ROUNDER = 0x1.8p52;
    static final long ROUNDER_BITS = Double.doubleToRawLongBits(ROUNDER);
    static final double CLAMP = 110.0;
    /** 1/n! for n = 11 down to 2. */
    static final double[] TAYLOR = {
        1.0 / 39916800, 1.0 / 3628800, 1.0 / 362880, 1.0 / 40320, 1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5
    };

    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    static double exp(double x) {
        double xc = Math.min(Math.max(x, -CLAMP), CLAMP);
        double t = Math.fma(xc, LOG2E, ROUNDER);
        double k = t - ROUNDER;
        double r = Math.fma(k, -LN2, xc);
        double p = TAYLOR[0];
        for (int i = 1; i < TAYLOR.length; i++) p = Math.fma(p, r, TAYLOR[i]);
        p = Math.fma(p, r, 1.0);
        p = Math.fma(p, r, 1.0);
        long twoToK = (Double.doubleToRawLongBits(t) - ROUNDER_BITS + 1023) << 52;
        return p * Double.longBitsToDouble(twoToK);
    }

    /**
     * dst[dstAt + i] = (float) (exp(src[srcAt + i] - shift) * scale) for i in [0, n), the
     * difference taken in float: the exponentials of a softmax or cross-entropy row.
     */
    static void exp(float[] src, int srcAt, float shift, double scale, float[] dst, int dstAt, int n) {
        if (VECTOR) {
            FloatRowVector.exp(src, srcAt, shift, scale, dst, dstAt, n);
        } else {
            for (int i = 0; i < n; i++) dst[dstAt + i] = (float) (exp(src[srcAt + i] - shift) * scale);
        }
    }

    /**
     * dst[dstAt + i] = (float) (g[gAt + i] - exp(y[yAt + i]) * scale) for i in [0, n): a row of
     * log-softmax's backward, g - softmax * sum(g).
     */
    static void subtractExp(float[] g, int gAt, float[] y, int yAt, double scale, float[] dst, int dstAt, int n) {
        if (VECTOR) {
            FloatRowVector.subtractExp(g, gAt, y, yAt, scale, dst, dstAt, n);
        } else {
            for (int i = 0; i < n; i++) dst[dstAt + i] = (float) (g[gAt + i] - exp(y[yAt + i]) * scale);
        }
    }

    /** The largest of a[from..from+n) as a loop of {@link Math#max} gives it; see {@link FloatRowVector#max}. */
    static float max(float[] a, int from, int n) {
        if (VECTOR) return FloatRowVector.max(a, from, n);
        float max = Float.NEGATIVE_INFINITY;
        for (int i = from; i < from + n; i++) max = Math.max(max, a[i]);
        return max;
    }
}
