package dev.kindling.backend.cpu;

import dev.kindling.backend.Conv2dGeometry;

/**
 * The index tables and block lists of one {@link DirectConvKernel} call: where each kernel tap and
 * each output pixel starts in a zero-bordered copy of an image, how the output channels are cut
 * into 16-, 32- and 64-channel vector groups, and how pixels (forward) or taps (weight gradient)
 * are cut into tile rows. The address of input value (tap t, pixel p) in the padded image is
 * {@code tapOffset[t] + pixelOffset[p]}, whatever the stride and dilation.
 *
 * <p>When the stride and dilation along a row are 1 and {@link VectorConvRowTiles} has tiles for
 * the kernel width, the forward blocks are 16-channel runs of up to {@link VectorConvRowTiles#width}
 * pixels within one output row instead of runs of the flattened pixels; kernel row q = (c, ky) of
 * the block starting at pixel p starts at {@code rowStart[q] + pixelOffset[p]}. The weight
 * gradient keeps the wider channel groups either way.
 */
final class ConvPlan {
    private static final int LANES = 16;
    /** The most rows a tile takes; the offset tables are padded to a multiple of it with offset 0. */
    private static final int MAX_ROWS = 12;

    private final Conv2dGeometry g;
    private final int channelsOut;
    private final int paddedChannels;
    private final int paddedH;
    private final int paddedW;
    private final int taps;
    private final int pixels;
    private final int[] tapOffset;
    private final int[] pixelOffset;
    /** Where the first 16 output channels' rows start in an image's [K][P] output: c * pixels. */
    private final int[] channelRows;
    /** Per kernel row (c, ky): its start in the padded image. */
    private final int[] rowStart;
    /** Per forward block: its first channel, channel vectors, row-tile width (0: pixel tile), first pixel and pixel count. */
    private final int[] pixelBlockK0;
    private final int[] pixelBlockKv;
    private final int[] pixelBlockRowWidth;
    private final int[] pixelBlockStart;
    private final int[] pixelBlockCount;
    /** Per weight-gradient block: its first channel, channel vectors and first tap. */
    private final int[] tapBlockK0;
    private final int[] tapBlockKv;
    private final int[] tapBlockStart;

