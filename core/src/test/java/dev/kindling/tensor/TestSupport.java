package dev.kindling.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions shared by the tensor tests. */
public final class TestSupport {
    private TestSupport() {}

    public static void assertValues(Tensor t, double... expected) {
        double[] actual = t.toDoubleArray();
        assertEquals(expected.length, actual.length, "element count of " + t);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6 * Math.max(1, Math.abs(expected[i])), "element " + i + " of " + t);
        }
    }

    public static void assertShape(Tensor t, int... shape) {
        assertArrayEquals(shape, t.shape(), "shape of " + t);
    }

    /** Asserts that the call throws IllegalArgumentException whose message contains every fragment. */
    public static IllegalArgumentException assertBadInput(Runnable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should mention '" + f + "'");
        }
        return e;
    }

    /** Naive double-precision matmul of row-major a [m,k] and b [k,n]. */
    public static double[] naiveMatmul(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
                c[i * n + j] = s;
            }
        return c;
    }
}
