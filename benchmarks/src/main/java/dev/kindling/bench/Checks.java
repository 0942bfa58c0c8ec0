package dev.kindling.bench;

/**
 * Verifies, before anything is timed, that every contender computes the same numbers as Kindling:
 * a fast wrong answer must fail the run, not win the table.
 */
final class Checks {
    private Checks() {}

    /** Fails unless |actual - expected| <= tol * (1 + |expected|) everywhere. */
    static void close(String what, float[] expected, float[] actual, double tol) {
        if (expected.length != actual.length) {
            throw new IllegalStateException(what + ": " + actual.length + " values, expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (!(Math.abs(a - e) <= tol * (1 + Math.abs(e)))) {
                throw new IllegalStateException(what + ": element " + i + " is " + a + ", expected " + e);
            }
        }
    }

    /**
     * Fails unless |actual - expected| <= tol * (1 + max |expected|) everywhere: for sums of many
     * terms (gradients), where an element that cancels to near zero still carries the rounding of
     * its large terms.
     */
    static void closeToScale(String what, float[] expected, float[] actual, double tol) {
        double scale = 0;
        for (float e : expected) scale = Math.max(scale, Math.abs(e));
        double bound = tol * (1 + scale);
        if (expected.length != actual.length) {
            throw new IllegalStateException(what + ": " + actual.length + " values, expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= bound)) {
                throw new IllegalStateException(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]
                        + " (tolerance " + bound + " at scale " + scale + ")");
            }
        }
    }
}