    ConvPlan(Conv2dGeometry g, int channelsOut) {
        this.g = g;
        this.channelsOut = channelsOut;
        this.paddedChannels = (channelsOut + LANES - 1) / LANES * LANES;
        this.paddedH = g.height() + 2 * g.padH();
        this.paddedW = g.width() + 2 * g.padW();
        this.taps = g.columnRows();
        this.pixels = g.columnCols();
        this.tapOffset = new int[roundUp(taps)];
        for (int c = 0; c < g.channels(); c++) {
            for (int ky = 0; ky < g.kernelH(); ky++) {
                for (int kx = 0; kx < g.kernelW(); kx++) {
                    tapOffset[(c * g.kernelH() + ky) * g.kernelW() + kx] =
                            (c * paddedH + ky * g.dilationH()) * paddedW + kx * g.dilationW();
                }
            }
        }
        this.pixelOffset = new int[roundUp(pixels)];
        for (int oy = 0; oy < g.outH(); oy++) {
            for (int ox = 0; ox < g.outW(); ox++) {
                pixelOffset[oy * g.outW() + ox] = oy * g.strideH() * paddedW + ox * g.strideW();
            }
        }
        this.channelRows = new int[LANES];
        for (int c = 0; c < LANES; c++) channelRows[c] = c * pixels;
        this.rowStart = new int[g.channels() * g.kernelH()];
        for (int c = 0; c < g.channels(); c++) {
            for (int ky = 0; ky < g.kernelH(); ky++) rowStart[c * g.kernelH() + ky] = (c * paddedH + ky * g.dilationH()) * paddedW;
        }
        int rowWidth = VectorConvRowTiles.applyTo(g) ? VectorConvRowTiles.width(g.outW()) : 0;
        int pixelBlocks = rowWidth > 0 ? paddedChannels / LANES * g.outH() * ceilDiv(g.outW(), rowWidth) : 0;
        int tapBlocks = 0;
        for (int k0 = 0, kv; k0 < paddedChannels; k0 += LANES * kv) {
            kv = VectorConvTiles.vectorsFor(paddedChannels - k0);
            if (rowWidth == 0) pixelBlocks += ceilDiv(pixels, VectorConvTiles.rows(kv));
            tapBlocks += ceilDiv(taps, VectorConvTiles.rows(kv));
        }
        pixelBlockK0 = new int[pixelBlocks];
        pixelBlockKv = new int[pixelBlocks];
        pixelBlockRowWidth = new int[pixelBlocks];
        pixelBlockStart = new int[pixelBlocks];
        pixelBlockCount = new int[pixelBlocks];
        tapBlockK0 = new int[tapBlocks];
        tapBlockKv = new int[tapBlocks];
        tapBlockStart = new int[tapBlocks];
        int pb = 0;
        int tb = 0;
        for (int k0 = 0, kv; k0 < paddedChannels; k0 += LANES * kv) {
            kv = VectorConvTiles.vectorsFor(paddedChannels - k0);
            int rows = VectorConvTiles.rows(kv);
            for (int t0 = 0; t0 < taps; t0 += rows, tb++) {
                tapBlockK0[tb] = k0;
                tapBlockKv[tb] = kv;
                tapBlockStart[tb] = t0;
            }
            if (rowWidth > 0) continue;
            for (int p0 = 0; p0 < pixels; p0 += rows, pb++) setPixelBlock(pb, k0, kv, 0, p0, Math.min(rows, pixels - p0));
        }
        // Row tiles: 16 channels each, group by group so that a group's weights stay in cache.
        for (int k0 = 0; rowWidth > 0 && k0 < paddedChannels; k0 += LANES) {
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox += rowWidth, pb++) {
                    setPixelBlock(pb, k0, 1, rowWidth, oy * g.outW() + ox, Math.min(rowWidth, g.outW() - ox));
                }
            }
        }
    }

    private void setPixelBlock(int b, int k0, int kv, int rowWidth, int start, int count) {
        pixelBlockK0[b] = k0;
        pixelBlockKv[b] = kv;
        pixelBlockRowWidth[b] = rowWidth;
        pixelBlockStart[b] = start;
        pixelBlockCount[b] = count;
    }

    /** A worker's buffers: one padded image, one tile and (weight gradient only) one transposed output gradient. */
    static final class Scratch {
        final float[] padded;
        final float[] tile;
        final float[] gradT;

        private Scratch(float[] padded, float[] tile, float[] gradT) {
            this.padded = padded;
            this.tile = tile;
            this.gradT = gradT;
        }
    }

    /** A worker's buffers; the transposed gradient (pixels x channels, 0.8 MB for 56x56x64) only when asked for. */
    Scratch scratch(boolean withGradient) {
        return new Scratch(new float[paddedLength()], scratchTile(), withGradient ? new float[pixels * paddedChannels] : null);
    }

    /**
     * Room for the largest tile (14 rows by 16 channels, 12 by 32 or 6 by 64), and for the 16 rows by 64
     * channels that {@link VectorConvTiles#storeTransposed}'s gathers index, masked lanes included.
     */
    float[] scratchTile() {
        return new float[LANES * 4 * LANES];
    }

    /** A zeroed [taps (padded to whole tiles)][channels (padded to 16)] weight-gradient accumulator. */
    float[] newTapAccumulator() {
        return new float[tapOffset.length * paddedChannels];
    }

    int inImage() { return g.channels() * g.height() * g.width(); }

    int outImage() { return channelsOut * pixels; }

    int pixels() { return pixels; }

    int pixelBlocks() { return pixelBlockStart.length; }

    int tapBlocks() { return tapBlockStart.length; }

    /**
     * Length of a padded image, plus room for what the tiles read beyond it: offset 0 of the padded
     * offset tables, and a row tile's discarded pixels past the last row.
     */
    int paddedLength() { return g.channels() * paddedH * paddedW + VectorConvRowTiles.MAX_READ; }

    /**
     * The weights [K, C, kH, kW] at w[at...] packed as [taps][channels padded to 16]; with
     * transposed, the input gradient's weights instead: w read as [C', K', kH, kW] (this plan's
     * input channels first), its two channel dims swapped and its kernel flipped.
     */
    float[] packWeights(float[] w, int at, boolean transposed) {
        float[] packed = new float[taps * paddedChannels];
        int kh = g.kernelH();
        int kw = g.kernelW();
        int cin = g.channels();
        for (int k = 0; k < channelsOut; k++) {
            for (int c = 0; c < cin; c++) {
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        int source = transposed
                                ? at + ((c * channelsOut + k) * kh + (kh - 1 - ky)) * kw + (kw - 1 - kx)
                                : at + ((k * cin + c) * kh + ky) * kw + kx;
                        packed[((c * kh + ky) * kw + kx) * paddedChannels + k] = w[source];
                    }
                }
            }
        }
        return packed;
    }

    /** Copies the image at x[at...] into the interior of padded, whose border stays zero. */
    void padImage(float[] x, int at, float[] padded) {
        int h = g.height();
        int w = g.width();
        for (int c = 0; c < g.channels(); c++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(x, at + (c * h + y) * w, padded, (c * paddedH + y + g.padH()) * paddedW + g.padW(), w);
            }
        }
    }

    /** gradT[p][k] = the output gradient [K][P] at go[at...]; the padding channels stay zero. */
    void transposeGradient(float[] go, int at, float[] gradT) {
        // Whole 16-channel groups by gathers, a pixel per gather: the scalar loop below took 5
        // cycles an element (1.5 of 5.4 ms for the 3x3 64-channel layer's weight gradient).
        int whole = channelsOut / LANES * LANES;
        for (int k0 = 0; k0 < whole; k0 += LANES) {
            VectorConvTiles.gatherColumns(go, at + k0 * pixels, channelRows, pixels, gradT, k0, paddedChannels);
        }
        for (int k = whole; k < channelsOut; k++) {
            int row = at + k * pixels;
            for (int p = 0; p < pixels; p++) gradT[p * paddedChannels + k] = go[row + p];
        }
    }

    /** Writes forward block b of one image: its channel group's outputs for its run of pixels. */
    void outputBlock(int b, float[] padded, float[] packed, float[] tile, float[] bias, int biasAt, float[] out, int outAt) {
        int kv = pixelBlockKv[b];
        int k0 = pixelBlockK0[b];
        int p0 = pixelBlockStart[b];
        int width = kv * LANES;
        int rowWidth = pixelBlockRowWidth[b];
        java.util.Arrays.fill(tile, 0, (rowWidth > 0 ? rowWidth : VectorConvTiles.rows(kv)) * width, 0f);
        if (rowWidth > 0) {
            VectorConvRowTiles.accumulate(rowWidth, g.kernelW(), padded, pixelOffset[p0], rowStart, 0, rowStart.length,
                    packed, paddedChannels, k0, tile, width);
        } else {
            VectorConvTiles.accumulate(kv, padded, 0, pixelOffset, p0, tapOffset, 0, taps, packed, paddedChannels, k0, tile, 0, width);
        }
        VectorConvTiles.storeTransposed(tile, width, pixelBlockCount[b], Math.min(width, channelsOut - k0), bias,
                bias == null ? 0 : biasAt + k0, out, outAt + k0 * pixels + p0, pixels);
    }

    /**
     * Adds weight-gradient block b of one image (its taps, its channel group), summed over the
     * output pixels [p0, p1), into acc.
     */
    void tapBlock(int b, int p0, int p1, float[] padded, float[] gradT, float[] acc) {
        int t0 = tapBlockStart[b];
        int k0 = tapBlockK0[b];
        VectorConvTiles.accumulate(tapBlockKv[b], padded, 0, tapOffset, t0, pixelOffset, p0, p1, gradT, paddedChannels, k0,
                acc, t0 * paddedChannels + k0, paddedChannels);
    }

    /**
     * Output pixels per pass of the weight gradient over all its tap blocks: their rows of the
     * transposed gradient (at most 16 KB) stay in the L1 cache while every tap block reads them,
     * where a pass over all of an image's pixels per block streamed them from L2.
     */
    int pixelChunk() {
        return Math.max(LANES, 4096 / paddedChannels);
    }

    /** gradWeight [K, taps] at gw[at...] = the sum of the workers' [taps][channels] accumulators, in order. */
    void unpackWeightGradient(Iterable<float[]> parts, float[] gw, int at) {
        java.util.Arrays.fill(gw, at, at + channelsOut * taps, 0f);
        for (float[] acc : parts) {
            for (int k = 0; k < channelsOut; k++) {
                int row = at + k * taps;
                for (int t = 0; t < taps; t++) gw[row + t] += acc[t * paddedChannels + k];
            }
        }
    }

    private static int roundUp(int n) {
        return ceilDiv(n, MAX_ROWS) * MAX_ROWS;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
