package dev.kindling.backend.cpu;

import dev.kindling.backend.Conv2dGeometry;
import dev.kindling.backend.StridedView;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Storage;

import java.util.Map;
import java.util.TreeMap;

/**
 * float32 conv2d (one group) as a direct convolution vectorised over output channels, with no
 * im2col matrix at all: each output pixel is the sum over the kernel taps of a 16-channel weight
 * vector times one input value broadcast to all lanes, computed in register tiles of up to 64
 * channels by 12 pixels ({@link VectorConvTiles}). Against im2col + OpenBLAS it saves writing and
 * reading the column matrix, which for LeNet-5's second layer cost more than the GEMM itself
 * (0.46 ms of im2col beside 0.31-0.54 ms of GEMM for [64, 6, 14, 14]).
 *
 * <p>The three products of a convolution map onto the same tiles:
 * <ul>
 *   <li>forward: tile rows are output pixels, the sum runs over taps, the vectors are the weights
 *       packed as [taps][channels];</li>
 *   <li>weight gradient: tile rows are taps, the sum runs over an image's output pixels, the
 *       vectors are the output gradient transposed to [pixels][channels]; each worker sums its
 *       images, and the workers' sums are added in a fixed order;</li>
 *   <li>input gradient (stride 1, dilation 1): the forward of the output gradient, padded by
 *       kernel - 1 - padding, with the weights flipped and their two channel dims swapped.</li>
 * </ul>
 * Padding is handled by copying each image into a zero-bordered buffer of the worker's own, so the
 * tiles have no edge cases to test. Images are split across Kindling's threads; with fewer images than
 * threads the pixel (or tap) blocks of each image are split instead.
 *
 * <p>{@link #enabled()} needs the {@code jdk.incubator.vector} module ({@code --add-modules
 * jdk.incubator.vector}, which Spark's launcher already passes) and is on unless
 * {@code -Dkindling.conv.direct=false}; {@link CpuBackend} takes this kernel from {@link #minChannels}
 * output channels on (16, or 4 where the row tiles apply) and keeps {@link ConvGemmKernel} otherwise.
 */
final class DirectConvKernel {
    /**
     * Channels below which the 16-lane pixel tiles waste more than im2col + GEMM costs; the input
     * gradient keeps this bound even where the forward's row tiles take fewer (measured: LeNet's
     * conv2 input gradient through 6 channels ran 10-15% slower than GEMM).
     */
    static final int MIN_CHANNELS = 16;
    /** The forward's bound where the row tiles apply (LeNet's conv1, 6 channels, runs here). */
    static final int ROW_TILE_MIN_CHANNELS = 4;

