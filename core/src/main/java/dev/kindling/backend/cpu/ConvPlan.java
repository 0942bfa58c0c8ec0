package dev.kindling.backend.cpu;

import dev.kindling.backend.Conv2dGeometry;

/**
 * The index tables and block lists of one {@link DirectConvKernel} call: where each kernel tap and
 * each output pixel starts in a zero-bordered copy of an image, how the output channels are cut
 * into 16-, 32- and 64-channel vector groups, and how pixels (forward) or taps (weight gradient)
 * are cut into tile rows. The address of input value (tap t, pixel p) in the padded image is
 * {@code tapOffset[t] + pixelOffset[p]}, whatever the stride and dilation.
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
    /** Per channel group: its first channel and its vector count. */
    private final int[] groupK0;
    private final int[] groupKv;
    /** Per forward block: its group and first pixel; per weight-gradient block: its group and first tap. */
    private final int[] pixelBlockGroup;
    private final int[] pixelBlockStart;
    private final int[] tapBlockGroup;
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
        int groups = 0;
        for (int k0 = 0; k0 < paddedChannels; k0 += LANES * VectorConvTiles.vectorsFor(paddedChannels - k0)) groups++;
        groupK0 = new int[groups];
        groupKv = new int[groups];
        int pixelBlocks = 0;
        int tapBlocks = 0;
        for (int i = 0, k0 = 0; i < groups; i++) {
            groupK0[i] = k0;
            groupKv[i] = VectorConvTiles.vectorsFor(paddedChannels - k0);
            k0 += LANES * groupKv[i];
            pixelBlocks += ceilDiv(pixels, VectorConvTiles.rows(groupKv[i]));
            tapBlocks += ceilDiv(taps, VectorConvTiles.rows(groupKv[i]));
        }
        pixelBlockGroup = new int[pixelBlocks];
        pixelBlockStart = new int[pixelBlocks];
        tapBlockGroup = new int[tapBlocks];
        tapBlockStart = new int[tapBlocks];
        for (int i = 0, pb = 0, tb = 0; i < groups; i++) {
            int rows = VectorConvTiles.rows(groupKv[i]);
            for (int p0 = 0; p0 < pixels; p0 += rows, pb++) {
                pixelBlockGroup[pb] = i;
                pixelBlockStart[pb] = p0;
            }
            for (int t0 = 0; t0 < taps; t0 += rows, tb++) {
                tapBlockGroup[tb] = i;
                tapBlockStart[tb] = t0;
            }
        }
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

    /** Room for the largest tile: 12 rows by 32 channels or 6 rows by 64. */
    float[] scratchTile() {
        return new float[MAX_ROWS * 2 * LANES];
    }

    /** A zeroed [taps (padded to whole tiles)][channels (padded to 16)] weight-gradient accumulator. */
    float[] newTapAccumulator() {
        return new float[tapOffset.length * paddedChannels];
    }

    int inImage() { return g.channels() * g.height() * g.width(); }

    int outImage() { return channelsOut * pixels; }

    int pixels() { return pixels; }

    int pixelBlocks() { return pixelBlockGroup.length; }

    int tapBlocks() { return tapBlockGroup.length; }

    /** Length of a padded image, plus one so that padded offset tables stay inside it. */
    int paddedLength() { return g.channels() * paddedH * paddedW + 1; }

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
        for (int k = 0; k < channelsOut; k++) {
            int row = at + k * pixels;
            for (int p = 0; p < pixels; p++) gradT[p * paddedChannels + k] = go[row + p];
        }
    }

    /** Writes forward block b of one image: its channel group's outputs for its run of pixels. */
    void outputBlock(int b, float[] padded, float[] packed, float[] tile, float[] bias, int biasAt, float[] out, int outAt) {
        int group = pixelBlockGroup[b];
        int kv = groupKv[group];
        int k0 = groupK0[group];
        int p0 = pixelBlockStart[b];
        int width = kv * LANES;
        int rows = VectorConvTiles.rows(kv);
        java.util.Arrays.fill(tile, 0, rows * width, 0f);
        VectorConvTiles.accumulate(kv, padded, 0, pixelOffset, p0, tapOffset, 0, taps, packed, paddedChannels, k0, tile, 0, width);
        int pn = Math.min(rows, pixels - p0);
        int kn = Math.min(width, channelsOut - k0);
        for (int c = 0; c < kn; c++) {
            float shift = bias == null ? 0f : bias[biasAt + k0 + c];
            int row = outAt + (k0 + c) * pixels + p0;
            for (int i = 0; i < pn; i++) out[row + i] = tile[i * width + c] + shift;
        }
    }

    /** Adds weight-gradient block b of one image (its taps, its channel group) into acc. */
    void tapBlock(int b, float[] padded, float[] gradT, float[] acc) {
        int group = tapBlockGroup[b];
        int t0 = tapBlockStart[b];
        int k0 = groupK0[group];
        VectorConvTiles.accumulate(groupKv[group], padded, 0, tapOffset, t0, pixelOffset, 0, pixels, gradT, paddedChannels, k0,
                acc, t0 * paddedChannels + k0, paddedChannels);
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
