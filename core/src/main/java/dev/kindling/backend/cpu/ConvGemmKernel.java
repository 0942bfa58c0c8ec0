package dev.kindling.backend.cpu;

import dev.kindling.backend.Conv2dGeometry;
import dev.kindling.backend.StridedView;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Storage;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.TreeMap;

/**
 * conv2d forward and backward (one group, float32/float64, OpenBLAS) one image at a time: the
 * image's im2col columns [C*kH*kW, outH*outW] go into a buffer of the worker's own, reused for
 * every image it takes, and straight into a GEMM; nothing the size of the whole batch's columns is
 * ever materialised (for [32, 32, 28, 28] 3x3 that was 29 MB written, read back and, in the
 * backward, written and read twice more; one image's 0.9 MB stays in L2/L3 between im2col and the
 * GEMM).
 *
 * <p>The choice per shape:
 * <ul>
 *   <li>1x1 kernels with stride 1 and no padding skip im2col: the image [C, H*W] is the column
 *       matrix, so the forward and both gradients are plain GEMMs.</li>
 *   <li>With at least as many images as threads, the images are split across Kindling's threads,
 *       each calling a single-threaded BLAS; the weight gradient is accumulated per worker
 *       (GEMM with beta 1) and the workers' sums are added in a fixed order, so results do not
 *       depend on scheduling.</li>
 *   <li>With fewer images than threads (batch 1), images go one by one to a BLAS with all threads,
 *       and im2col/col2im split the image's channels across threads.</li>
 * </ul>
 * The input gradient of each image is its column gradient W^T gradOut folded back by col2im into
 * the image's (cache-warm) slice, zeroed first; the bias gradient is summed per image from the
 * same cache-warm gradOut block (a generic sum over dims 0, 2, 3 took 4 ms for [128, 16, 10, 10]).
 */
final class ConvGemmKernel {
    private ConvGemmKernel() {}

    /** True when this kernel can run: OpenBLAS loaded, a float dtype, every operand a contiguous Java array. */
    static boolean supports(StridedView... operands) {
        if (!OpenBlas.available()) return false;
        for (StridedView v : operands) {
            if (v == null) continue;
            DType dt = v.dtype();
            if ((dt != DType.FLOAT32 && dt != DType.FLOAT64) || !v.storage().isArrayBacked() || !v.isContiguous()) return false;
        }
        return true;
    }

    /** A 1x1 kernel, stride 1, no padding: the image itself is its im2col matrix. */
    static boolean pointwise(Conv2dGeometry g) {
        return g.kernelH() == 1 && g.kernelW() == 1 && g.strideH() == 1 && g.strideW() == 1 && g.padH() == 0 && g.padW() == 0;
    }

    /**
     * True when the images are split across Kindling's threads (each calling a single-threaded
     * BLAS); otherwise each image's GEMMs are split by rows or columns across them instead.
     */
    private static boolean splitImages(int n) {
        int t = Parallel.threads();
        return t > 1 && n >= t && OpenBlas.hasThreadLocalControl();
    }

    /** Runs body over the images [0, n): split across threads with single-threaded BLAS, or all here. */
    private static void overImages(int n, Parallel.Range body) {
        if (splitImages(n)) {
            Parallel.forRange(n, 1, (from, to) -> OpenBlas.singleThreaded(() -> body.run(from, to)));
        } else {
            body.run(0, n);
        }
    }

    /**
     * Runs one GEMM's pieces over [0, size) (its rows or columns) across Kindling's threads, each
     * with a single-threaded BLAS, when the images themselves are not split (batch below the thread
     * count). So BLAS never starts threads of its own beside Kindling's: two thread pools on the
     * same cores, each spinning after its work, slowed each other (the batch-1 ResNet layer took
     * 7-24 ms through a two-thread BLAS where libtorch takes 1.5).
     */
    private static void split(boolean imagesSplit, int size, Parallel.Range piece) {
        if (imagesSplit || !OpenBlas.hasThreadLocalControl()) {
            piece.run(0, size);
        } else {
            Parallel.forRange(size, 16, (from, to) -> OpenBlas.singleThreaded(() -> piece.run(from, to)));
        }
    }