    private static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("kindling.conv.direct", "true"))
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private DirectConvKernel() {}

    /** True when the Vector API module is present and the kernel is not switched off. */
    static boolean enabled() {
        return ENABLED;
    }

    /**
     * True when the forward and the weight gradient run here: one group, float32 Java arrays, at
     * least {@link #minChannels} output channels, not a 1x1 stride-1 kernel.
     */
    static boolean supports(Conv2dGeometry g, StridedView w, StridedView... operands) {
        // 1x1 stride-1 kernels stay with the GEMM kernel, which has no im2col to save for them.
        if (!ENABLED || w.shape()[0] < minChannels(g) || w.shape()[1] != g.channels() || ConvGemmKernel.pointwise(g)) return false;
        for (StridedView v : operands) {
            if (v == null) continue;
            if (v.dtype() != DType.FLOAT32 || !v.storage().isArrayBacked() || !v.isContiguous()) return false;
        }
        return w.dtype() == DType.FLOAT32 && w.storage().isArrayBacked() && w.isContiguous();
    }

    /**
     * True when the weight and bias gradients run here: as {@link #supports}, and at least 16
     * output channels even where the forward's row tiles take fewer, because the weight gradient's
     * tiles hold output channels in their lanes (LeNet's conv1, 6 channels: forward + backward 0.97-1.06
     * ms against 0.67-0.69 ms with the gradient by im2col + GEMM, issue 17's conv rows on a Xeon).
     */
    static boolean supportsBackward(Conv2dGeometry g, StridedView w, StridedView... operands) {
        return w.shape()[0] >= MIN_CHANNELS && supports(g, w, operands);
    }

    /**
     * The fewest output channels worth a 16-lane tile: 16 in general; 4 where the row tiles apply
     * (stride and dilation 1 along the row, a kernel width they have), whose reuse of each input
     * value across the kernel's width beats im2col + GEMM even with most lanes idle.
     */
    static int minChannels(Conv2dGeometry g) {
        return VectorConvRowTiles.applyTo(g) ? ROW_TILE_MIN_CHANNELS : MIN_CHANNELS;
    }

    /**
     * True when the input gradient runs here too: stride and dilation 1, padding at most kernel - 1
     * (so the transposed convolution's padding is not negative) and at least 16 input channels.
     */
    static boolean supportsInputGradient(Conv2dGeometry g) {
        return ENABLED && g.channels() >= MIN_CHANNELS && g.strideH() == 1 && g.strideW() == 1 && g.dilationH() == 1
                && g.dilationW() == 1 && g.padH() <= g.kernelH() - 1 && g.padW() <= g.kernelW() - 1;
    }

    static void forward(StridedView x, StridedView w, StridedView bias, Conv2dGeometry g, StridedView out) {
        int k = w.shape()[0];
        ConvPlan plan = new ConvPlan(g, k);
        float[] packed = plan.packWeights(array(w), w.storageOffset(), false);
        float[] b = bias == null ? null : array(bias);
        int biasAt = bias == null ? 0 : bias.storageOffset();
        convolve(array(x), x.storageOffset(), x.shape()[0], plan, packed, b, biasAt, array(out), out.storageOffset());
    }

    /** gradInput = the stride-1 convolution's input gradient; see {@link #supportsInputGradient}. */
    static void inputGradient(StridedView gradOut, StridedView w, Conv2dGeometry g, StridedView gradInput) {
        int k = w.shape()[0];
        Conv2dGeometry transposed = new Conv2dGeometry(k, g.outH(), g.outW(), g.kernelH(), g.kernelW(), 1, 1,
                g.kernelH() - 1 - g.padH(), g.kernelW() - 1 - g.padW(), 1, 1, g.height(), g.width());
        ConvPlan plan = new ConvPlan(transposed, g.channels());
        float[] packed = plan.packWeights(array(w), w.storageOffset(), true);
        convolve(array(gradOut), gradOut.storageOffset(), gradOut.shape()[0], plan, packed, null, 0, array(gradInput),
                gradInput.storageOffset());
    }

    /** out = the convolution of n images of x under plan, plus bias (when not null). */
    private static void convolve(float[] x, int xAt, int n, ConvPlan plan, float[] packed, float[] bias, int biasAt,
                                 float[] out, int outAt) {
        if (splitImages(n)) {
            Parallel.forRange(n, 1, (from, to) -> {
                ConvPlan.Scratch s = plan.scratch(false);
                for (int img = (int) from; img < to; img++) {
                    plan.padImage(x, xAt + img * plan.inImage(), s.padded);
                    for (int b = 0; b < plan.pixelBlocks(); b++) {
                        plan.outputBlock(b, s.padded, packed, s.tile, bias, biasAt, out, outAt + img * plan.outImage());
                    }
                }
            });
            return;
        }
        float[] padded = new float[plan.paddedLength()];
        for (int img = 0; img < n; img++) {
            plan.padImage(x, xAt + img * plan.inImage(), padded);
            int at = outAt + img * plan.outImage();
            Parallel.forRange(plan.pixelBlocks(), 1, (from, to) -> {
                float[] tile = plan.scratchTile();
                for (int b = (int) from; b < to; b++) plan.outputBlock(b, padded, packed, tile, bias, biasAt, out, at);
            });
        }
    }

    /**
     * gradWeight and gradBias (either may be null) of the convolution of x under g: the tiles
     * sum over each image's pixels into a [taps][channels] accumulator of the worker's own.
     */
    static void weightGradient(StridedView gradOut, StridedView x, StridedView w, Conv2dGeometry g, StridedView gradWeight,
                               StridedView gradBias) {
        int k = w.shape()[0];
        int n = x.shape()[0];
        ConvPlan plan = new ConvPlan(g, k);
        float[] xs = array(x);
        float[] go = array(gradOut);
        int xAt = x.storageOffset();
        int goAt = gradOut.storageOffset();
        Map<Long, float[]> partial = new TreeMap<>();
        Map<Long, Storage> partialBias = new TreeMap<>();
        Parallel.Range images = (from, to) -> {
            ConvPlan.Scratch s = plan.scratch(gradWeight != null);
            float[] acc = gradWeight == null ? null : plan.newTapAccumulator();
            Storage accBias = gradBias == null ? null : Storage.allocate(DType.FLOAT32, k);
            for (int img = (int) from; img < to; img++) {
                int goImage = goAt + img * plan.outImage();
                if (accBias != null) ConvGemmKernel.addRowSums(gradOut, goImage, k, plan.pixels(), accBias);
                if (acc == null) continue;
                plan.padImage(xs, xAt + img * plan.inImage(), s.padded);
                plan.transposeGradient(go, goImage, s.gradT);
                if (splitImages(n)) {
                    addTapBlocks(plan, 0, plan.tapBlocks(), s, acc);
                } else {
                    Parallel.forRange(plan.tapBlocks(), 1, (b0, b1) -> addTapBlocks(plan, (int) b0, (int) b1, s, acc));
                }
            }
            synchronized (partial) {
                if (acc != null) partial.put(from, acc);
                if (accBias != null) partialBias.put(from, accBias);
            }
        };
        if (splitImages(n)) Parallel.forRange(n, 1, images);
        else images.run(0, n);
        if (gradBias != null) ConvGemmKernel.sumInto(partialBias.values(), gradBias, k);
        if (gradWeight != null) plan.unpackWeightGradient(partial.values(), array(gradWeight), gradWeight.storageOffset());
    }

    /** Adds tap blocks [b0, b1) of the image in s into acc, a chunk of output pixels at a time. */
    private static void addTapBlocks(ConvPlan plan, int b0, int b1, ConvPlan.Scratch s, float[] acc) {
        int chunk = plan.pixelChunk();
        for (int p0 = 0; p0 < plan.pixels(); p0 += chunk) {
            int p1 = Math.min(plan.pixels(), p0 + chunk);
            for (int b = b0; b < b1; b++) plan.tapBlock(b, p0, p1, s.padded, s.gradT, acc);
        }
    }

    /** True when whole images go to Kindling's threads (at least as many images as threads); {@link WinogradConvKernel} splits the same way. */
    static boolean splitImages(int n) {
        int t = Parallel.threads();
        return t > 1 && n >= t;
    }

    private static float[] array(StridedView v) {
        return (float[]) v.storage().array();
    }
}
