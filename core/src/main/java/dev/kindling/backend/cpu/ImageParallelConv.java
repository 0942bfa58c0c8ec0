package dev.kindling.backend.cpu;

import dev.kindling.backend.Conv2dGeometry;
import dev.kindling.tensor.Storage;
import dev.kindling.tensor.Tensor;

/**
 * One-group convolution on the CPU, parallel over images: each of Kindling's threads takes a
 * contiguous run of the batch and, image by image, writes its im2col columns into a buffer of its
 * own (one image's worth, which stays in cache), multiplies on a single-threaded BLAS and, in
 * backward, folds the column gradient straight back (col2im). One fork and join per pass, and no
 * hand-offs between Kindling's threads and BLAS's, which on a machine with few cores fight over
 * them when every small step alternates between the two (a 3x3 convolution of 32 images of
 * 32x28x28 ran ~2x slower that way here). Operands are contiguous heap tensors; the images' own
 * im2col / col2im run on the calling thread (nested parallelism stays inline).
 */
final class ImageParallelConv {
    private ImageParallelConv() {}

    /** True when the batch can be spread over Kindling's threads, each with a single-threaded BLAS. */
    static boolean applies(int images) {
        return images >= Parallel.threads() && Parallel.threads() > 1 && OpenBlas.available() && OpenBlas.hasThreadLocalControl();
    }

    /** out[n] = w · im2col(x[n]); x [N, C, H, W], w [O, K], out [N, O, L]. */
    static void forward(Tensor x, Tensor w, Conv2dGeometry g, Tensor out) {
        Tensor w3 = w.view(1, w.size(0), w.size(1));
        eachImage(x, g, (cols, i) -> {
            ConvKernels.im2col(x.narrow(0, i, 1), g, cols);
            MatmulKernel.matmul(w3, cols, out.narrow(0, i, 1));
        });
    }

    /** As Backend#conv2dBackward: gradX (zeroed) += col2im(w^T · grad[n]); gradWPerImage[n] = grad[n] · im2col(x[n])^T. */
    static void backward(Tensor x, Tensor w, Tensor grad, Conv2dGeometry g, Tensor gradX, Tensor gradWPerImage) {
        Tensor wT = w.view(1, w.size(0), w.size(1)).mT();
        eachImage(x, g, (cols, i) -> {
            Tensor gi = grad.narrow(0, i, 1);
            if (gradWPerImage != null) {
                ConvKernels.im2col(x.narrow(0, i, 1), g, cols);
                MatmulKernel.matmul(gi, cols.mT(), gradWPerImage.narrow(0, i, 1));
            }
            if (gradX != null) {
                MatmulKernel.matmul(wT, gi, cols);
                ConvKernels.col2im(cols, g, gradX.narrow(0, i, 1));
            }
        });
    }

    private interface ImageStep {
        void run(Tensor cols, int image);
    }

    /** Runs step for every image, a contiguous run of images per thread, each thread with its own column buffer. */
    private static void eachImage(Tensor x, Conv2dGeometry g, ImageStep step) {
        int k = g.columnRows();
        int l = g.columnCols();
        Parallel.forRange(x.size(0), 1, (from, to) -> OpenBlas.singleThreaded(() -> {
            Tensor cols = Tensor.of(Storage.allocate(x.dtype(), k * l), new int[] {1, k, l});
            for (int i = (int) from; i < to; i++) step.run(cols, i);
        }));
    }
}
