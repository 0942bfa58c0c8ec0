package dev.kindling.backend.cpu;

import dev.kindling.backend.Conv2dGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register tiles of {@link DirectConvKernel}'s forward pass for convolutions with stride and
 * dilation 1 along the row: the sums for {@code width} consecutive output pixels of one output row
 * and 16 output channels,
 * <pre>
 *   acc[i*accRowStride + c] += sum over q in [q0, q1), kx in [0, kw) of
 *       vec[(q*kw + kx)*vecStride + k0 + c] * src[srcBase + rowStart[q] + i + kx]
 * </pre>
 * where q runs over the kernel rows (input channel, ky) and rowStart[q] is where that kernel row
 * starts in the padded image. Neighbouring pixels of a row read the same input values at shifted
 * taps, so each input value is broadcast once and multiplied by the kw weight vectors held in
 * registers: for 12 pixels and a 5-wide kernel that is 21 loads per 60 FMAs where
 * {@link VectorConvTiles} needs 13 per 12 (one thread, LeNet-5's second layer: 194 against 107
 * GFLOP/s), and the constant offsets let C2 check each row's bounds once instead of per load.
 *
 * <p>A tile reads width + kw - 1 values from each row start, so the tile of a row's last pixels
 * may read past the row and compute pixels the caller discards; {@link #width} picks, per layer,
 * the tile width (10, 12 or 14) that wastes the fewest. Tiles are written out by hand like
 * {@link VectorConvTiles}' (accumulators in locals), for kernel widths 3 and 5. Only 16-channel
 * tiles: wider layers take several 16-channel groups, which ran 7-10% faster than 64 x 6 pixel
 * tiles on the 3x3 64- and 128-channel layers, where a 32-channel x 12-pixel row tile (24
 * accumulators and 6 weight vectors, all 32 registers) ran 5-15% slower (issue 17's conv rows,
 * Xeon, two runs each).
 */
final class VectorConvRowTiles {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int[] WIDTHS = {14, 12, 10};
    /** The widest tile's reach past a row start: 14 pixels plus a kernel of width 5, less one. */
    static final int MAX_READ = 18;

    /** {@code -Dkindling.conv.rowTiles=false} leaves every layer to {@link VectorConvTiles} (for comparisons). */
    private static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("kindling.conv.rowTiles", "true"));

    private VectorConvRowTiles() {}

    /**
     * True when the forward of g takes these tiles: stride and dilation 1 along the row, a kernel
     * 3 or 5 wide, and the tiles not switched off.
     */
    static boolean applyTo(Conv2dGeometry g) {
        return ENABLED && g.strideW() == 1 && g.dilationW() == 1 && (g.kernelW() == 3 || g.kernelW() == 5);
    }

    /** The tile width for output rows of outW pixels: the fewest pixels computed, the widest on a tie. */
    static int width(int outW) {
        int best = 0;
        for (int w : WIDTHS) {
            if (best == 0 || ceilDiv(outW, w) * w < ceilDiv(outW, best) * best) best = w;
        }
        return best;
    }

    /** Adds one tile; see the class comment. */
    static void accumulate(int width, int kw, float[] src, int srcBase, int[] rowStart, int q0, int q1,
                           float[] vec, int vecStride, int k0, float[] acc, int accRowStride) {
        switch (width * 100 + kw) {
            case 1003 -> row10k3(src, srcBase, rowStart, q0, q1, vec, vecStride, k0, acc, accRowStride);
            case 1203 -> row12k3(src, srcBase, rowStart, q0, q1, vec, vecStride, k0, acc, accRowStride);
            case 1403 -> row14k3(src, srcBase, rowStart, q0, q1, vec, vecStride, k0, acc, accRowStride);
            case 1005 -> row10k5(src, srcBase, rowStart, q0, q1, vec, vecStride, k0, acc, accRowStride);
            case 1205 -> row12k5(src, srcBase, rowStart, q0, q1, vec, vecStride, k0, acc, accRowStride);
            case 1405 -> row14k5(src, srcBase, rowStart, q0, q1, vec, vecStride, k0, acc, accRowStride);
            default -> throw new IllegalArgumentException("conv2d row tile: expected width 10, 12 or 14 and kernel width 3 or 5 but got "
                    + width + " and " + kw);
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** 16 channels x 10 pixels, kernel width 3; see {@link #accumulate}. */
    private static void row10k3(float[] src, int srcBase, int[] rowStart, int q0, int q1, float[] vec, int vecStride, int k0,
                                  float[] acc, int accRowStride) {
        FloatVector a0_0 = FloatVector.fromArray(S, acc, 0 * accRowStride + 0);
        FloatVector a1_0 = FloatVector.fromArray(S, acc, 1 * accRowStride + 0);
        FloatVector a2_0 = FloatVector.fromArray(S, acc, 2 * accRowStride + 0);
        FloatVector a3_0 = FloatVector.fromArray(S, acc, 3 * accRowStride + 0);
        FloatVector a4_0 = FloatVector.fromArray(S, acc, 4 * accRowStride + 0);
        FloatVector a5_0 = FloatVector.fromArray(S, acc, 5 * accRowStride + 0);
        FloatVector a6_0 = FloatVector.fromArray(S, acc, 6 * accRowStride + 0);
        FloatVector a7_0 = FloatVector.fromArray(S, acc, 7 * accRowStride + 0);
        FloatVector a8_0 = FloatVector.fromArray(S, acc, 8 * accRowStride + 0);
        FloatVector a9_0 = FloatVector.fromArray(S, acc, 9 * accRowStride + 0);
        for (int q = q0; q < q1; q++) {
            int s = srcBase + rowStart[q];
            int v = q * 3 * vecStride + k0;
            FloatVector w0_0 = FloatVector.fromArray(S, vec, v + 0 * vecStride + 0);
            FloatVector w1_0 = FloatVector.fromArray(S, vec, v + 1 * vecStride + 0);
            FloatVector w2_0 = FloatVector.fromArray(S, vec, v + 2 * vecStride + 0);
            FloatVector x0 = FloatVector.broadcast(S, src[s + 0]);
            a0_0 = w0_0.fma(x0, a0_0);
            FloatVector x1 = FloatVector.broadcast(S, src[s + 1]);
            a1_0 = w0_0.fma(x1, a1_0); a0_0 = w1_0.fma(x1, a0_0);
            FloatVector x2 = FloatVector.broadcast(S, src[s + 2]);
            a2_0 = w0_0.fma(x2, a2_0); a1_0 = w1_0.fma(x2, a1_0); a0_0 = w2_0.fma(x2, a0_0);
            FloatVector x3 = FloatVector.broadcast(S, src[s + 3]);
            a3_0 = w0_0.fma(x3, a3_0); a2_0 = w1_0.fma(x3, a2_0); a1_0 = w2_0.fma(x3, a1_0);
            FloatVector x4 = FloatVector.broadcast(S, src[s + 4]);
            a4_0 = w0_0.fma(x4, a4_0); a3_0 = w1_0.fma(x4, a3_0); a2_0 = w2_0.fma(x4, a2_0);
            FloatVector x5 = FloatVector.broadcast(S, src[s + 5]);
            a5_0 = w0_0.fma(x5, a5_0); a4_0 = w1_0.fma(x5, a4_0); a3_0 = w2_0.fma(x5, a3_0);
            FloatVector x6 = FloatVector.broadcast(S, src[s + 6]);
            a6_0 = w0_0.fma(x6, a6_0); a5_0 = w1_0.fma(x6, a5_0); a4_0 = w2_0.fma(x6, a4_0);
            FloatVector x7 = FloatVector.broadcast(S, src[s + 7]);
            a7_0 = w0_0.fma(x7, a7_0); a6_0 = w1_0.fma(x7, a6_0); a5_0 = w2_0.fma(x7, a5_0);
            FloatVector x8 = FloatVector.broadcast(S, src[s + 8]);
            a8_0 = w0_0.fma(x8, a8_0); a7_0 = w1_0.fma(x8, a7_0); a6_0 = w2_0.fma(x8, a6_0);
            FloatVector x9 = FloatVector.broadcast(S, src[s + 9]);
            a9_0 = w0_0.fma(x9, a9_0); a8_0 = w1_0.fma(x9, a8_0); a7_0 = w2_0.fma(x9, a7_0);
            FloatVector x10 = FloatVector.broadcast(S, src[s + 10]);
            a9_0 = w1_0.fma(x10, a9_0); a8_0 = w2_0.fma(x10, a8_0);
            FloatVector x11 = FloatVector.broadcast(S, src[s + 11]);
            a9_0 = w2_0.fma(x11, a9_0);
        }
        a0_0.intoArray(acc, 0 * accRowStride + 0);
        a1_0.intoArray(acc, 1 * accRowStride + 0);
        a2_0.intoArray(acc, 2 * accRowStride + 0);
        a3_0.intoArray(acc, 3 * accRowStride + 0);
        a4_0.intoArray(acc, 4 * accRowStride + 0);
        a5_0.intoArray(acc, 5 * accRowStride + 0);
        a6_0.intoArray(acc, 6 * accRowStride + 0);
        a7_0.intoArray(acc, 7 * accRowStride + 0);
        a8_0.intoArray(acc, 8 * accRowStride + 0);
        a9_0.intoArray(acc, 9 * accRowStride + 0);
    }

    /** 16 channels x 12 pixels, kernel width 3; see {@link #accumulate}. */
    private static void row12k3(float[] src, int srcBase, int[] rowStart, int q0, int q1, float[] vec, int vecStride, int k0,
                                  float[] acc, int accRowStride) {
        FloatVector a0_0 = FloatVector.fromArray(S, acc, 0 * accRowStride + 0);
        FloatVector a1_0 = FloatVector.fromArray(S, acc, 1 * accRowStride + 0);
        FloatVector a2_0 = FloatVector.fromArray(S, acc, 2 * accRowStride + 0);
        FloatVector a3_0 = FloatVector.fromArray(S, acc, 3 * accRowStride + 0);
        FloatVector a4_0 = FloatVector.fromArray(S, acc, 4 * accRowStride + 0);
        FloatVector a5_0 = FloatVector.fromArray(S, acc, 5 * accRowStride + 0);
        FloatVector a6_0 = FloatVector.fromArray(S, acc, 6 * accRowStride + 0);
        FloatVector a7_0 = FloatVector.fromArray(S, acc, 7 * accRowStride + 0);
        FloatVector a8_0 = FloatVector.fromArray(S, acc, 8 * accRowStride + 0);
        FloatVector a9_0 = FloatVector.fromArray(S, acc, 9 * accRowStride + 0);
        FloatVector a10_0 = FloatVector.fromArray(S, acc, 10 * accRowStride + 0);
        FloatVector a11_0 = FloatVector.fromArray(S, acc, 11 * accRowStride + 0);
        for (int q = q0; q < q1; q++) {
            int s = srcBase + rowStart[q];
            int v = q * 3 * vecStride + k0;
            FloatVector w0_0 = FloatVector.fromArray(S, vec, v + 0 * vecStride + 0);
            FloatVector w1_0 = FloatVector.fromArray(S, vec, v + 1 * vecStride + 0);
            FloatVector w2_0 = FloatVector.fromArray(S, vec, v + 2 * vecStride + 0);
            FloatVector x0 = FloatVector.broadcast(S, src[s + 0]);
            a0_0 = w0_0.fma(x0, a0_0);
            FloatVector x1 = FloatVector.broadcast(S, src[s + 1]);
            a1_0 = w0_0.fma(x1, a1_0); a0_0 = w1_0.fma(x1, a0_0);
            FloatVector x2 = FloatVector.broadcast(S, src[s + 2]);
            a2_0 = w0_0.fma(x2, a2_0); a1_0 = w1_0.fma(x2, a1_0); a0_0 = w2_0.fma(x2, a0_0);
            FloatVector x3 = FloatVector.broadcast(S, src[s + 3]);
            a3_0 = w0_0.fma(x3, a3_0); a2_0 = w1_0.fma(x3, a2_0); a1_0 = w2_0.fma(x3, a1_0);
            FloatVector x4 = FloatVector.broadcast(S, src[s + 4]);
            a4_0 = w0_0.fma(x4, a4_0); a3_0 = w1_0.fma(x4, a3_0); a2_0 = w2_0.fma(x4, a2_0);
            FloatVector x5 = FloatVector.broadcast(S, src[s + 5]);
            a5_0 = w0_0.fma(x5, a5_0); a4_0 = w1_0.fma(x5, a4_0); a3_0 = w2_0.fma(x5, a3_0);
            FloatVector x6 = FloatVector.broadcast(S, src[s + 6]);
            a6_0 = w0_0.fma(x6, a6_0); a5_0 = w1_0.fma(x6, a5_0); a4_0 = w2_0.fma(x6, a4_0);
            FloatVector x7 = FloatVector.broadcast(S, src[s + 7]);
            a7_0 = w0_0.fma(x7, a7_0); a6_0 = w1_0.fma(x7, a6_0); a5_0 = w2_0.fma(x7, a5_0);
            FloatVector x8 = FloatVector.broadcast(S, src[s + 8]);
            a8_0 = w0_0.fma(x8, a8_0); a7_0 = w1_0.fma(x8, a7_0); a6_0 = w2_0.fma(x8, a6_0);
            FloatVector x9 = FloatVector.broadcast(S, src[s + 9]);
            a9_0 = w0_0.fma(x9, a9_0); a8_0 = w1_0.fma(x9, a8_0); a7_0 = w2_0.fma(x9, a7_0);
            FloatVector x10 = FloatVector.broadcast(S, src[s + 10]);
            a10_0 = w0_0.fma(x10, a10_0); a9_0 = w1_0.fma(x10, a9_0); a8_0 = w2_0.fma(x10, a8_0);
            FloatVector x11 = FloatVector.broadcast(S, src[s + 11]);
            a11_0 = w0_0.fma(x11, a11_0); a10_0 = w1_0.fma(x11, a10_0); a9_0 = w2_0.fma(x11, a9_0);
            FloatVector x12 = FloatVector.broadcast(S, src[s + 12]);
            a11_0 = w1_0.fma(x12, a11_0); a10_0 = w2_0.fma(x12, a10_0);
            FloatVector x13 = FloatVector.broadcast(S, src[s + 13]);
            a11_0 = w2_0.fma(x13, a11_0);
        }
        a0_0.intoArray(acc, 0 * accRowStride + 0);
        a1_0.intoArray(acc, 1 * accRowStride + 0);
        a2_0.intoArray(acc, 2 * accRowStride + 0);
        a3_0.intoArray(acc, 3 * accRowStride + 0);
        a4_0.intoArray(acc, 4 * accRowStride + 0);
        a5_0.intoArray(acc, 5 * accRowStride + 0);
        a6_0.intoArray(acc, 6 * accRowStride + 0);
        a7_0.intoArray(acc, 7 * accRowStride + 0);
        a8_0.intoArray(acc, 8 * accRowStride + 0);
        a9_0.intoArray(acc, 9 * accRowStride + 0);
        a10_0.intoArray(acc, 10 * accRowStride + 0);
        a11_0.intoArray(acc, 11 * accRowStride + 0);
    }

    /** 16 channels x 14 pixels, kernel width 3; see {@link #accumulate}. */
    private static void row14k3(float[] src, int srcBase, int[] rowStart, int q0, int q1, float[] vec, int vecStride, int k0,
                                  float[] acc, int accRowStride) {
        FloatVector a0_0 = FloatVector.fromArray(S, acc, 0 * accRowStride + 0);
        FloatVector a1_0 = FloatVector.fromArray(S, acc, 1 * accRowStride + 0);
        FloatVector a2_0 = FloatVector.fromArray(S, acc, 2 * accRowStride + 0);
        FloatVector a3_0 = FloatVector.fromArray(S, acc, 3 * accRowStride + 0);
        FloatVector a4_0 = FloatVector.fromArray(S, acc, 4 * accRowStride + 0);
        FloatVector a5_0 = FloatVector.fromArray(S, acc, 5 * accRowStride + 0);
        FloatVector a6_0 = FloatVector.fromArray(S, acc, 6 * accRowStride + 0);
        FloatVector a7_0 = FloatVector.fromArray(S, acc, 7 * accRowStride + 0);
        FloatVector a8_0 = FloatVector.fromArray(S, acc, 8 * accRowStride + 0);
        FloatVector a9_0 = FloatVector.fromArray(S, acc, 9 * accRowStride + 0);
        FloatVector a10_0 = FloatVector.fromArray(S, acc, 10 * accRowStride + 0);
        FloatVector a11_0 = FloatVector.fromArray(S, acc, 11 * accRowStride + 0);
        FloatVector a12_0 = FloatVector.fromArray(S, acc, 12 * accRowStride + 0);
        FloatVector a13_0 = FloatVector.fromArray(S, acc, 13 * accRowStride + 0);
        for (int q = q0; q < q1; q++) {
            int s = srcBase + rowStart[q];
            int v = q * 3 * vecStride + k0;
            FloatVector w0_0 = FloatVector.fromArray(S, vec, v + 0 * vecStride + 0);
            FloatVector w1_0 = FloatVector.fromArray(S, vec, v + 1 * vecStride + 0);
            FloatVector w2_0 = FloatVector.fromArray(S, vec, v + 2 * vecStride + 0);
            FloatVector x0 = FloatVector.broadcast(S, src[s + 0]);
            a0_0 = w0_0.fma(x0, a0_0);
            FloatVector x1 = FloatVector.broadcast(S, src[s + 1]);
            a1_0 = w0_0.fma(x1, a1_0); a0_0 = w1_0.fma(x1, a0_0);
            FloatVector x2 = FloatVector.broadcast(S, src[s + 2]);
            a2_0 = w0_0.fma(x2, a2_0); a1_0 = w1_0.fma(x2, a1_0); a0_0 = w2_0.fma(x2, a0_0);
            FloatVector x3 = FloatVector.broadcast(S, src[s + 3]);
            a3_0 = w0_0.fma(x3, a3_0); a2_0 = w1_0.fma(x3, a2_0); a1_0 = w2_0.fma(x3, a1_0);
            FloatVector x4 = FloatVector.broadcast(S, src[s + 4]);
            a4_0 = w0_0.fma(x4, a4_0); a3_0 = w1_0.fma(x4, a3_0); a2_0 = w2_0.fma(x4, a2_0);
            FloatVector x5 = FloatVector.broadcast(S, src[s + 5]);
            a5_0 = w0_0.fma(x5, a5_0); a4_0 = w1_0.fma(x5, a4_0); a3_0 = w2_0.fma(x5, a3_0);
            FloatVector x6 = FloatVector.broadcast(S, src[s + 6]);
            a6_0 = w0_0.fma(x6, a6_0); a5_0 = w1_0.fma(x6, a5_0); a4_0 = w2_0.fma(x6, a4_0);
            FloatVector x7 = FloatVector.broadcast(S, src[s + 7]);
            a7_0 = w0_0.fma(x7, a7_0); a6_0 = w1_0.fma(x7, a6_0); a5_0 = w2_0.fma(x7, a5_0);
            FloatVector x8 = FloatVector.broadcast(S, src[s + 8]);
            a8_0 = w0_0.fma(x8, a8_0); a7_0 = w1_0.fma(x8, a7_0); a6_0 = w2_0.fma(x8, a6_0);
            FloatVector x9 = FloatVector.broadcast(S, src[s + 9]);
            a9_0 = w0_0.fma(x9, a9_0); a8_0 = w1_0.fma(x9, a8_0); a7_0 = w2_0.fma(x9, a7_0);
            FloatVector x10 = FloatVector.broadcast(S, src[s + 10]);
            a10_0 = w0_0.fma(x10, a10_0); a9_0 = w1_0.fma(x10, a9_0); a8_0 = w2_0.fma(x10, a8_0);
            FloatVector x11 = FloatVector.broadcast(S, src[s + 11]);
            a11_0 = w0_0.fma(x11, a11_0); a10_0 = w1_0.fma(x11, a10_0); a9_0 = w2_0.fma(x11, a9_0);
            FloatVector x12 = FloatVector.broadcast(S, src[s + 12]);
            a12_0 = w0_0.fma(x12, a12_0); a11_0 = w1_0.fma(x12, a11_0); a10_0 = w2_0.fma(x12, a10_0);
            FloatVector x13 = FloatVector.broadcast(S, src[s + 13]);
            a13_0 = w0_0.fma(x13, a13_0); a12_0 = w1_0.fma(x13, a12_0); a11_0 = w2_0.fma(x13, a11_0);
            FloatVector x14 = FloatVector.broadcast(S, src[s + 14]);
            a13_0 = w1_0.fma(x14, a13_0); a12_0 = w2_0.fma(x14, a12_0);
            FloatVector x15 = FloatVector.broadcast(S, src[s + 15]);
            a13_0 = w2_0.fma(x15, a13_0);
        }
        a0_0.intoArray(acc, 0 * accRowStride + 0);
        a1_0.intoArray(acc, 1 * accRowStride + 0);
        a2_0.intoArray(acc, 2 * accRowStride + 0);
        a3_0.intoArray(acc, 3 * accRowStride + 0);
        a4_0.intoArray(acc, 4 * accRowStride + 0);
        a5_0.intoArray(acc, 5 * accRowStride + 0);
        a6_0.intoArray(acc, 6 * accRowStride + 0);
        a7_0.intoArray(acc, 7 * accRowStride + 0);
        a8_0.intoArray(acc, 8 * accRowStride + 0);
        a9_0.intoArray(acc, 9 * accRowStride + 0);
        a10_0.intoArray(acc, 10 * accRowStride + 0);
        a11_0.intoArray(acc, 11 * accRowStride + 0);
        a12_0.intoArray(acc, 12 * accRowStride + 0);
        a13_0.intoArray(acc, 13 * accRowStride + 0);
    }

    /** 16 channels x 10 pixels, kernel width 5; see {@link #accumulate}. */
    private static void row10k5(float[] src, int srcBase, int[] rowStart, int q0, int q1, float[] vec, int vecStride, int k0,
                                  float[] acc, int accRowStride) {
        FloatVector a0_0 = FloatVector.fromArray(S, acc, 0 * accRowStride + 0);
        FloatVector a1_0 = FloatVector.fromArray(S, acc, 1 * accRowStride + 0);
        FloatVector a2_0 = FloatVector.fromArray(S, acc, 2 * accRowStride + 0);
        FloatVector a3_0 = FloatVector.fromArray(S, acc, 3 * accRowStride + 0);
        FloatVector a4_0 = FloatVector.fromArray(S, acc, 4 * accRowStride + 0);
        FloatVector a5_0 = FloatVector.fromArray(S, acc, 5 * accRowStride + 0);
        FloatVector a6_0 = FloatVector.fromArray(S, acc, 6 * accRowStride + 0);
        FloatVector a7_0 = FloatVector.fromArray(S, acc, 7 * accRowStride + 0);
        FloatVector a8_0 = FloatVector.fromArray(S, acc, 8 * accRowStride + 0);
        FloatVector a9_0 = FloatVector.fromArray(S, acc, 9 * accRowStride + 0);
        for (int q = q0; q < q1; q++) {
            int s = srcBase + rowStart[q];
            int v = q * 5 * vecStride + k0;
            FloatVector w0_0 = FloatVector.fromArray(S, vec, v + 0 * vecStride + 0);
            FloatVector w1_0 = FloatVector.fromArray(S, vec, v + 1 * vecStride + 0);
            FloatVector w2_0 = FloatVector.fromArray(S, vec, v + 2 * vecStride + 0);
            FloatVector w3_0 = FloatVector.fromArray(S, vec, v + 3 * vecStride + 0);
            FloatVector w4_0 = FloatVector.fromArray(S, vec, v + 4 * vecStride + 0);
            FloatVector x0 = FloatVector.broadcast(S, src[s + 0]);
            a0_0 = w0_0.fma(x0, a0_0);
            FloatVector x1 = FloatVector.broadcast(S, src[s + 1]);
            a1_0 = w0_0.fma(x1, a1_0); a0_0 = w1_0.fma(x1, a0_0);
            FloatVector x2 = FloatVector.broadcast(S, src[s + 2]);
            a2_0 = w0_0.fma(x2, a2_0); a1_0 = w1_0.fma(x2, a1_0); a0_0 = w2_0.fma(x2, a0_0);
            FloatVector x3 = FloatVector.broadcast(S, src[s + 3]);
            a3_0 = w0_0.fma(x3, a3_0); a2_0 = w1_0.fma(x3, a2_0); a1_0 = w2_0.fma(x3, a1_0);
            a0_0 = w3_0.fma(x3, a0_0);
            FloatVector x4 = FloatVector.broadcast(S, src[s + 4]);
            a4_0 = w0_0.fma(x4, a4_0); a3_0 = w1_0.fma(x4, a3_0); a2_0 = w2_0.fma(x4, a2_0);
            a1_0 = w3_0.fma(x4, a1_0); a0_0 = w4_0.fma(x4, a0_0);
            FloatVector x5 = FloatVector.broadcast(S, src[s + 5]);
            a5_0 = w0_0.fma(x5, a5_0); a4_0 = w1_0.fma(x5, a4_0); a3_0 = w2_0.fma(x5, a3_0);
            a2_0 = w3_0.fma(x5, a2_0); a1_0 = w4_0.fma(x5, a1_0);
            FloatVector x6 = FloatVector.broadcast(S, src[s + 6]);
            a6_0 = w0_0.fma(x6, a6_0); a5_0 = w1_0.fma(x6, a5_0); a4_0 = w2_0.fma(x6, a4_0);
            a3_0 = w3_0.fma(x6, a3_0); a2_0 = w4_0.fma(x6, a2_0);
            FloatVector x7 = FloatVector.broadcast(S, src[s + 7]);
            a7_0 = w0_0.fma(x7, a7_0); a6_0 = w1_0.fma(x7, a6_0); a5_0 = w2_0.fma(x7, a5_0);
            a4_0 = w3_0.fma(x7, a4_0); a3_0 = w4_0.fma(x7, a3_0);
            FloatVector x8 = FloatVector.broadcast(S, src[s + 8]);
            a8_0 = w0_0.fma(x8, a8_0); a7_0 = w1_0.fma(x8, a7_0); a6_0 = w2_0.fma(x8, a6_0);
            a5_0 = w3_0.fma(x8, a5_0); a4_0 = w4_0.fma(x8, a4_0);
            FloatVector x9 = FloatVector.broadcast(S, src[s + 9]);
            a9_0 = w0_0.fma(x9, a9_0); a8_0 = w1_0.fma(x9, a8_0); a7_0 = w2_0.fma(x9, a7_0);
            a6_0 = w3_0.fma(x9, a6_0); a5_0 = w4_0.fma(x9, a5_0);
            FloatVector x10 = FloatVector.broadcast(S, src[s + 10]);
            a9_0 = w1_0.fma(x10, a9_0); a8_0 = w2_0.fma(x10, a8_0); a7_0 = w3_0.fma(x10, a7_0);
            a6_0 = w4_0.fma(x10, a6_0);
            FloatVector x11 = FloatVector.broadcast(S, src[s + 11]);
            a9_0 = w2_0.fma(x11, a9_0); a8_0 = w3_0.fma(x11, a8_0); a7_0 = w4_0.fma(x11, a7_0);
            FloatVector x12 = FloatVector.broadcast(S, src[s + 12]);
            a9_0 = w3_0.fma(x12, a9_0); a8_0 = w4_0.fma(x12, a8_0);
            FloatVector x13 = FloatVector.broadcast(S, src[s + 13]);
            a9_0 = w4_0.fma(x13, a9_0);
        }
        a0_0.intoArray(acc, 0 * accRowStride + 0);
        a1_0.intoArray(acc, 1 * accRowStride + 0);
        a2_0.intoArray(acc, 2 * accRowStride + 0);
        a3_0.intoArray(acc, 3 * accRowStride + 0);
        a4_0.intoArray(acc, 4 * accRowStride + 0);
        a5_0.intoArray(acc, 5 * accRowStride + 0);
        a6_0.intoArray(acc, 6 * accRowStride + 0);
        a7_0.intoArray(acc, 7 * accRowStride + 0);
        a8_0.intoArray(acc, 8 * accRowStride + 0);
        a9_0.intoArray(acc, 9 * accRowStride + 0);
    }

    /** 16 channels x 12 pixels, kernel width 5; see {@link #accumulate}. */
    private static void row12k5(float[] src, int srcBase, int[] rowStart, int q0, int q1, float[] vec, int vecStride, int k0,
                                  float[] acc, int accRowStride) {
        FloatVector a0_0 = FloatVector.fromArray(S, acc, 0 * accRowStride + 0);
        FloatVector a1_0 = FloatVector.fromArray(S, acc, 1 * accRowStride + 0);
        FloatVector a2_0 = FloatVector.fromArray(S, acc, 2 * accRowStride + 0);
        FloatVector a3_0 = FloatVector.fromArray(S, acc, 3 * accRowStride + 0);
        FloatVector a4_0 = FloatVector.fromArray(S, acc, 4 * accRowStride + 0);
        FloatVector a5_0 = FloatVector.fromArray(S, acc, 5 * accRowStride + 0);
        FloatVector a6_0 = FloatVector.fromArray(S, acc, 6 * accRowStride + 0);
        FloatVector a7_0 = FloatVector.fromArray(S, acc, 7 * accRowStride + 0);
        FloatVector a8_0 = FloatVector.fromArray(S, acc, 8 * accRowStride + 0);
        FloatVector a9_0 = FloatVector.fromArray(S, acc, 9 * accRowStride + 0);
        FloatVector a10_0 = FloatVector.fromArray(S, acc, 10 * accRowStride + 0);
        FloatVector a11_0 = FloatVector.fromArray(S, acc, 11 * accRowStride + 0);
        for (int q = q0; q < q1; q++) {
            int s = srcBase + rowStart[q];
            int v = q * 5 * vecStride + k0;
            FloatVector w0_0 = FloatVector.fromArray(S, vec, v + 0 * vecStride + 0);
            FloatVector w1_0 = FloatVector.fromArray(S, vec, v + 1 * vecStride + 0);
            FloatVector w2_0 = FloatVector.fromArray(S, vec, v + 2 * vecStride + 0);
            FloatVector w3_0 = FloatVector.fromArray(S, vec, v + 3 * vecStride + 0);
            FloatVector w4_0 = FloatVector.fromArray(S, vec, v + 4 * vecStride + 0);
            FloatVector x0 = FloatVector.broadcast(S, src[s + 0]);
            a0_0 = w0_0.fma(x0, a0_0);
            FloatVector x1 = FloatVector.broadcast(S, src[s + 1]);
            a1_0 = w0_0.fma(x1, a1_0); a0_0 = w1_0.fma(x1, a0_0);
            FloatVector x2 = FloatVector.broadcast(S, src[s + 2]);
            a2_0 = w0_0.fma(x2, a2_0); a1_0 = w1_0.fma(x2, a1_0); a0_0 = w2_0.fma(x2, a0_0);
            FloatVector x3 = FloatVector.broadcast(S, src[s + 3]);
            a3_0 = w0_0.fma(x3, a3_0); a2_0 = w1_0.fma(x3, a2_0); a1_0 = w2_0.fma(x3, a1_0);
            a0_0 = w3_0.fma(x3, a0_0);
            FloatVector x4 = FloatVector.broadcast(S, src[s + 4]);
            a4_0 = w0_0.fma(x4, a4_0); a3_0 = w1_0.fma(x4, a3_0); a2_0 = w2_0.fma(x4, a2_0);
            a1_0 = w3_0.fma(x4, a1_0); a0_0 = w4_0.fma(x4, a0_0);
            FloatVector x5 = FloatVector.broadcast(S, src[s + 5]);
            a5_0 = w0_0.fma(x5, a5_0); a4_0 = w1_0.fma(x5, a4_0); a3_0 = w2_0.fma(x5, a3_0);
            a2_0 = w3_0.fma(x5, a2_0); a1_0 = w4_0.fma(x5, a1_0);
            FloatVector x6 = FloatVector.broadcast(S, src[s + 6]);
            a6_0 = w0_0.fma(x6, a6_0); a5_0 = w1_0.fma(x6, a5_0); a4_0 = w2_0.fma(x6, a4_0);
            a3_0 = w3_0.fma(x6, a3_0); a2_0 = w4_0.fma(x6, a2_0);
            FloatVector x7 = FloatVector.broadcast(S, src[s + 7]);
            a7_0 = w0_0.fma(x7, a7_0); a6_0 = w1_0.fma(x7, a6_0); a5_0 = w2_0.fma(x7, a5_0);
            a4_0 = w3_0.fma(x7, a4_0); a3_0 = w4_0.fma(x7, a3_0);
            FloatVector x8 = FloatVector.broadcast(S, src[s + 8]);
            a8_0 = w0_0.fma(x8, a8_0); a7_0 = w1_0.fma(x8, a7_0); a6_0 = w2_0.fma(x8, a6_0);
            a5_0 = w3_0.fma(x8, a5_0); a4_0 = w4_0.fma(x8, a4_0);
            FloatVector x9 = FloatVector.broadcast(S, src[s + 9]);
            a9_0 = w0_0.fma(x9, a9_0); a8_0 = w1_0.fma(x9, a8_0); a7_0 = w2_0.fma(x9, a7_0);
            a6_0 = w3_0.fma(x9, a6_0); a5_0 = w4_0.fma(x9, a5_0);
            FloatVector x10 = FloatVector.broadcast(S, src[s + 10]);
            a10_0 = w0_0.fma(x10, a10_0); a9_0 = w1_0.fma(x10, a9_0); a8_0 = w2_0.fma(x10, a8_0);
            a7_0 = w3_0.fma(x10, a7_0); a6_0 = w4_0.fma(x10, a6_0);
            FloatVector x11 = FloatVector.broadcast(S, src[s + 11]);
            a11_0 = w0_0.fma(x11, a11_0); a10_0 = w1_0.fma(x11, a10_0); a9_0 = w2_0.fma(x11, a9_0);
            a8_0 = w3_0.fma(x11, a8_0); a7_0 = w4_0.fma(x11, a7_0);
            FloatVector x12 = FloatVector.broadcast(S, src[s + 12]);
            a11_0 = w1_0.fma(x12, a11_0); a10_0 = w2_0.fma(x12, a10_0); a9_0 = w3_0.fma(x12, a9_0);
            a8_0 = w4_0.fma(x12, a8_0);
            FloatVector x13 = FloatVector.broadcast(S, src[s + 13]);
            a11_0 = w2_0.fma(x13, a11_0); a10_0 = w3_0.fma(x13, a10_0); a9_0 = w4_0.fma(x13, a9_0);
            FloatVector x14 = FloatVector.broadcast(S, src[s + 14]);
            a11_0 = w3_0.fma(x14, a11_0); a10_0 = w4_0.fma(x14, a10_0);
            FloatVector x15 = FloatVector.broadcast(S, src[s + 15]);
            a11_0 = w4_0.fma(x15, a11_0);
        }
        a0_0.intoArray(acc, 0 * accRowStride + 0);
        a1_0.intoArray(acc, 1 * accRowStride + 0);
        a2_0.intoArray(acc, 2 * accRowStride + 0);
        a3_0.intoArray(acc, 3 * accRowStride + 0);
        a4_0.intoArray(acc, 4 * accRowStride + 0);
        a5_0.intoArray(acc, 5 * accRowStride + 0);
        a6_0.intoArray(acc, 6 * accRowStride + 0);
        a7_0.intoArray(acc, 7 * accRowStride + 0);
        a8_0.intoArray(acc, 8 * accRowStride + 0);
        a9_0.intoArray(acc, 9 * accRowStride + 0);
        a10_0.intoArray(acc, 10 * accRowStride + 0);
        a11_0.intoArray(acc, 11 * accRowStride + 0);
    }

    /** 16 channels x 14 pixels, kernel width 5; see {@link #accumulate}. */
    private static void row14k5(float[] src, int srcBase, int[] rowStart, int q0, int q1, float[] vec, int vecStride, int k0,
                                  float[] acc, int accRowStride) {
        FloatVector a0_0 = FloatVector.fromArray(S, acc, 0 * accRowStride + 0);
        FloatVector a1_0 = FloatVector.fromArray(S, acc, 1 * accRowStride + 0);
        FloatVector a2_0 = FloatVector.fromArray(S, acc, 2 * accRowStride + 0);
        FloatVector a3_0 = FloatVector.fromArray(S, acc, 3 * accRowStride + 0);
        FloatVector a4_0 = FloatVector.fromArray(S, acc, 4 * accRowStride + 0);
        FloatVector a5_0 = FloatVector.fromArray(S, acc, 5 * accRowStride + 0);
        FloatVector a6_0 = FloatVector.fromArray(S, acc, 6 * accRowStride + 0);
        FloatVector a7_0 = FloatVector.fromArray(S, acc, 7 * accRowStride + 0);
        FloatVector a8_0 = FloatVector.fromArray(S, acc, 8 * accRowStride + 0);
        FloatVector a9_0 = FloatVector.fromArray(S, acc, 9 * accRowStride + 0);
        FloatVector a10_0 = FloatVector.fromArray(S, acc, 10 * accRowStride + 0);
        FloatVector a11_0 = FloatVector.fromArray(S, acc, 11 * accRowStride + 0);
        FloatVector a12_0 = FloatVector.fromArray(S, acc, 12 * accRowStride + 0);
        FloatVector a13_0 = FloatVector.fromArray(S, acc, 13 * accRowStride + 0);
        for (int q = q0; q < q1; q++) {
            int s = srcBase + rowStart[q];
            int v = q * 5 * vecStride + k0;
            FloatVector w0_0 = FloatVector.fromArray(S, vec, v + 0 * vecStride + 0);
            FloatVector w1_0 = FloatVector.fromArray(S, vec, v + 1 * vecStride + 0);
            FloatVector w2_0 = FloatVector.fromArray(S, vec, v + 2 * vecStride + 0);
            FloatVector w3_0 = FloatVector.fromArray(S, vec, v + 3 * vecStride + 0);
            FloatVector w4_0 = FloatVector.fromArray(S, vec, v + 4 * vecStride + 0);
            FloatVector x0 = FloatVector.broadcast(S, src[s + 0]);
            a0_0 = w0_0.fma(x0, a0_0);
            FloatVector x1 = FloatVector.broadcast(S, src[s + 1]);
            a1_0 = w0_0.fma(x1, a1_0); a0_0 = w1_0.fma(x1, a0_0);
            FloatVector x2 = FloatVector.broadcast(S, src[s + 2]);
            a2_0 = w0_0.fma(x2, a2_0); a1_0 = w1_0.fma(x2, a1_0); a0_0 = w2_0.fma(x2, a0_0);
            FloatVector x3 = FloatVector.broadcast(S, src[s + 3]);
            a3_0 = w0_0.fma(x3, a3_0); a2_0 = w1_0.fma(x3, a2_0); a1_0 = w2_0.fma(x3, a1_0);
            a0_0 = w3_0.fma(x3, a0_0);
            FloatVector x4 = FloatVector.broadcast(S, src[s + 4]);
            a4_0 = w0_0.fma(x4, a4_0); a3_0 = w1_0.fma(x4, a3_0); a2_0 = w2_0.fma(x4, a2_0);
            a1_0 = w3_0.fma(x4, a1_0); a0_0 = w4_0.fma(x4, a0_0);
            FloatVector x5 = FloatVector.broadcast(S, src[s + 5]);
            a5_0 = w0_0.fma(x5, a5_0); a4_0 = w1_0.fma(x5, a4_0); a3_0 = w2_0.fma(x5, a3_0);
            a2_0 = w3_0.fma(x5, a2_0); a1_0 = w4_0.fma(x5, a1_0);
            FloatVector x6 = FloatVector.broadcast(S, src[s + 6]);
            a6_0 = w0_0.fma(x6, a6_0); a5_0 = w1_0.fma(x6, a5_0); a4_0 = w2_0.fma(x6, a4_0);
            a3_0 = w3_0.fma(x6, a3_0); a2_0 = w4_0.fma(x6, a2_0);
            FloatVector x7 = FloatVector.broadcast(S, src[s + 7]);
            a7_0 = w0_0.fma(x7, a7_0); a6_0 = w1_0.fma(x7, a6_0); a5_0 = w2_0.fma(x7, a5_0);
            a4_0 = w3_0.fma(x7, a4_0); a3_0 = w4_0.fma(x7, a3_0);
            FloatVector x8 = FloatVector.broadcast(S, src[s + 8]);
            a8_0 = w0_0.fma(x8, a8_0); a7_0 = w1_0.fma(x8, a7_0); a6_0 = w2_0.fma(x8, a6_0);
            a5_0 = w3_0.fma(x8, a5_0); a4_0 = w4_0.fma(x8, a4_0);
            FloatVector x9 = FloatVector.broadcast(S, src[s + 9]);
            a9_0 = w0_0.fma(x9, a9_0); a8_0 = w1_0.fma(x9, a8_0); a7_0 = w2_0.fma(x9, a7_0);
            a6_0 = w3_0.fma(x9, a6_0); a5_0 = w4_0.fma(x9, a5_0);
            FloatVector x10 = FloatVector.broadcast(S, src[s + 10]);
            a10_0 = w0_0.fma(x10, a10_0); a9_0 = w1_0.fma(x10, a9_0); a8_0 = w2_0.fma(x10, a8_0);
            a7_0 = w3_0.fma(x10, a7_0); a6_0 = w4_0.fma(x10, a6_0);
            FloatVector x11 = FloatVector.broadcast(S, src[s + 11]);
            a11_0 = w0_0.fma(x11, a11_0); a10_0 = w1_0.fma(x11, a10_0); a9_0 = w2_0.fma(x11, a9_0);
            a8_0 = w3_0.fma(x11, a8_0); a7_0 = w4_0.fma(x11, a7_0);
            FloatVector x12 = FloatVector.broadcast(S, src[s + 12]);
            a12_0 = w0_0.fma(x12, a12_0); a11_0 = w1_0.fma(x12, a11_0); a10_0 = w2_0.fma(x12, a10_0);
            a9_0 = w3_0.fma(x12, a9_0); a8_0 = w4_0.fma(x12, a8_0);
            FloatVector x13 = FloatVector.broadcast(S, src[s + 13]);
            a13_0 = w0_0.fma(x13, a13_0); a12_0 = w1_0.fma(x13, a12_0); a11_0 = w2_0.fma(x13, a11_0);
            a10_0 = w3_0.fma(x13, a10_0); a9_0 = w4_0.fma(x13, a9_0);
            FloatVector x14 = FloatVector.broadcast(S, src[s + 14]);
            a13_0 = w1_0.fma(x14, a13_0); a12_0 = w2_0.fma(x14, a12_0); a11_0 = w3_0.fma(x14, a11_0);
            a10_0 = w4_0.fma(x14, a10_0);
            FloatVector x15 = FloatVector.broadcast(S, src[s + 15]);
            a13_0 = w2_0.fma(x15, a13_0); a12_0 = w3_0.fma(x15, a12_0); a11_0 = w4_0.fma(x15, a11_0);
            FloatVector x16 = FloatVector.broadcast(S, src[s + 16]);
            a13_0 = w3_0.fma(x16, a13_0); a12_0 = w4_0.fma(x16, a12_0);
            FloatVector x17 = FloatVector.broadcast(S, src[s + 17]);
            a13_0 = w4_0.fma(x17, a13_0);
        }
        a0_0.intoArray(acc, 0 * accRowStride + 0);
        a1_0.intoArray(acc, 1 * accRowStride + 0);
        a2_0.intoArray(acc, 2 * accRowStride + 0);
        a3_0.intoArray(acc, 3 * accRowStride + 0);
        a4_0.intoArray(acc, 4 * accRowStride + 0);
        a5_0.intoArray(acc, 5 * accRowStride + 0);
        a6_0.intoArray(acc, 6 * accRowStride + 0);
        a7_0.intoArray(acc, 7 * accRowStride + 0);
        a8_0.intoArray(acc, 8 * accRowStride + 0);
        a9_0.intoArray(acc, 9 * accRowStride + 0);
        a10_0.intoArray(acc, 10 * accRowStride + 0);
        a11_0.intoArray(acc, 11 * accRowStride + 0);
        a12_0.intoArray(acc, 12 * accRowStride + 0);
        a13_0.intoArray(acc, 13 * accRowStride + 0);
    }
}
