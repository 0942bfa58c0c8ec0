package dev.kindling.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tiles of {@link DirectConvKernel}: sums of products where one factor is a vector of
 * 16 output channels and the other one input value broadcast to all lanes,
 * <pre>
 *   acc[accBase + i*accRowStride + c] += sum over u in [u0, u1) of
 *       vec[u*vecStride + k0 + c] * src[srcBase + rowOff[rowFrom + i] + inner[u]]
 * </pre>
 * for rows i of the tile and channels c in [0, 16 kv). The forward pass takes rows = output pixels
 * and u = kernel taps (vec = the packed weights); the weight gradient takes rows = taps and
 * u = output pixels (vec = the transposed output gradient).
 *
 * <p>Each tile is written out by hand with its accumulators in locals: C2 keeps them in the 32
 * AVX-512 registers only then (an accumulator array, or a loop over rows, spills them to the
 * stack). Three shapes, chosen by how many channels are left: 1 x 12 (12 accumulators, one
 * weight load per 12 FMAs), 2 x 12 and 4 x 6 (24 accumulators: 10 loads per 24 FMAs). The vector
 * species is fixed at 16 floats because the tiles are laid out in 16-channel blocks; on hardware
 * with narrower vectors the Vector API splits each operation, correct but slower.
 */
final class VectorConvTiles {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    /** Channels per vector. */
    static final int LANES = 16;
    /** Gather indices of the 16 rows of a tile 16, 32 or 64 channels wide. */
    private static final int[] ROWS_OF_16 = rowStarts(LANES);
    private static final int[] ROWS_OF_32 = rowStarts(2 * LANES);
    private static final int[] ROWS_OF_64 = rowStarts(4 * LANES);

    private VectorConvTiles() {}

    /** Rows of the tile that takes kv channel vectors. */
    static int rows(int kv) {
        return kv == 4 ? 6 : 12;
    }

    /** Channel vectors (1, 2 or 4) of the tile for the channels [k0, kPadded) that are left. */
    static int vectorsFor(int channelsLeft) {
        return channelsLeft >= 4 * LANES ? 4 : channelsLeft >= 2 * LANES ? 2 : 1;
    }

    /** Adds one tile of kv channel vectors and {@link #rows(int)} rows; see the class comment. */
    static void accumulate(int kv, float[] src, int srcBase, int[] rowOff, int rowFrom, int[] inner, int u0, int u1,
                           float[] vec, int vecStride, int k0, float[] acc, int accBase, int accRowStride) {
        switch (kv) {
            case 1 -> tile1x12(src, srcBase, rowOff, rowFrom, inner, u0, u1, vec, vecStride, k0, acc, accBase, accRowStride);
            case 2 -> tile2x12(src, srcBase, rowOff, rowFrom, inner, u0, u1, vec, vecStride, k0, acc, accBase, accRowStride);
            case 4 -> tile4x6(src, srcBase, rowOff, rowFrom, inner, u0, u1, vec, vecStride, k0, acc, accBase, accRowStride);
            default -> throw new IllegalArgumentException("conv2d tile: channel vectors must be 1, 2 or 4 but got " + kv);
        }
    }

    /**
     * out[at + c*outStride + i] = tile[i*width + c] (+ bias[biasAt + c]) for pixels i &lt; pixels and
     * channels c &lt; channels: a tile's [pixel][channel] sums written to the [channel][pixel] output.
     * tile must hold 16 rows of width (the gather checks the indices of masked lanes too).
     * A masked gather per channel; the scalar loop it replaced cost as much as the tile itself on
     * LeNet-5's second layer (16 channels x 10 pixels per tile).
     */
    static void storeTransposed(float[] tile, int width, int pixels, int channels, float[] bias, int biasAt, float[] out,
                                int at, int outStride) {
        int[] index = width == LANES ? ROWS_OF_16 : width == 2 * LANES ? ROWS_OF_32 : ROWS_OF_64;
        VectorMask<Float> valid = S.indexInRange(0, pixels);
        for (int c = 0; c < channels; c++) {
            FloatVector v = FloatVector.fromArray(S, tile, c, index, 0, valid);
            if (bias != null) v = v.add(bias[biasAt + c]);
            v.intoArray(out, at + c * outStride, valid);
        }
    }

