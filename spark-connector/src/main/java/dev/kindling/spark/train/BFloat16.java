package dev.kindling.spark.train;

/**
 * Conversion between float32 and bfloat16 (the upper 16 bits of a float32: sign, 8 exponent bits,
 * 7 mantissa bits), used when gradients travel at half the bytes. Float to bfloat16 rounds to
 * nearest, ties to even, like IEEE arithmetic does: the dropped 16 bits are added back with a bias
 * of 0x7FFF plus the kept part's lowest bit, so exact halves go to the even neighbour. Overflow
 * gives infinity, subnormals round like any other value (their bits are ordinary integers here),
 * and a NaN stays a NaN (its quiet bit is set, since rounding could otherwise carry a payload that
 * lives only in the low bits into infinity).
 */
final class BFloat16 {
    private BFloat16() {}

    static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7FFFFFFF) > 0x7F800000) return (short) ((bits >>> 16) | 0x0040);
        int bias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + bias) >>> 16);
    }

    static float toFloat(short h) {
        return Float.intBitsToFloat((h & 0xFFFF) << 16);
    }

    /** Elements [from, to) of v in bfloat16. */
    static short[] encode(float[] v, int from, int to) {
        short[] out = new short[to - from];
        for (int i = from; i < to; i++) out[i - from] = fromFloat(v[i]);
        return out;
    }

    /** Adds the bfloat16 values h to acc, element by element. */
    static void addTo(float[] acc, short[] h) {
        for (int i = 0; i < h.length; i++) acc[i] += toFloat(h[i]);
    }
}
