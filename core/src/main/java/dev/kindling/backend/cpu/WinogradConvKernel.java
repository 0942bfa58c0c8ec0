package dev.kindling.backend.cpu;

import dev.kindling.backend.Conv2dGeometry;
import dev.kindling.backend.StridedView;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 3x3 convolutions with stride and dilation 1 by Winograd's minimal filtering
 * F(4x4, 3x3) (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2016): each
 * 4x4 block of output pixels is {@code A^T [(G g G^T) .* (B^T d B)] A} for the 6x6 input tile d
 * under it, so the 144 multiply-adds per channel pair and block of the direct convolution become
 * 36 (the element-wise products, summed over input channels as 36 independent matrix products).
 * The transforms cost little beside that because they are shared: B^T d B once per input channel
 * and tile for all output channels, A^T m A once per output channel and tile.
 *
 * <p>Data flow of a call, per image: the image is copied channel-last into a zero-bordered buffer
 * (so a tile's 16 channels are one vector and edges need no cases); then per block of tile rows,
 * the input tiles are transformed into V[36][tiles][C], the 36 products M[p] = V[p] U[p] run in
 * register tiles of 64 output channels by 6 tiles (4 weight loads and 6 broadcasts per 24 FMAs),
 * and the output transform writes each block's pixels, staged channel-last, to the NCHW output by
 * gathers. The transformed weights U[36][C][K] are computed in double once per call. A block
 * holds about {@code kindling.conv.winogradTiles} tiles (default 48), so that V and M of a block
 * stay in the L2 cache while the products sweep them.
 *
 * <p>Accuracy: F(4x4, 3x3) rounds more than a direct sum, because its transforms mix each tile's
 * values with constants above 1 and cancel them again. With Lavin's interpolation points 0, +-1,
 * +-2 the largest error on a 64-channel layer was 5.7x the direct kernel's; the points 0, 1, -1,
 * 1/2, -2 used here (constants within 2.5 in B and 8 in A, powers of two in A) bring it to 2.2x
 * the direct kernel's largest error and 2.6x its mean ({@code WinogradConvKernelTest}, against
 * a double-precision convolution). The same family of algorithms runs in cuDNN's and NNPACK's
 * float32 convolutions; {@code -Dkindling.conv.winograd=false} sends these layers back to
 * {@link DirectConvKernel}.
 */