    /**
     * dst[dstAt + p*dstStride + c] = src[at + rows[c] + p] for p &lt; count and the 16 lanes c: 16
     * rows of src written as columns, one gather per column.
     */
    static void gatherColumns(float[] src, int at, int[] rows, int count, float[] dst, int dstAt, int dstStride) {
        for (int p = 0; p < count; p++) FloatVector.fromArray(S, src, at + p, rows, 0).intoArray(dst, dstAt + p * dstStride);
    }

    private static int[] rowStarts(int width) {
        int[] index = new int[LANES];
        for (int i = 0; i < LANES; i++) index[i] = i * width;
        return index;
    }

    /** 1 channel vector x 12 rows; see {@link #accumulate}. */
    private static void tile1x12(float[] src, int srcBase, int[] rowOff, int rowFrom, int[] inner, int u0, int u1,
                                 float[] vec, int vecStride, int k0, float[] acc, int accBase, int accRowStride) {
        int r0 = srcBase + rowOff[rowFrom + 0];
        int r1 = srcBase + rowOff[rowFrom + 1];
        int r2 = srcBase + rowOff[rowFrom + 2];
        int r3 = srcBase + rowOff[rowFrom + 3];
        int r4 = srcBase + rowOff[rowFrom + 4];
        int r5 = srcBase + rowOff[rowFrom + 5];
        int r6 = srcBase + rowOff[rowFrom + 6];
        int r7 = srcBase + rowOff[rowFrom + 7];
        int r8 = srcBase + rowOff[rowFrom + 8];
        int r9 = srcBase + rowOff[rowFrom + 9];
        int r10 = srcBase + rowOff[rowFrom + 10];
        int r11 = srcBase + rowOff[rowFrom + 11];
        FloatVector a00 = FloatVector.fromArray(S, acc, accBase + 0 * accRowStride + 0);
        FloatVector a10 = FloatVector.fromArray(S, acc, accBase + 1 * accRowStride + 0);
        FloatVector a20 = FloatVector.fromArray(S, acc, accBase + 2 * accRowStride + 0);
        FloatVector a30 = FloatVector.fromArray(S, acc, accBase + 3 * accRowStride + 0);
        FloatVector a40 = FloatVector.fromArray(S, acc, accBase + 4 * accRowStride + 0);
        FloatVector a50 = FloatVector.fromArray(S, acc, accBase + 5 * accRowStride + 0);
        FloatVector a60 = FloatVector.fromArray(S, acc, accBase + 6 * accRowStride + 0);
        FloatVector a70 = FloatVector.fromArray(S, acc, accBase + 7 * accRowStride + 0);
        FloatVector a80 = FloatVector.fromArray(S, acc, accBase + 8 * accRowStride + 0);
        FloatVector a90 = FloatVector.fromArray(S, acc, accBase + 9 * accRowStride + 0);
        FloatVector a100 = FloatVector.fromArray(S, acc, accBase + 10 * accRowStride + 0);
        FloatVector a110 = FloatVector.fromArray(S, acc, accBase + 11 * accRowStride + 0);
        for (int u = u0; u < u1; u++) {
            int v = u * vecStride + k0;
            int b = inner[u];
            FloatVector w0 = FloatVector.fromArray(S, vec, v + 0);
            FloatVector x0 = FloatVector.broadcast(S, src[b + r0]);
            a00 = w0.fma(x0, a00);
            FloatVector x1 = FloatVector.broadcast(S, src[b + r1]);
            a10 = w0.fma(x1, a10);
            FloatVector x2 = FloatVector.broadcast(S, src[b + r2]);
            a20 = w0.fma(x2, a20);
            FloatVector x3 = FloatVector.broadcast(S, src[b + r3]);
            a30 = w0.fma(x3, a30);
            FloatVector x4 = FloatVector.broadcast(S, src[b + r4]);
            a40 = w0.fma(x4, a40);
            FloatVector x5 = FloatVector.broadcast(S, src[b + r5]);
            a50 = w0.fma(x5, a50);
            FloatVector x6 = FloatVector.broadcast(S, src[b + r6]);
            a60 = w0.fma(x6, a60);
            FloatVector x7 = FloatVector.broadcast(S, src[b + r7]);
            a70 = w0.fma(x7, a70);
            FloatVector x8 = FloatVector.broadcast(S, src[b + r8]);
            a80 = w0.fma(x8, a80);
            FloatVector x9 = FloatVector.broadcast(S, src[b + r9]);
            a90 = w0.fma(x9, a90);
            FloatVector x10 = FloatVector.broadcast(S, src[b + r10]);
            a100 = w0.fma(x10, a100);
            FloatVector x11 = FloatVector.broadcast(S, src[b + r11]);
            a110 = w0.fma(x11, a110);
        }
        a00.intoArray(acc, accBase + 0 * accRowStride + 0);
        a10.intoArray(acc, accBase + 1 * accRowStride + 0);
        a20.intoArray(acc, accBase + 2 * accRowStride + 0);
        a30.intoArray(acc, accBase + 3 * accRowStride + 0);
        a40.intoArray(acc, accBase + 4 * accRowStride + 0);
        a50.intoArray(acc, accBase + 5 * accRowStride + 0);
        a60.intoArray(acc, accBase + 6 * accRowStride + 0);
        a70.intoArray(acc, accBase + 7 * accRowStride + 0);
        a80.intoArray(acc, accBase + 8 * accRowStride + 0);
        a90.intoArray(acc, accBase + 9 * accRowStride + 0);
        a100.intoArray(acc, accBase + 10 * accRowStride + 0);
        a110.intoArray(acc, accBase + 11 * accRowStride + 0);
    }

