package dev.kindling.cuda;

import dev.kindling.backend.StridedView;

/**
 * How a reduction kernel walks x: output o starts at offsetOf(kept, o), which is x's layout with
 * every reduced dim shrunk to size 1, and reduced element r is offsetOf(reduced, r) further, the
 * layout of the reduced dims alone. The output is addressed with its own layout, which has size 1
 * at the reduced dims, so the same linear index o finds it.
 */
record Reduction(byte[] kept, byte[] reduced, long outputs, long reducedCount) {

    static Reduction of(StridedView x, int[] dims, StridedView out) {
        int[] shape = x.shape();
        int[] strides = x.strides();
        int[] keptShape = shape.clone();
        int[] redShape = new int[dims.length];
        int[] redStrides = new int[dims.length];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            redShape[i] = shape[dims[i]];
            redStrides[i] = strides[dims[i]];
            keptShape[dims[i]] = 1;
            count *= shape[dims[i]];
        }
        return new Reduction(KernelArgs.viewBytes(keptShape, strides, x.storageOffset()),
                KernelArgs.viewBytes(redShape, redStrides, 0), out.numel(), count);
    }
}
