package dev.kindling.cuda;

import dev.kindling.backend.StridedView;

import java.util.Arrays;

/**
 * The fewest dims that address the same elements of several same-shaped views in the same order:
 * size-1 dims are dropped and neighbouring dims merged wherever every view steps through them as
 * one (stride[d] == stride[d + 1] * size[d + 1]). Contiguous operands become one dim, so the
 * elementwise kernels' index arithmetic (a division per dim per element) shrinks to one step.
 */
record Coalesced(int[] shape, int[][] strides) {

    static Coalesced of(StridedView... views) {
        int[] shape = views[0].shape();
        int[][] st = new int[views.length][];
        for (int v = 0; v < views.length; v++) st[v] = views[v].strides();
        int n = shape.length;
        int[] outShape = new int[n];
        int[][] outStrides = new int[views.length][n];
        int dims = 0;
        for (int d = 0; d < n; d++) {
            if (shape[d] == 1) continue;
            if (dims > 0 && mergeable(st, outShape[dims - 1], outStrides, dims - 1, d, shape[d])) {
                outShape[dims - 1] *= shape[d];
                for (int v = 0; v < views.length; v++) outStrides[v][dims - 1] = st[v][d];
            } else {
                outShape[dims] = shape[d];
                for (int v = 0; v < views.length; v++) outStrides[v][dims] = st[v][d];
                dims++;
            }
        }
        int[][] strides = new int[views.length][];
        for (int v = 0; v < views.length; v++) strides[v] = Arrays.copyOf(outStrides[v], dims);
        return new Coalesced(Arrays.copyOf(outShape, dims), strides);
    }

    /** Whether the kept dim `outer` (size outerSize) and dim d of the input merge for every view. */
    private static boolean mergeable(int[][] st, int outerSize, int[][] kept, int outer, int d, int size) {
        for (int v = 0; v < st.length; v++) {
            if ((long) kept[v][outer] != (long) st[v][d] * size) return false;
        }
        return outerSize > 0;
    }
}