final class WinogradConvKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int LANES = 16;
    /** Positions of a transformed 6x6 tile. */
    private static final int P = 36;
    /** Tiles per register tile of the products. */
    private static final int GROUP = 6;
    /** Output channels of the widest register tile of the products. */
    private static final int WIDE = 4 * LANES;
    /** Gather indices of 16 pixels of a channel-last staging row. */
    private static final int[] PIXELS_OF_16 = new int[LANES];
    static {
        for (int i = 0; i < LANES; i++) PIXELS_OF_16[i] = i * LANES;
    }

    /**
     * Fewest input and output channels, and output rows and columns, that take this kernel: fewer
     * channels leave most of the products' register tiles idle and make the transforms dominate;
     * smaller images leave most 4x4 blocks partial. Small layers keep the direct kernel's smaller
     * rounding error (see the class comment).
     */
    static final int MIN_CHANNELS = 32;
    static final int MIN_OUTPUT_SIDE = 8;

    private static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("kindling.conv.winograd", "true"))
            && DirectConvKernel.enabled();
    private static final int TARGET_TILES = Math.max(GROUP, Integer.getInteger("kindling.conv.winogradTiles", 48));

    /**
     * G of F(4x4, 3x3) with the interpolation points 0, 1, -1, 1/2, -2 and infinity: the weight
     * transform's 6x3 matrix. Lavin's points 0, +-1, +-2 put 4, 5 and 8 into the transforms; these
     * keep B's entries within 2.5 and halve the largest error (see the class comment).
     */
    private static final double[][] G = {
            {1, 0, 0},
            {1 / 3.0, 1 / 3.0, 1 / 3.0},
            {-1 / 3.0, 1 / 3.0, -1 / 3.0},
            {-16 / 15.0, -8 / 15.0, -4 / 15.0},
            {1 / 15.0, -2 / 15.0, 4 / 15.0},
            {0, 0, 1}};

    private WinogradConvKernel() {}

    /**
     * True when a convolution of geometry g into channelsOut channels runs here: a 3x3 kernel,
     * stride and dilation 1, at least {@link #MIN_CHANNELS} channels in and out, an output of at
     * least {@link #MIN_OUTPUT_SIDE} rows and columns, and the kernel not switched off.
     */
    static boolean applyTo(Conv2dGeometry g, int channelsOut) {
        return ENABLED && g.kernelH() == 3 && g.kernelW() == 3 && g.strideH() == 1 && g.strideW() == 1
                && g.dilationH() == 1 && g.dilationW() == 1 && g.channels() >= MIN_CHANNELS && channelsOut >= MIN_CHANNELS
                && g.outH() >= MIN_OUTPUT_SIDE && g.outW() >= MIN_OUTPUT_SIDE;
    }

    /** True when the forward of x (*) w (+ bias) into out runs here: as {@link #applyTo}, one group, contiguous float32 arrays. */
    static boolean supports(Conv2dGeometry g, StridedView w, StridedView... operands) {
        return applyTo(g, w.shape()[0]) && w.shape()[1] == g.channels() && DirectConvKernel.supports(g, w, operands);
    }

    /** True when the input gradient of the convolution g with weights w runs here (its transposed form is a forward this kernel takes). */
    static boolean supportsInputGradient(Conv2dGeometry g, StridedView w) {
        return DirectConvKernel.supportsInputGradient(g) && applyTo(transposed(g, w.shape()[0]), g.channels());
    }

    static void forward(StridedView x, StridedView w, StridedView bias, Conv2dGeometry g, StridedView out) {
        int k = w.shape()[0];
        Plan plan = plan(g, k, x.shape()[0]);
        float[] u = plan.transformWeights(array(w), w.storageOffset(), false);
        float[] b = new float[plan.kp];
        if (bias != null) System.arraycopy(array(bias), bias.storageOffset(), b, 0, k);
        convolve(array(x), x.storageOffset(), x.shape()[0], plan, u, b, array(out), out.storageOffset());
    }

    /** gradInput = the input gradient of the stride-1 convolution g: the convolution of gradOut with w flipped and transposed. */
    static void inputGradient(StridedView gradOut, StridedView w, Conv2dGeometry g, StridedView gradInput) {
        Plan plan = plan(transposed(g, w.shape()[0]), g.channels(), gradOut.shape()[0]);
        float[] u = plan.transformWeights(array(w), w.storageOffset(), true);
        convolve(array(gradOut), gradOut.storageOffset(), gradOut.shape()[0], plan, u, new float[plan.kp], array(gradInput),
                gradInput.storageOffset());
    }

    private static Conv2dGeometry transposed(Conv2dGeometry g, int channelsOut) {
        return new Conv2dGeometry(channelsOut, g.outH(), g.outW(), g.kernelH(), g.kernelW(), 1, 1,
                g.kernelH() - 1 - g.padH(), g.kernelW() - 1 - g.padW(), 1, 1, g.height(), g.width());
    }

    /** out = the convolution of n images at x[xAt...] under plan with transformed weights u, plus bias (length kp). */
    private static void convolve(float[] x, int xAt, int n, Plan plan, float[] u, float[] bias, float[] out, int outAt) {
        if (DirectConvKernel.splitImages(n)) {
            Parallel.forRange(n, 1, (from, to) -> {
                Scratch s = plan.scratch();
                float[] padded = plan.newPadded();
                for (int img = (int) from; img < to; img++) {
                    plan.padImage(x, xAt + img * plan.inImage(), padded);
                    for (int b = 0; b < plan.blocks; b++) plan.block(b, padded, u, bias, s, out, outAt + img * plan.outImage());
                }
            });
            return;
        }
        float[] padded = plan.newPadded();
        for (int img = 0; img < n; img++) {
            plan.padImageInParallel(x, xAt + img * plan.inImage(), padded);
            int at = outAt + img * plan.outImage();
            Parallel.forRange(plan.blocks, 1, (from, to) -> {
                Scratch s = plan.scratch();
                for (int b = (int) from; b < to; b++) plan.block(b, padded, u, bias, s, out, at);
            });
        }
    }

    /** The plan of a call on n images: blocks are balanced across the threads when they share an image. */
    private static Plan plan(Conv2dGeometry g, int channelsOut, int n) {
        return new Plan(g, channelsOut, DirectConvKernel.splitImages(n) ? 1 : Parallel.threads());
    }

    /** A worker's buffers for one block: transformed inputs, products, a transform's temporaries and the staged output. */
    private record Scratch(float[] v, float[] m, float[] tmp, float[] staged) {}

    /**
     * The sizes of one call: channels padded to 16, tiles per image, tile rows per block, and the
     * layout of the channel-last padded image.
     */
    private static final class Plan {
        final Conv2dGeometry g;
        final int k;
        final int cp;
        final int kp;
        final int tilesH;
        final int tilesW;
        final int rowsPerBlock;
        /** Tiles of a block, rounded up to whole register tiles. */
        final int tiles;
        final int blocks;
        final int paddedH;
        final int paddedW;

        /** workers: the threads that share an image's blocks (1 when whole images go to threads). */
        Plan(Conv2dGeometry g, int k, int workers) {
            this.g = g;
            this.k = k;
            this.cp = roundUp(g.channels(), LANES);
            this.kp = roundUp(k, LANES);
            this.tilesH = ceilDiv(g.outH(), 4);
            this.tilesW = ceilDiv(g.outW(), 4);
            this.rowsPerBlock = rowsPerBlock(tilesH, tilesW, workers);
            this.tiles = roundUp(rowsPerBlock * tilesW, GROUP);
            this.blocks = ceilDiv(tilesH, rowsPerBlock);
            this.paddedH = 4 * tilesH + 2;
            this.paddedW = 4 * tilesW + 2;
        }

        /**
         * Tile rows per block: about {@code TARGET_TILES} tiles, fewer where that leaves a worker
         * idle at the end. Each candidate's cost is the tiles (rounded up to whole register tiles)
         * that the busiest worker computes; blocks of up to twice the target are allowed for balance
         * (a batch-1 56x56 image: 2 blocks of 7 tile rows instead of 5 blocks of 3, split 3:2).
         */
        private static int rowsPerBlock(int tilesH, int tilesW, int workers) {
            int best = Math.max(1, Math.min(tilesH, TARGET_TILES / tilesW));
            if (workers <= 1) return best;
            long bestCost = Long.MAX_VALUE;
            for (int r = 1; r <= tilesH && (r == 1 || r * tilesW <= 2 * TARGET_TILES + tilesW); r++) {
                long cost = (long) ceilDiv(ceilDiv(tilesH, r), workers) * roundUp(r * tilesW, GROUP);
                if (cost < bestCost) {
                    bestCost = cost;
                    best = r;
                }
            }
            return best;
        }

        int inImage() { return g.channels() * g.height() * g.width(); }

        int outImage() { return k * g.outH() * g.outW(); }

        Scratch scratch() {
            return new Scratch(new float[P * tiles * cp], new float[P * tiles * kp], new float[P * LANES],
                    // plus 16 pixels: the gathers of a row's last pixels index masked lanes past its end too
                    new float[(4 * rowsPerBlock * 4 * tilesW + LANES) * LANES]);
        }

        /** A zeroed channel-last image buffer; {@link #padImage} writes only its interior, so the border stays zero. */
        float[] newPadded() {
            return new float[paddedH * paddedW * cp];
        }

        /** padded[((y + padH) * paddedW + x + padW) * cp + c] = image c, y, x at x[at...]. */
        void padImage(float[] x, int at, float[] padded) {
            padRows(x, at, padded, 0, g.height());
        }

        /** {@link #padImage} with its rows split across the threads (when the threads share an image's blocks). */
        void padImageInParallel(float[] x, int at, float[] padded) {
            Parallel.forRange(g.height(), 1, (from, to) -> padRows(x, at, padded, (int) from, (int) to));
        }

        private void padRows(float[] x, int at, float[] padded, int y0, int y1) {
            int h = g.height();
            int w = g.width();
            int c = g.channels();
            int whole = c / LANES * LANES;
            int[] channelRows = new int[LANES];
            for (int i = 0; i < LANES; i++) channelRows[i] = i * h * w;
            for (int y = y0; y < y1; y++) {
                int row = ((y + g.padH()) * paddedW + g.padW()) * cp;
                for (int c0 = 0; c0 < whole; c0 += LANES) {
                    VectorConvTiles.gatherColumns(x, at + (c0 * h + y) * w, channelRows, w, padded, row + c0, cp);
                }
                for (int ch = whole; ch < c; ch++) {
                    int src = at + (ch * h + y) * w;
                    for (int i = 0; i < w; i++) padded[row + i * cp + ch] = x[src + i];
                }
            }
        }

        /**
         * U[(p * cp + c) * kp + k] = (G g G^T)[p / 6][p % 6] for the 3x3 kernel g of output channel k and
         * input channel c, zero for padding channels; with transposed, w is read as [C', K', 3, 3]
         * (this plan's input channels first) and each kernel flipped, for the input gradient.
         */
        float[] transformWeights(float[] w, int at, boolean transposed) {
            float[] u = new float[P * cp * kp];
            // Input channels across the threads; output channels innermost, so that the 36 stores of
            // consecutive kernels land next to each other.
            Parallel.forRange(g.channels(), 1, (from, to) -> {
                double[] gg = new double[18];
                for (int c = (int) from; c < to; c++) {
                    for (int ko = 0; ko < k; ko++) {
                        // gg = G g (6x3), then U = gg G^T (6x6), in double so that only the last rounding is float's.
                        for (int i = 0; i < 6; i++) {
                            for (int j = 0; j < 3; j++) {
                                double sum = 0;
                                for (int r = 0; r < 3; r++) sum += G[i][r] * tap(w, at, transposed, ko, c, r, j);
                                gg[i * 3 + j] = sum;
                            }
                        }
                        for (int i = 0; i < 6; i++) {
                            for (int j = 0; j < 6; j++) {
                                double sum = gg[i * 3] * G[j][0] + gg[i * 3 + 1] * G[j][1] + gg[i * 3 + 2] * G[j][2];
                                u[((i * 6 + j) * cp + c) * kp + ko] = (float) sum;
                            }
                        }
                    }
                }
            });
            return u;
        }

        private float tap(float[] w, int at, boolean transposed, int ko, int c, int ky, int kx) {
            return transposed ? w[at + ((c * k + ko) * 3 + 2 - ky) * 3 + 2 - kx] : w[at + ((ko * g.channels() + c) * 3 + ky) * 3 + kx];
        }

        /** Block b of one image: its tile rows transformed, multiplied and written to out[at...]. */
        void block(int b, float[] padded, float[] u, float[] bias, Scratch s, float[] out, int at) {
            int row0 = b * rowsPerBlock;
            int rows = Math.min(rowsPerBlock, tilesH - row0);
            int used = rows * tilesW;
            for (int t = 0; t < used; t++) {
                int base = ((row0 + t / tilesW) * 4 * paddedW + t % tilesW * 4) * cp;
                for (int c0 = 0; c0 < cp; c0 += LANES) transformInput(padded, base + c0, paddedW * cp, cp, s.tmp, s.v, t * cp + c0, tiles * cp);
            }
            for (int p = 0; p < P; p++) {
                int k0 = 0;
                for (; k0 + WIDE <= kp; k0 += WIDE) {
                    for (int t0 = 0; t0 < used; t0 += GROUP) product4x6(s.v, (p * tiles + t0) * cp, cp, u, p * cp * kp + k0, kp, s.m, (p * tiles + t0) * kp + k0);
                }
                for (; k0 + 2 * LANES <= kp; k0 += 2 * LANES) {
                    for (int t0 = 0; t0 < used; t0 += GROUP) product2x6(s.v, (p * tiles + t0) * cp, cp, u, p * cp * kp + k0, kp, s.m, (p * tiles + t0) * kp + k0);
                }
                for (; k0 < kp; k0 += LANES) {
                    for (int t0 = 0; t0 < used; t0 += GROUP) product1x6(s.v, (p * tiles + t0) * cp, cp, u, p * cp * kp + k0, kp, s.m, (p * tiles + t0) * kp + k0);
                }
            }
            int stagedW = 4 * tilesW;
            for (int k0 = 0; k0 < kp; k0 += LANES) {
                for (int t = 0; t < used; t++) {
                    int staged = ((t / tilesW) * 4 * stagedW + t % tilesW * 4) * LANES;
                    transformOutput(s.m, t * kp + k0, tiles * kp, s.tmp, bias, k0, s.staged, staged, stagedW * LANES);
                }
                storeStaged(s.staged, stagedW, row0 * 4, rows * 4, k0, out, at);
            }
        }

        /** Writes staged rows [0, count) (output rows y0...) of channels k0.. to the NCHW output, 16 pixels per gather. */
        private void storeStaged(float[] staged, int stagedW, int y0, int count, int k0, float[] out, int at) {
            int outH = g.outH();
            int outW = g.outW();
            int channels = Math.min(LANES, k - k0);
            for (int r = 0; r < count && y0 + r < outH; r++) {
                for (int x0 = 0; x0 < outW; x0 += LANES) {
                    VectorMask<Float> valid = S.indexInRange(x0, outW);
                    int from = (r * stagedW + x0) * LANES;
                    int to = at + (k0 * outH + y0 + r) * outW + x0;
                    for (int c = 0; c < channels; c++) {
                        FloatVector.fromArray(S, staged, from + c, PIXELS_OF_16, 0, valid).intoArray(out, to + c * outH * outW, valid);
                    }
                }
            }
        }
    }

    /**
     * v[vAt + p*vStride] = (B^T d B)[p / 6][p % 6] for the 6x6 tile d of 16-channel vectors at
     * in[at + i*rowStride + j*colStride]: columns first into tmp, then rows.
     */
    static void transformInput(float[] in, int at, int rowStride, int colStride, float[] tmp, float[] v, int vAt, int vStride) {
        for (int j = 0; j < 6; j++) inputLine(in, at + j * colStride, rowStride, tmp, j * LANES, 6 * LANES);
        for (int i = 0; i < 6; i++) inputLine(tmp, i * 6 * LANES, LANES, v, vAt + i * 6 * vStride, vStride);
    }

    /**
     * dst[dstAt + i*dstStride] = (B^T d)[i] for the six vectors d = src[at + i*stride] of one column
     * (or row) of a tile, where B^T = [1 -3/2 -2 3/2 1 0; 0 -1 1/2 5/2 1 0; 0 1 -5/2 1/2 1 0;
     * 0 -2 -1 2 1 0; 0 1/2 -1 -1/2 1 0; 0 1 -3/2 -2 3/2 1], the input transform for the points of
     * {@link #G}. Loads and stores stay inside: a vector passed to a method C2 does not inline is
     * boxed on the heap.
     */
    private static void inputLine(float[] src, int at, int stride, float[] dst, int dstAt, int dstStride) {
        FloatVector d0 = FloatVector.fromArray(S, src, at);
        FloatVector d1 = FloatVector.fromArray(S, src, at + stride);
        FloatVector d2 = FloatVector.fromArray(S, src, at + 2 * stride);
        FloatVector d3 = FloatVector.fromArray(S, src, at + 3 * stride);
        FloatVector d4 = FloatVector.fromArray(S, src, at + 4 * stride);
        FloatVector d5 = FloatVector.fromArray(S, src, at + 5 * stride);
        FloatVector d3m1 = d3.sub(d1);
        FloatVector d4m2 = d4.sub(d2);
        d0.add(d4).add(d3m1.mul(1.5f)).sub(d2.mul(2f)).intoArray(dst, dstAt);
        d4.sub(d1).add(d2.mul(0.5f)).add(d3.mul(2.5f)).intoArray(dst, dstAt + dstStride);
        d4.add(d1).sub(d2.mul(2.5f)).add(d3.mul(0.5f)).intoArray(dst, dstAt + 2 * dstStride);
        d4m2.add(d3m1.mul(2f)).intoArray(dst, dstAt + 3 * dstStride);
        d4m2.sub(d3m1.mul(0.5f)).intoArray(dst, dstAt + 4 * dstStride);
        d5.add(d1).sub(d2.mul(1.5f)).sub(d3.mul(2f)).add(d4.mul(1.5f)).intoArray(dst, dstAt + 5 * dstStride);
    }

    /**
     * The 4x4 block A^T m A + bias[biasAt...] for the 6x6 products of 16 channels at m[at + p*pStride],
     * written channel-last to staged[stagedAt + r*rowStride + s*16].
     */
    static void transformOutput(float[] m, int at, int pStride, float[] tmp, float[] bias, int biasAt, float[] staged,
                                int stagedAt, int rowStride) {
        for (int j = 0; j < 6; j++) outputLine(m, at + j * pStride, 6 * pStride, null, 0, tmp, j * LANES, 6 * LANES);
        for (int r = 0; r < 4; r++) outputLine(tmp, r * 6 * LANES, LANES, bias, biasAt, staged, stagedAt + r * rowStride, LANES);
    }

    /**
     * dst[dstAt + r*dstStride] = (A^T m)[r] (+ bias[biasAt...] when bias is not null) for the six
     * vectors m = src[at + i*stride] of one column (or row), where
     * A^T = [1 1 1 1 1 0; 0 1 -1 1/2 -2 0; 0 1 1 1/4 4 0; 0 1 -1 1/8 -8 1].
     */
    private static void outputLine(float[] src, int at, int stride, float[] bias, int biasAt, float[] dst, int dstAt, int dstStride) {
        FloatVector m0 = FloatVector.fromArray(S, src, at);
        FloatVector m1 = FloatVector.fromArray(S, src, at + stride);
        FloatVector m2 = FloatVector.fromArray(S, src, at + 2 * stride);
        FloatVector m3 = FloatVector.fromArray(S, src, at + 3 * stride);
        FloatVector m4 = FloatVector.fromArray(S, src, at + 4 * stride);
        FloatVector m5 = FloatVector.fromArray(S, src, at + 5 * stride);
        FloatVector sum12 = m1.add(m2);
        FloatVector dif12 = m1.sub(m2);
        FloatVector y0 = m0.add(sum12).add(m3).add(m4);
        FloatVector y1 = dif12.add(m3.mul(0.5f)).sub(m4.mul(2f));
        FloatVector y2 = sum12.add(m3.mul(0.25f)).add(m4.mul(4f));
        FloatVector y3 = dif12.add(m3.mul(0.125f)).sub(m4.mul(8f)).add(m5);
        if (bias != null) {
            FloatVector b = FloatVector.fromArray(S, bias, biasAt);
            y0 = y0.add(b);
            y1 = y1.add(b);
            y2 = y2.add(b);
            y3 = y3.add(b);
        }
        y0.intoArray(dst, dstAt);
        y1.intoArray(dst, dstAt + dstStride);
        y2.intoArray(dst, dstAt + 2 * dstStride);
        y3.intoArray(dst, dstAt + 3 * dstStride);
    }

    /**
     * m[mAt + t*kp + c] = sum over i &lt; channels of v[vAt + t*cp + i] * u[uAt + i*kp + c] for 6 tiles t
     * and 64 output channels c; channels = cp.
     */
    private static void product4x6(float[] v, int vAt, int cp, float[] u, int uAt, int kp, float[] m, int mAt) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        FloatVector a40 = a00, a41 = a00, a42 = a00, a43 = a00;
        FloatVector a50 = a00, a51 = a00, a52 = a00, a53 = a00;
        int v0 = vAt;
        int v1 = vAt + cp;
        int v2 = vAt + 2 * cp;
        int v3 = vAt + 3 * cp;
        int v4 = vAt + 4 * cp;
        int v5 = vAt + 5 * cp;
        for (int i = 0; i < cp; i++) {
            int ui = uAt + i * kp;
            FloatVector w0 = FloatVector.fromArray(S, u, ui);
            FloatVector w1 = FloatVector.fromArray(S, u, ui + LANES);
            FloatVector w2 = FloatVector.fromArray(S, u, ui + 2 * LANES);
            FloatVector w3 = FloatVector.fromArray(S, u, ui + 3 * LANES);
            FloatVector x = FloatVector.broadcast(S, v[v0 + i]);
            a00 = w0.fma(x, a00); a01 = w1.fma(x, a01); a02 = w2.fma(x, a02); a03 = w3.fma(x, a03);
            x = FloatVector.broadcast(S, v[v1 + i]);
            a10 = w0.fma(x, a10); a11 = w1.fma(x, a11); a12 = w2.fma(x, a12); a13 = w3.fma(x, a13);
            x = FloatVector.broadcast(S, v[v2 + i]);
            a20 = w0.fma(x, a20); a21 = w1.fma(x, a21); a22 = w2.fma(x, a22); a23 = w3.fma(x, a23);
            x = FloatVector.broadcast(S, v[v3 + i]);
            a30 = w0.fma(x, a30); a31 = w1.fma(x, a31); a32 = w2.fma(x, a32); a33 = w3.fma(x, a33);
            x = FloatVector.broadcast(S, v[v4 + i]);
            a40 = w0.fma(x, a40); a41 = w1.fma(x, a41); a42 = w2.fma(x, a42); a43 = w3.fma(x, a43);
            x = FloatVector.broadcast(S, v[v5 + i]);
            a50 = w0.fma(x, a50); a51 = w1.fma(x, a51); a52 = w2.fma(x, a52); a53 = w3.fma(x, a53);
        }
        // Stored here, not by a helper taking the vectors: where C2 stops inlining (its node budget
        // depends on what else the JVM ran first) a vector argument is boxed, and this tile then
        // ran at half speed (after 50 cross-entropy steps in the same JVM: 6.5 against 3.6 ms for
        // the 3x3 [32,32,28,28] forward).
        a00.intoArray(m, mAt); a01.intoArray(m, mAt + LANES); a02.intoArray(m, mAt + 2 * LANES); a03.intoArray(m, mAt + 3 * LANES);
        int m1 = mAt + kp;
        a10.intoArray(m, m1); a11.intoArray(m, m1 + LANES); a12.intoArray(m, m1 + 2 * LANES); a13.intoArray(m, m1 + 3 * LANES);
        int m2 = mAt + 2 * kp;
        a20.intoArray(m, m2); a21.intoArray(m, m2 + LANES); a22.intoArray(m, m2 + 2 * LANES); a23.intoArray(m, m2 + 3 * LANES);
        int m3 = mAt + 3 * kp;
        a30.intoArray(m, m3); a31.intoArray(m, m3 + LANES); a32.intoArray(m, m3 + 2 * LANES); a33.intoArray(m, m3 + 3 * LANES);
        int m4 = mAt + 4 * kp;
        a40.intoArray(m, m4); a41.intoArray(m, m4 + LANES); a42.intoArray(m, m4 + 2 * LANES); a43.intoArray(m, m4 + 3 * LANES);
        int m5 = mAt + 5 * kp;
        a50.intoArray(m, m5); a51.intoArray(m, m5 + LANES); a52.intoArray(m, m5 + 2 * LANES); a53.intoArray(m, m5 + 3 * LANES);
    }

    /** As {@link #product4x6} for 32 output channels (the channels left after the 64-wide tiles). */
    private static void product2x6(float[] v, int vAt, int cp, float[] u, int uAt, int kp, float[] m, int mAt) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00;
        FloatVector a30 = a00, a31 = a00, a40 = a00, a41 = a00, a50 = a00, a51 = a00;
        for (int i = 0; i < cp; i++) {
            int ui = uAt + i * kp;
            FloatVector w0 = FloatVector.fromArray(S, u, ui);
            FloatVector w1 = FloatVector.fromArray(S, u, ui + LANES);
            FloatVector x = FloatVector.broadcast(S, v[vAt + i]);
            a00 = w0.fma(x, a00); a01 = w1.fma(x, a01);
            x = FloatVector.broadcast(S, v[vAt + cp + i]);
            a10 = w0.fma(x, a10); a11 = w1.fma(x, a11);
            x = FloatVector.broadcast(S, v[vAt + 2 * cp + i]);
            a20 = w0.fma(x, a20); a21 = w1.fma(x, a21);
            x = FloatVector.broadcast(S, v[vAt + 3 * cp + i]);
            a30 = w0.fma(x, a30); a31 = w1.fma(x, a31);
            x = FloatVector.broadcast(S, v[vAt + 4 * cp + i]);
            a40 = w0.fma(x, a40); a41 = w1.fma(x, a41);
            x = FloatVector.broadcast(S, v[vAt + 5 * cp + i]);
            a50 = w0.fma(x, a50); a51 = w1.fma(x, a51);
        }
        a00.intoArray(m, mAt); a01.intoArray(m, mAt + LANES);
        a10.intoArray(m, mAt + kp); a11.intoArray(m, mAt + kp + LANES);
        a20.intoArray(m, mAt + 2 * kp); a21.intoArray(m, mAt + 2 * kp + LANES);
        a30.intoArray(m, mAt + 3 * kp); a31.intoArray(m, mAt + 3 * kp + LANES);
        a40.intoArray(m, mAt + 4 * kp); a41.intoArray(m, mAt + 4 * kp + LANES);
        a50.intoArray(m, mAt + 5 * kp); a51.intoArray(m, mAt + 5 * kp + LANES);
    }

    /** As {@link #product4x6} for 16 output channels (the channels left after the 64-wide tiles). */
    private static void product1x6(float[] v, int vAt, int cp, float[] u, int uAt, int kp, float[] m, int mAt) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        for (int i = 0; i < cp; i++) {
            FloatVector w = FloatVector.fromArray(S, u, uAt + i * kp);
            a0 = w.fma(FloatVector.broadcast(S, v[vAt + i]), a0);
            a1 = w.fma(FloatVector.broadcast(S, v[vAt + cp + i]), a1);
            a2 = w.fma(FloatVector.broadcast(S, v[vAt + 2 * cp + i]), a2);
            a3 = w.fma(FloatVector.broadcast(S, v[vAt + 3 * cp + i]), a3);
            a4 = w.fma(FloatVector.broadcast(S, v[vAt + 4 * cp + i]), a4);
            a5 = w.fma(FloatVector.broadcast(S, v[vAt + 5 * cp + i]), a5);
        }
        a0.intoArray(m, mAt);
        a1.intoArray(m, mAt + kp);
        a2.intoArray(m, mAt + 2 * kp);
        a3.intoArray(m, mAt + 3 * kp);
        a4.intoArray(m, mAt + 4 * kp);
        a5.intoArray(m, mAt + 5 * kp);
    }

    private static float[] array(StridedView v) {
        return (float[]) v.storage().array();
    }

    private static int roundUp(int n, int multiple) {
        return ceilDiv(n, multiple) * multiple;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
