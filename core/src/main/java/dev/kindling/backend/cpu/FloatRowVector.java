package dev.kindling.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The row loops of softmax and cross-entropy on the Vector API: a row's maximum, and
 * {@link FloatExp}'s algorithm on 8 lanes: each step is the same IEEE operation
 * as in {@link FloatExp#exp(double)} (clamp, fused multiply-adds, the exponent bits of 2^k), so
 * every lane gets the same bits as the scalar call. Floats are widened 8 at a time (256-bit float
 * to 512-bit double vectors, one instruction each way; splitting 16-float vectors in two halves
 * ran 2x slower). About 1 ns per element where the scalar call takes 7 (4.1M floats on one Xeon
 * core, 4.0 against 28.5 ms). Loaded only where the module is present; see {@link FloatExp}.
 */
final class FloatRowVector {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_512;

    private static final VectorSpecies<Float> WIDE = FloatVector.SPECIES_512;

    private FloatRowVector() {}

    /**
     * The largest of a[from..from+n), as a loop of {@link Math#max} gives it (NaN if any is NaN,
     * 0 over -0, -infinity for n = 0); C2 does not vectorise that loop, whose serial dependency
     * cost about as much as the exponentials.
     */
    static float max(float[] a, int from, int n) {
        FloatVector m = FloatVector.broadcast(WIDE, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i <= n - WIDE.length(); i += WIDE.length()) m = m.max(FloatVector.fromArray(WIDE, a, from + i));
        float max = m.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) max = Math.max(max, a[from + i]);
        return max;
    }

    /** See {@link FloatExp#exp(float[], int, float, double, float[], int, int)}. */
    static void exp(float[] src, int srcAt, float shift, double scale, float[] dst, int dstAt, int n) {
        int i = 0;
        for (; i <= n - F.length(); i += F.length()) {
            FloatVector x = FloatVector.fromArray(F, src, srcAt + i).sub(shift);
            exp(x, scale).intoArray(dst, dstAt + i);
        }
        if (i < n) {
            VectorMask<Float> tail = F.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(F, src, srcAt + i, tail).sub(shift);
            exp(x, scale).intoArray(dst, dstAt + i, tail);
        }
    }

    /** See {@link FloatExp#subtractExp}. */
    static void subtractExp(float[] g, int gAt, float[] y, int yAt, double scale, float[] dst, int dstAt, int n) {
        int i = 0;
        for (; i <= n - F.length(); i += F.length()) {
            DoubleVector gd = (DoubleVector) FloatVector.fromArray(F, g, gAt + i).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector e = exp(FloatVector.fromArray(F, y, yAt + i));
            ((FloatVector) gd.sub(e.mul(scale)).convertShape(VectorOperators.D2F, F, 0)).intoArray(dst, dstAt + i);
        }
        if (i < n) {
            VectorMask<Float> tail = F.indexInRange(i, n);
            DoubleVector gd = (DoubleVector) FloatVector.fromArray(F, g, gAt + i, tail).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector e = exp(FloatVector.fromArray(F, y, yAt + i, tail));
            ((FloatVector) gd.sub(e.mul(scale)).convertShape(VectorOperators.D2F, F, 0)).intoArray(dst, dstAt + i, tail);
        }
    }

    private static FloatVector exp(FloatVector x, double scale) {
        return (FloatVector) exp(x).mul(scale).convertShape(VectorOperators.D2F, F, 0);
    }

    /** e^x of 8 floats, in double: {@link FloatExp#exp(double)} lane by lane. */
    private static DoubleVector exp(FloatVector x) {
        DoubleVector xc = ((DoubleVector) x.convertShape(VectorOperators.F2D, D, 0)).max(-FloatExp.CLAMP).min(FloatExp.CLAMP);
        DoubleVector t = xc.fma(DoubleVector.broadcast(D, FloatExp.LOG2E), DoubleVector.broadcast(D, FloatExp.ROUNDER));
        DoubleVector k = t.sub(FloatExp.ROUNDER);
        DoubleVector r = k.fma(DoubleVector.broadcast(D, -FloatExp.LN2), xc);
        DoubleVector p = DoubleVector.broadcast(D, FloatExp.TAYLOR[0]);
        for (int j = 1; j < FloatExp.TAYLOR.length; j++) p = p.fma(r, DoubleVector.broadcast(D, FloatExp.TAYLOR[j]));
        DoubleVector one = DoubleVector.broadcast(D, 1.0);
        p = p.fma(r, one).fma(r, one);
        LongVector twoToK = t.reinterpretAsLongs().sub(FloatExp.ROUNDER_BITS - 1023).lanewise(VectorOperators.LSHL, 52);
        return p.mul(twoToK.reinterpretAsDoubles());
    }
}
