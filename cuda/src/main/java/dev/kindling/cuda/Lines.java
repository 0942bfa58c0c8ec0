package dev.kindling.cuda;

import dev.kindling.backend.StridedView;

/**
 * A tensor seen as lines along one dim, for the kernels that walk a whole line (softmax, cumsum):
 * line l starts at offsetOf(view, l), where view is the layout with that dim shrunk to 1, and its
 * elements are stride apart.
 */
record Lines(byte[] view, int stride, int length, long count) {

    static Lines of(StridedView x, int dim) {
        int[] shape = x.shape();
        int length = shape[dim];
        shape[dim] = 1;
        long count = 1;
        for (int s : shape) count *= s;
        return new Lines(KernelArgs.viewBytes(shape, x.strides(), x.storageOffset()), x.strides()[dim], length, count);
    }
}