    /** 2 channel vectors x 12 rows; see {@link #accumulate}. */
    private static void tile2x12(float[] src, int srcBase, int[] rowOff, int rowFrom, int[] inner, int u0, int u1,
                                 float[] vec, int vecStride, int k0, float[] acc, int accBase, int accRowStride) {
        int r0 = srcBase + rowOff[rowFrom + 0];
        int r1 = srcBase + rowOff[rowFrom + 1];
        int r2 = srcBase + rowOff[rowFrom + 2];
        int r3 = srcBase + rowOff[rowFrom + 3];
        int r4 = srcBase + rowOff[rowFrom + 4];
        int r5 = srcBase + rowOff[rowFrom + 5];
        int r6 = srcBase + rowOff[rowFrom + 6];
        int r7 = srcBase + rowOff[rowFrom + 7];
        int r8 = srcBase + rowOff[rowFrom + 8];
        int r9 = srcBase + rowOff[rowFrom + 9];
        int r10 = srcBase + rowOff[rowFrom + 10];
        int r11 = srcBase + rowOff[rowFrom + 11];
        FloatVector a00 = FloatVector.fromArray(S, acc, accBase + 0 * accRowStride + 0);
        FloatVector a01 = FloatVector.fromArray(S, acc, accBase + 0 * accRowStride + 16);
        FloatVector a10 = FloatVector.fromArray(S, acc, accBase + 1 * accRowStride + 0);
        FloatVector a11 = FloatVector.fromArray(S, acc, accBase + 1 * accRowStride + 16);
        FloatVector a20 = FloatVector.fromArray(S, acc, accBase + 2 * accRowStride + 0);
        FloatVector a21 = FloatVector.fromArray(S, acc, accBase + 2 * accRowStride + 16);
        FloatVector a30 = FloatVector.fromArray(S, acc, accBase + 3 * accRowStride + 0);
        FloatVector a31 = FloatVector.fromArray(S, acc, accBase + 3 * accRowStride + 16);
        FloatVector a40 = FloatVector.fromArray(S, acc, accBase + 4 * accRowStride + 0);
        FloatVector a41 = FloatVector.fromArray(S, acc, accBase + 4 * accRowStride + 16);
        FloatVector a50 = FloatVector.fromArray(S, acc, accBase + 5 * accRowStride + 0);
        FloatVector a51 = FloatVector.fromArray(S, acc, accBase + 5 * accRowStride + 16);
        FloatVector a60 = FloatVector.fromArray(S, acc, accBase + 6 * accRowStride + 0);
        FloatVector a61 = FloatVector.fromArray(S, acc, accBase + 6 * accRowStride + 16);
        FloatVector a70 = FloatVector.fromArray(S, acc, accBase + 7 * accRowStride + 0);
        FloatVector a71 = FloatVector.fromArray(S, acc, accBase + 7 * accRowStride + 16);
        FloatVector a80 = FloatVector.fromArray(S, acc, accBase + 8 * accRowStride + 0);
        FloatVector a81 = FloatVector.fromArray(S, acc, accBase + 8 * accRowStride + 16);
        FloatVector a90 = FloatVector.fromArray(S, acc, accBase + 9 * accRowStride + 0);
        FloatVector a91 = FloatVector.fromArray(S, acc, accBase + 9 * accRowStride + 16);
        FloatVector a100 = FloatVector.fromArray(S, acc, accBase + 10 * accRowStride + 0);
        FloatVector a101 = FloatVector.fromArray(S, acc, accBase + 10 * accRowStride + 16);
        FloatVector a110 = FloatVector.fromArray(S, acc, accBase + 11 * accRowStride + 0);
        FloatVector a111 = FloatVector.fromArray(S, acc, accBase + 11 * accRowStride + 16);
        for (int u = u0; u < u1; u++) {
            int v = u * vecStride + k0;
            int b = inner[u];
            FloatVector w0 = FloatVector.fromArray(S, vec, v + 0);
            FloatVector w1 = FloatVector.fromArray(S, vec, v + 16);
            FloatVector x0 = FloatVector.broadcast(S, src[b + r0]);
            a00 = w0.fma(x0, a00); a01 = w1.fma(x0, a01);
            FloatVector x1 = FloatVector.broadcast(S, src[b + r1]);
            a10 = w0.fma(x1, a10); a11 = w1.fma(x1, a11);
            FloatVector x2 = FloatVector.broadcast(S, src[b + r2]);
            a20 = w0.fma(x2, a20); a21 = w1.fma(x2, a21);
            FloatVector x3 = FloatVector.broadcast(S, src[b + r3]);
            a30 = w0.fma(x3, a30); a31 = w1.fma(x3, a31);
            FloatVector x4 = FloatVector.broadcast(S, src[b + r4]);
            a40 = w0.fma(x4, a40); a41 = w1.fma(x4, a41);
            FloatVector x5 = FloatVector.broadcast(S, src[b + r5]);
            a50 = w0.fma(x5, a50); a51 = w1.fma(x5, a51);
            FloatVector x6 = FloatVector.broadcast(S, src[b + r6]);
            a60 = w0.fma(x6, a60); a61 = w1.fma(x6, a61);
            FloatVector x7 = FloatVector.broadcast(S, src[b + r7]);
            a70 = w0.fma(x7, a70); a71 = w1.fma(x7, a71);
            FloatVector x8 = FloatVector.broadcast(S, src[b + r8]);
            a80 = w0.fma(x8, a80); a81 = w1.fma(x8, a81);
            FloatVector x9 = FloatVector.broadcast(S, src[b + r9]);
            a90 = w0.fma(x9, a90); a91 = w1.fma(x9, a91);
            FloatVector x10 = FloatVector.broadcast(S, src[b + r10]);
            a100 = w0.fma(x10, a100); a101 = w1.fma(x10, a101);
            FloatVector x11 = FloatVector.broadcast(S, src[b + r11]);
            a110 = w0.fma(x11, a110); a111 = w1.fma(x11, a111);
        }
        a00.intoArray(acc, accBase + 0 * accRowStride + 0);
        a01.intoArray(acc, accBase + 0 * accRowStride + 16);
        a10.intoArray(acc, accBase + 1 * accRowStride + 0);
        a11.intoArray(acc, accBase + 1 * accRowStride + 16);
        a20.intoArray(acc, accBase + 2 * accRowStride + 0);
        a21.intoArray(acc, accBase + 2 * accRowStride + 16);
        a30.intoArray(acc, accBase + 3 * accRowStride + 0);
        a31.intoArray(acc, accBase + 3 * accRowStride + 16);
        a40.intoArray(acc, accBase + 4 * accRowStride + 0);
        a41.intoArray(acc, accBase + 4 * accRowStride + 16);
        a50.intoArray(acc, accBase + 5 * accRowStride + 0);
        a51.intoArray(acc, accBase + 5 * accRowStride + 16);
        a60.intoArray(acc, accBase + 6 * accRowStride + 0);
        a61.intoArray(acc, accBase + 6 * accRowStride + 16);
        a70.intoArray(acc, accBase + 7 * accRowStride + 0);
        a71.intoArray(acc, accBase + 7 * accRowStride + 16);
        a80.intoArray(acc, accBase + 8 * accRowStride + 0);
        a81.intoArray(acc, accBase + 8 * accRowStride + 16);
        a90.intoArray(acc, accBase + 9 * accRowStride + 0);
        a91.intoArray(acc, accBase + 9 * accRowStride + 16);
        a100.intoArray(acc, accBase + 10 * accRowStride + 0);
        a101.intoArray(acc, accBase + 10 * accRowStride + 16);
        a110.intoArray(acc, accBase + 11 * accRowStride + 0);
        a111.intoArray(acc, accBase + 11 * accRowStride + 16);
    }

