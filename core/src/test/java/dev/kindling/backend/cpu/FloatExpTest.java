package dev.kindling.backend.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FloatExp} against {@code (float) Math.exp} over the whole float range: every 127th bit pattern
 * of all 2^32 (positive and negative, zeros, subnormals, normals, infinities, NaNs: 34 million
 * arguments), plus every 64th float in [-1, 1], where softmax's arguments mostly fall. Each result must be
 * the same float or one ulp away, and one-ulp differences must stay rare.
 */
class FloatExpTest {

    @Test
    void everyFloatRoundsWithinOneUlpOfMathExp() {
        long checked = 0;
        long differing = 0;
        for (long bits = 0; bits <= 0xFFFF_FFFFL; bits += 127) {
            float x = Float.intBitsToFloat((int) bits);
            float expected = (float) Math.exp(x);
            float actual = (float) FloatExp.exp(x);
            checked++;
            if (Float.floatToIntBits(expected) == Float.floatToIntBits(actual)) continue;
            differing++;
            assertEquals(expected, actual, ulp(expected), "exp(" + x + ") [bits 0x" + Long.toHexString(bits) + "]");
        }
        assertTrue(differing * 10_000L < checked * 2, differing + " of " + checked + " results are one ulp off Math.exp");
    }

    @Test
    void everyFloatInMinusOneToOneRoundsWithinOneUlp() {
        long checked = 0;
        long differing = 0;
        int one = Float.floatToIntBits(1f);
        for (int k = 0; k <= one; k += 64) {
            for (float x : new float[] {Float.intBitsToFloat(k), -Float.intBitsToFloat(k)}) {
                float expected = (float) Math.exp(x);
                float actual = (float) FloatExp.exp(x);
                checked++;
                if (expected == actual) continue;
                differing++;
                assertEquals(expected, actual, ulp(expected), "exp(" + x + ")");
            }
        }
        assertTrue(differing * 10_000L < checked * 2, differing + " of " + checked + " results are one ulp off Math.exp");
    }

    @Test
    void specialValuesMatchMathExp() {
        assertTrue(Double.isNaN(FloatExp.exp(Float.NaN)));
        assertEquals(0f, (float) FloatExp.exp(Float.NEGATIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, (float) FloatExp.exp(Float.POSITIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, (float) FloatExp.exp(Float.MAX_VALUE));
        assertEquals(0f, (float) FloatExp.exp(-Float.MAX_VALUE));
        assertEquals(1f, (float) FloatExp.exp(0f));
        assertEquals(1f, (float) FloatExp.exp(-0f));
        assertEquals(1f, (float) FloatExp.exp(Float.MIN_VALUE));
    }

    /** One ulp of a float result, with the smallest subnormal for zero (exp underflowing to 0 or not). */
    private static float ulp(float v) {
        return Float.isInfinite(v) ? 0f : Math.max(Math.ulp(v), Float.MIN_VALUE);
    }
}
