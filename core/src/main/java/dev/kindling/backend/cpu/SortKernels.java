package dev.kindling.backend.cpu;

import dev.kindling.backend.StridedView;

import java.util.Arrays;

/**
 * Stable sorting along one dim: writes, for every line, the int64 positions that order it.
 * NaN sorts above every number (last ascending, first descending) and -0.0 equals 0.0, as
 * torch.sort. Values come as double[] or long[] (int64 compared exactly).
 */
final class SortKernels {
    private SortKernels() {}

    static void sortIndices(StridedView x, int dim, boolean descending, StridedView out) {
        int[] shape = x.shape();
        int n = shape[dim];
        int xst = x.strides()[dim];
        int ost = out.strides()[dim];
        int[] lines = shape.clone();
        lines[dim] = 1;
        Object xa = x.storage().array();
        long[] o = (long[]) out.storage().array();
        StridedIter it = StridedIter.of(lines, new int[] {out.storageOffset(), x.storageOffset()}, out.strides(), x.strides());
        int os = it.innerStride(0);
        int xs = it.innerStride(1);
        it.parallel(Math.max(1, Parallel.GRAIN / Math.max(1, n)), (offs, len) -> {
            Integer[] order = new Integer[n];
            for (int i = 0; i < len; i++) {
                int xo = offs[1] + i * xs;
                int oo = offs[0] + i * os;
                for (int j = 0; j < n; j++) order[j] = j;
                switch (xa) {
                    case double[] a -> Arrays.sort(order, (p, q) -> {
                        int c = compare(a[xo + p * xst], a[xo + q * xst]);
                        return descending ? -c : c;
                    });
                    case long[] a -> Arrays.sort(order, (p, q) -> {
                        int c = Long.compare(a[xo + p * xst], a[xo + q * xst]);
                        return descending ? -c : c;
                    });
                    default -> throw new IllegalStateException("sort: unexpected array " + xa.getClass().getSimpleName());
                }
                for (int j = 0; j < n; j++) o[oo + j * ost] = order[j];
            }
        });
    }

    /** Ascending order with NaN above everything and -0.0 == 0.0. */
    private static int compare(double a, double b) {
        boolean an = Double.isNaN(a);
        boolean bn = Double.isNaN(b);
        if (an || bn) return an == bn ? 0 : an ? 1 : -1;
        return a < b ? -1 : a > b ? 1 : 0;
    }
}