    static void forward(StridedView x, StridedView w, StridedView bias, Conv2dGeometry g, StridedView out) {
        int n = x.shape()[0];
        int o = w.shape()[0];
        int k = g.columnRows();
        int l = g.columnCols();
        int inImage = g.channels() * g.height() * g.width();
        DType dt = x.dtype();
        boolean direct = pointwise(g);
        boolean imagesSplit = splitImages(n);
        overImages(n, (from, to) -> {
            Storage cols = direct ? null : Storage.allocate(dt, k * l);
            for (int img = (int) from; img < to; img++) {
                long colsAt = direct ? x.storageOffset() + (long) img * inImage : 0;
                StridedView colsView = direct ? x : StridedView.of(im2colImage(x, img, inImage, g, cols), k * l);
                long outAt = out.storageOffset() + (long) img * o * l;
                split(imagesSplit, l, (c0, c1) -> gemm(dt, false, false, o, (int) (c1 - c0), k, slice(w, w.storageOffset()), k,
                        slice(colsView, colsAt + c0), l, 0, slice(out, outAt + c0), l));
                if (bias != null) addBias(out, (int) outAt, bias, o, l);
            }
        });
    }

    static void backward(StridedView gradOut, StridedView x, StridedView w, Conv2dGeometry g, StridedView gradInput,
                         StridedView gradWeight, StridedView gradBias) {
        int n = x.shape()[0];
        int o = w.shape()[0];
        int k = g.columnRows();
        int l = g.columnCols();
        int inImage = g.channels() * g.height() * g.width();
        DType dt = x.dtype();
        boolean direct = pointwise(g);
        boolean imagesSplit = splitImages(n);
        // Each run of images sums its weight gradient on its own; keyed by the run's first image so
        // that the runs are added in one fixed order.
        Map<Long, Storage> partial = new TreeMap<>();
        Map<Long, Storage> partialBias = new TreeMap<>();
        overImages(n, (from, to) -> {
            Storage cols = direct || gradWeight == null ? null : Storage.allocate(dt, k * l);
            Storage gradCols = direct || gradInput == null ? null : Storage.allocate(dt, k * l);
            Storage acc = gradWeight == null ? null : Storage.allocate(dt, o * k);
            Storage accBias = gradBias == null ? null : Storage.allocate(dt, o);
            for (int img = (int) from; img < to; img++) {
                long goAt = gradOut.storageOffset() + (long) img * o * l;
                long xAt = x.storageOffset() + (long) img * inImage;
                if (accBias != null) addRowSums(gradOut, (int) goAt, o, l, accBias);
                if (acc != null) {
                    StridedView colsView = direct ? x : StridedView.of(im2colImage(x, img, inImage, g, cols), k * l);
                    long colsAt = direct ? xAt : 0;
                    int beta = img == from ? 0 : 1;
                    // rows [r0, r1) of the weight gradient: gradOut's rows times all columns
                    split(imagesSplit, o, (r0, r1) -> gemm(dt, false, true, (int) (r1 - r0), k, l, slice(gradOut, goAt + r0 * l), l,
                            slice(colsView, colsAt), l, beta, acc.segment().asSlice(r0 * k * dt.itemSize()), k));
                }
                if (gradInput != null) {
                    long giAt = gradInput.storageOffset() + (long) img * inImage;
                    StridedView target = direct ? gradInput : StridedView.of(gradCols, k * l);
                    long targetAt = direct ? giAt : 0;
                    split(imagesSplit, l, (c0, c1) -> gemm(dt, true, false, k, (int) (c1 - c0), o, slice(w, w.storageOffset()), k,
                            slice(gradOut, goAt + c0), l, 0, slice(target, targetAt + c0), l));
                    if (!direct) {
                        StridedView image = imageView(gradInput, giAt, g);
                        CpuBackend.INSTANCE.fill(image, 0.0);
                        ConvKernels.col2im(StridedView.of(gradCols, 1, k, l), g, image);
                    }
                }
            }
            synchronized (partial) {
                if (acc != null) partial.put(from, acc);
                if (accBias != null) partialBias.put(from, accBias);
            }
        });
        if (gradBias != null && partialBias.isEmpty()) CpuBackend.INSTANCE.fill(gradBias, 0.0);
        else if (gradBias != null) sumInto(partialBias.values(), gradBias, o);
        if (gradWeight != null && partial.isEmpty()) CpuBackend.INSTANCE.fill(gradWeight, 0.0);
        else if (gradWeight != null) sumInto(partial.values(), gradWeight, o * k);
    }

