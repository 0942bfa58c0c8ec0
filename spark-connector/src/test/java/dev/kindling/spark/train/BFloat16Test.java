package dev.kindling.spark.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Float32 to bfloat16 rounds to nearest, ties to even, on closed-form bit patterns. */
class BFloat16Test {

    private static int bf(int floatBits) {
        return BFloat16.fromFloat(Float.intBitsToFloat(floatBits)) & 0xFFFF;
    }

    @Test
    void exactValuesRoundTrip() {
        assertEquals(0x3F80, bf(0x3F800000), "1.0");
        assertEquals(0xC040, bf(0xC0400000), "-3.0");
        assertEquals(0x0000, bf(0x00000000), "+0");
        assertEquals(0x8000, bf(0x80000000), "-0 keeps its sign");
        for (int h = 0; h < 0x10000; h++) {
            float f = BFloat16.toFloat((short) h);
            if (Float.isNaN(f)) continue;
            assertEquals(h, bf(h << 16), "every non-NaN bfloat16 value is exact in float32: " + Integer.toHexString(h));
        }
    }

    @Test
    void roundsToNearestTiesToEven() {
        // 1 + 2^-8 lies halfway between 1 (mantissa ...0, even) and 1 + 2^-7 (odd): goes down to the even one.
        assertEquals(0x3F80, bf(0x3F808000));
        // 1 + 3*2^-8 lies halfway between 1 + 2^-7 (odd) and 1 + 2^-6 (even): goes up.
        assertEquals(0x3F82, bf(0x3F818000));
        // just above and below the half: nearest wins
        assertEquals(0x3F81, bf(0x3F808001));
        assertEquals(0x3F80, bf(0x3F807FFF));
        // negative values round by magnitude the same way
        assertEquals(0xBF80, bf(0xBF808000));
        assertEquals(0xBF82, bf(0xBF818000));
        // a carry out of the mantissa raises the exponent: 2 - 2^-23 -> 2.0
        assertEquals(0x4000, bf(0x3FFFFFFF));
        // pi: 0x40490FDB -> 0x4049 (the dropped 0x0FDB is below the half)
        assertEquals(0x4049, BFloat16.fromFloat((float) Math.PI) & 0xFFFF);
    }

    @Test
    void infinitiesNaNAndOverflow() {
        assertEquals(0x7F80, bf(0x7F800000), "+inf");
        assertEquals(0xFF80, bf(0xFF800000), "-inf");
        assertEquals(0x7F80, bf(0x7F7FFFFF), "Float.MAX_VALUE is nearer to 2^128 than to the largest bfloat16: +inf");
        assertEquals(0xFF80, bf(0xFF7FFFFF), "-Float.MAX_VALUE -> -inf");
        assertEquals(0x7F7F, bf(0x7F7F7FFF), "below the half to overflow stays finite: the largest bfloat16");
        assertTrue(Float.isNaN(BFloat16.toFloat(BFloat16.fromFloat(Float.NaN))), "canonical NaN");
        // a NaN whose payload lives only in the low 16 bits must not truncate to infinity
        assertTrue(Float.isNaN(BFloat16.toFloat(BFloat16.fromFloat(Float.intBitsToFloat(0x7F800001)))), "low-payload NaN");
        assertTrue(Float.isNaN(BFloat16.toFloat(BFloat16.fromFloat(Float.intBitsToFloat(0xFFFFFFFF)))), "all-ones NaN (no carry into the sign)");
        assertEquals(0xFFC0, bf(0xFF800001), "negative low-payload NaN: sign kept, quiet bit set");
    }

    @Test
    void subnormals() {
        assertEquals(0x0000, bf(0x00000001), "2^-149 rounds to +0");
        assertEquals(0x8000, bf(0x80000001), "-2^-149 rounds to -0");
        assertEquals(0x0000, bf(0x00008000), "half of the smallest bfloat16 subnormal, tie to even: 0");
        assertEquals(0x0002, bf(0x00018000), "1.5 ulp of the smallest subnormal, tie to even: 2 ulp");
        assertEquals(0x0001, bf(0x00010000), "the smallest bfloat16 subnormal 2^-133 is exact");
        assertEquals(0x0080, bf(0x007FFFFF), "the largest float32 subnormal rounds up to the smallest normal 2^-126");
        assertEquals(Math.scalb(1f, -133), BFloat16.toFloat((short) 0x0001));
    }

    @Test
    void decodedValueIsTheNearestAgainstDoubleArithmetic() {
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 200_000; i++) {
            float f = Float.intBitsToFloat(r.nextInt());
            if (Float.isNaN(f) || Float.isInfinite(f)) continue;
            short h = BFloat16.fromFloat(f);
            float g = BFloat16.toFloat(h);
            if (Float.isInfinite(g)) continue; // overflow checked in closed form above
            // neighbours of g in bfloat16: g must be at least as near to f as both
            float up = BFloat16.toFloat((short) (h + 1));
            float down = BFloat16.toFloat((short) (h - 1));
            double err = Math.abs((double) f - g);
            if (!Float.isNaN(up) && Math.signum(up) == Math.signum(g)) assertTrue(err <= Math.abs((double) f - up), "f=" + f);
            if (!Float.isNaN(down) && Math.signum(down) == Math.signum(g)) assertTrue(err <= Math.abs((double) f - down), "f=" + f);
        }
    }
}