    /** 4 channel vectors x 6 rows; see {@link #accumulate}. */
    private static void tile4x6(float[] src, int srcBase, int[] rowOff, int rowFrom, int[] inner, int u0, int u1,
                                 float[] vec, int vecStride, int k0, float[] acc, int accBase, int accRowStride) {
        int r0 = srcBase + rowOff[rowFrom + 0];
        int r1 = srcBase + rowOff[rowFrom + 1];
        int r2 = srcBase + rowOff[rowFrom + 2];
        int r3 = srcBase + rowOff[rowFrom + 3];
        int r4 = srcBase + rowOff[rowFrom + 4];
        int r5 = srcBase + rowOff[rowFrom + 5];
        FloatVector a00 = FloatVector.fromArray(S, acc, accBase + 0 * accRowStride + 0);
        FloatVector a01 = FloatVector.fromArray(S, acc, accBase + 0 * accRowStride + 16);
        FloatVector a02 = FloatVector.fromArray(S, acc, accBase + 0 * accRowStride + 32);
        FloatVector a03 = FloatVector.fromArray(S, acc, accBase + 0 * accRowStride + 48);
        FloatVector a10 = FloatVector.fromArray(S, acc, accBase + 1 * accRowStride + 0);
        FloatVector a11 = FloatVector.fromArray(S, acc, accBase + 1 * accRowStride + 16);
        FloatVector a12 = FloatVector.fromArray(S, acc, accBase + 1 * accRowStride + 32);
        FloatVector a13 = FloatVector.fromArray(S, acc, accBase + 1 * accRowStride + 48);
        FloatVector a20 = FloatVector.fromArray(S, acc, accBase + 2 * accRowStride + 0);
        FloatVector a21 = FloatVector.fromArray(S, acc, accBase + 2 * accRowStride + 16);
        FloatVector a22 = FloatVector.fromArray(S, acc, accBase + 2 * accRowStride + 32);
        FloatVector a23 = FloatVector.fromArray(S, acc, accBase + 2 * accRowStride + 48);
        FloatVector a30 = FloatVector.fromArray(S, acc, accBase + 3 * accRowStride + 0);
        FloatVector a31 = FloatVector.fromArray(S, acc, accBase + 3 * accRowStride + 16);
        FloatVector a32 = FloatVector.fromArray(S, acc, accBase + 3 * accRowStride + 32);
        FloatVector a33 = FloatVector.fromArray(S, acc, accBase + 3 * accRowStride + 48);
        FloatVector a40 = FloatVector.fromArray(S, acc, accBase + 4 * accRowStride + 0);
        FloatVector a41 = FloatVector.fromArray(S, acc, accBase + 4 * accRowStride + 16);
        FloatVector a42 = FloatVector.fromArray(S, acc, accBase + 4 * accRowStride + 32);
        FloatVector a43 = FloatVector.fromArray(S, acc, accBase + 4 * accRowStride + 48);
        FloatVector a50 = FloatVector.fromArray(S, acc, accBase + 5 * accRowStride + 0);
        FloatVector a51 = FloatVector.fromArray(S, acc, accBase + 5 * accRowStride + 16);
        FloatVector a52 = FloatVector.fromArray(S, acc, accBase + 5 * accRowStride + 32);
        FloatVector a53 = FloatVector.fromArray(S, acc, accBase + 5 * accRowStride + 48);
        for (int u = u0; u < u1; u++) {
            int v = u * vecStride + k0;
            int b = inner[u];
            FloatVector w0 = FloatVector.fromArray(S, vec, v + 0);
            FloatVector w1 = FloatVector.fromArray(S, vec, v + 16);
            FloatVector w2 = FloatVector.fromArray(S, vec, v + 32);
            FloatVector w3 = FloatVector.fromArray(S, vec, v + 48);
            FloatVector x0 = FloatVector.broadcast(S, src[b + r0]);
            a00 = w0.fma(x0, a00); a01 = w1.fma(x0, a01); a02 = w2.fma(x0, a02); a03 = w3.fma(x0, a03);
            FloatVector x1 = FloatVector.broadcast(S, src[b + r1]);
            a10 = w0.fma(x1, a10); a11 = w1.fma(x1, a11); a12 = w2.fma(x1, a12); a13 = w3.fma(x1, a13);
            FloatVector x2 = FloatVector.broadcast(S, src[b + r2]);
            a20 = w0.fma(x2, a20); a21 = w1.fma(x2, a21); a22 = w2.fma(x2, a22); a23 = w3.fma(x2, a23);
            FloatVector x3 = FloatVector.broadcast(S, src[b + r3]);
            a30 = w0.fma(x3, a30); a31 = w1.fma(x3, a31); a32 = w2.fma(x3, a32); a33 = w3.fma(x3, a33);
            FloatVector x4 = FloatVector.broadcast(S, src[b + r4]);
            a40 = w0.fma(x4, a40); a41 = w1.fma(x4, a41); a42 = w2.fma(x4, a42); a43 = w3.fma(x4, a43);
            FloatVector x5 = FloatVector.broadcast(S, src[b + r5]);
            a50 = w0.fma(x5, a50); a51 = w1.fma(x5, a51); a52 = w2.fma(x5, a52); a53 = w3.fma(x5, a53);
        }
        a00.intoArray(acc, accBase + 0 * accRowStride + 0);
        a01.intoArray(acc, accBase + 0 * accRowStride + 16);
        a02.intoArray(acc, accBase + 0 * accRowStride + 32);
        a03.intoArray(acc, accBase + 0 * accRowStride + 48);
        a10.intoArray(acc, accBase + 1 * accRowStride + 0);
        a11.intoArray(acc, accBase + 1 * accRowStride + 16);
        a12.intoArray(acc, accBase + 1 * accRowStride + 32);
        a13.intoArray(acc, accBase + 1 * accRowStride + 48);
        a20.intoArray(acc, accBase + 2 * accRowStride + 0);
        a21.intoArray(acc, accBase + 2 * accRowStride + 16);
        a22.intoArray(acc, accBase + 2 * accRowStride + 32);
        a23.intoArray(acc, accBase + 2 * accRowStride + 48);
        a30.intoArray(acc, accBase + 3 * accRowStride + 0);
        a31.intoArray(acc, accBase + 3 * accRowStride + 16);
        a32.intoArray(acc, accBase + 3 * accRowStride + 32);
        a33.intoArray(acc, accBase + 3 * accRowStride + 48);
        a40.intoArray(acc, accBase + 4 * accRowStride + 0);
        a41.intoArray(acc, accBase + 4 * accRowStride + 16);
        a42.intoArray(acc, accBase + 4 * accRowStride + 32);
        a43.intoArray(acc, accBase + 4 * accRowStride + 48);
        a50.intoArray(acc, accBase + 5 * accRowStride + 0);
        a51.intoArray(acc, accBase + 5 * accRowStride + 16);
        a52.intoArray(acc, accBase + 5 * accRowStride + 32);
        a53.intoArray(acc, accBase + 5 * accRowStride + 48);
    }
}
