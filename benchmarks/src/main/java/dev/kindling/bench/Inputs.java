package dev.kindling.bench;

import java.util.SplittableRandom;

/**
 * Deterministic input data: the same seeded values for every contender and every run, so all
 * implementations work on identical numbers and the result checks compare like with like.
 */
final class Inputs {
    private Inputs() {}

    /** n values uniform in [lo, hi). */
    static float[] uniform(long seed, int n, float lo, float hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * (float) r.nextDouble();
        return a;
    }

    /** n values in [-1, 1): half negative, so relu's branch is unpredictable. */
    static float[] signed(long seed, int n) { return uniform(seed, n, -1f, 1f); }

    /** n class labels uniform in [0, classes). */
    static long[] labels(long seed, int n, int classes) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] a = new long[n];
        for (int i = 0; i < n; i++) a[i] = r.nextInt(classes);
        return a;
    }
}