    /** One image's im2col columns into cols (returned). */
    private static Storage im2colImage(StridedView x, int img, int inImage, Conv2dGeometry g, Storage cols) {
        StridedView image = imageView(x, x.storageOffset() + (long) img * inImage, g);
        ConvKernels.im2col(image, g, StridedView.of(cols, 1, g.columnRows(), g.columnCols()));
        return cols;
    }

    /** Image [1, C, H, W] of a contiguous batch, starting at element at. */
    private static StridedView imageView(StridedView batch, long at, Conv2dGeometry g) {
        int c = g.channels();
        int h = g.height();
        int w = g.width();
        return batch.viewOf(new int[] {1, c, h, w}, new int[] {c * h * w, h * w, w, 1}, (int) at);
    }

    private static MemorySegment slice(StridedView v, long element) {
        return v.storage().segment().asSlice(element * v.dtype().itemSize());
    }

    private static void gemm(DType dt, boolean transA, boolean transB, int m, int n, int k, MemorySegment a, int lda,
                             MemorySegment b, int ldb, int beta, MemorySegment c, int ldc) {
        if (dt == DType.FLOAT32) OpenBlas.sgemm(transA, transB, m, n, k, 1f, a, lda, b, ldb, beta, c, ldc);
        else OpenBlas.dgemm(transA, transB, m, n, k, 1.0, a, lda, b, ldb, beta, c, ldc);
    }

    /** out[o, :] += bias[o] over one image's [O, L] block at element at. */
    private static void addBias(StridedView out, int at, StridedView bias, int o, int l) {
        int bo = bias.storageOffset();
        switch (out.storage().array()) {
            case float[] y -> {
                float[] b = (float[]) bias.storage().array();
                for (int oc = 0; oc < o; oc++) {
                    float v = b[bo + oc];
                    int row = at + oc * l;
                    for (int i = 0; i < l; i++) y[row + i] += v;
                }
            }
            case double[] y -> {
                double[] b = (double[]) bias.storage().array();
                for (int oc = 0; oc < o; oc++) {
                    double v = b[bo + oc];
                    int row = at + oc * l;
                    for (int i = 0; i < l; i++) y[row + i] += v;
                }
            }
            default -> throw new IllegalStateException("conv2d: unsupported array " + out.storage().array().getClass());
        }
    }

    /** acc[o] += the sum of row o of one image's [O, L] block of gradOut at element at. */
    static void addRowSums(StridedView gradOut, int at, int o, int l, Storage acc) {
        switch (gradOut.storage().array()) {
            case float[] g -> {
                float[] a = (float[]) acc.array();
                for (int oc = 0; oc < o; oc++) {
                    float sum = 0f;
                    int row = at + oc * l;
                    for (int i = 0; i < l; i++) sum += g[row + i];
                    a[oc] += sum;
                }
            }
            case double[] g -> {
                double[] a = (double[]) acc.array();
                for (int oc = 0; oc < o; oc++) {
                    double sum = 0;
                    int row = at + oc * l;
                    for (int i = 0; i < l; i++) sum += g[row + i];
                    a[oc] += sum;
                }
            }
            default -> throw new IllegalStateException("conv2d: unsupported array " + gradOut.storage().array().getClass());
        }
    }

    /** target = the sum of the partial sums, added in their iteration order. */
    static void sumInto(Iterable<Storage> parts, StridedView target, int len) {
        int to = target.storageOffset();
        boolean first = true;
        for (Storage p : parts) {
            switch (target.storage().array()) {
                case float[] t -> {
                    float[] s = (float[]) p.array();
                    if (first) System.arraycopy(s, 0, t, to, len);
                    else for (int i = 0; i < len; i++) t[to + i] += s[i];
                }
                case double[] t -> {
                    double[] s = (double[]) p.array();
                    if (first) System.arraycopy(s, 0, t, to, len);
                    else for (int i = 0; i < len; i++) t[to + i] += s[i];
                }
                default -> throw new IllegalStateException("conv2d: unsupported array " + target.storage().array().getClass());
            }
            first = false;
        }
    }
}
