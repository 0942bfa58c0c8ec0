package dev.kindling.backend.cpu;

import dev.kindling.backend.StridedView;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Storage;

/**
 * Gather/scatter style kernels over array-backed tensors. Index values arrive validated by the ops
 * (in range, int64), so the loops here never throw. indexSelect and indexAdd move whole contiguous
 * blocks with {@code System.arraycopy}/vector adds (embedding lookups and their gradients); gather
 * and scatter move single elements.
 */
final class IndexKernels {
    private IndexKernels() {}

    static void indexSelect(StridedView x, int dim, StridedView index, StridedView out) {
        long[] idx = (long[]) contiguousCopy(index).storage().array();
        StridedView xc = x.isContiguous() ? x : contiguousCopy(x);
        StridedView oc = out.isContiguous() ? out : StridedView.of(Storage.allocate(out.dtype(), out.numel()), out.shape());
        int[] shape = xc.shape();
        int outer = 1;
        for (int d = 0; d < dim; d++) outer *= shape[d];
        int inner = 1;
        for (int d = dim + 1; d < shape.length; d++) inner *= shape[d];
        int size = shape.length == 0 ? 1 : shape[dim];
        int n = idx.length;
        Object xa = xc.storage().array();
        Object oa = oc.storage().array();
        int xo = xc.storageOffset();
        int oo = oc.storageOffset();
        int block = inner;
        Parallel.forRange((long) outer * n, Math.max(1, Parallel.GRAIN / Math.max(1, inner)), (from, to) -> {
            for (long r = from; r < to; r++) {
                int o = (int) (r / n);
                int j = (int) (r % n);
                System.arraycopy(xa, xo + (o * size + (int) idx[j]) * block, oa, oo + (o * n + j) * block, block);
            }
        });
        if (oc != out) CopyKernels.copy(oc, out);
    }

    static void indexAdd(StridedView out, int dim, StridedView index, StridedView src) {
        long[] idx = (long[]) contiguousCopy(index).storage().array();
        StridedView oc = out.isContiguous() ? out : contiguousCopy(out);
        StridedView sc = src.isContiguous() ? src : contiguousCopy(src);
        int[] shape = oc.shape();
        int outer = 1;
        for (int d = 0; d < dim; d++) outer *= shape[d];
        int inner = 1;
        for (int d = dim + 1; d < shape.length; d++) inner *= shape[d];
        int size = shape.length == 0 ? 1 : shape[dim];
        int n = idx.length;
        Object oa = oc.storage().array();
        Object sa = sc.storage().array();
        int oo = oc.storageOffset();
        int so = sc.storageOffset();
        // Rows with the same index must be added in order; parallelise over the outer dims only.
        int block = inner;
        Parallel.forRange(outer, Math.max(1, Parallel.GRAIN / Math.max(1, inner * n)), (from, to) -> {
            for (int o = (int) from; o < to; o++) {
                for (int j = 0; j < n; j++) {
                    int d = oo + (o * size + (int) idx[j]) * block;
                    int s = so + (o * n + j) * block;
                    addBlock(sa, s, oa, d, block);
                }
            }
        });
        if (oc != out) CopyKernels.copy(oc, out);
    }

    private static void addBlock(Object sa, int s, Object oa, int d, int n) {
        switch (oa) {
            case float[] o -> { float[] a = (float[]) sa; for (int i = 0; i < n; i++) o[d + i] += a[s + i]; }
            case double[] o -> { double[] a = (double[]) sa; for (int i = 0; i < n; i++) o[d + i] += a[s + i]; }
            case long[] o -> { long[] a = (long[]) sa; for (int i = 0; i < n; i++) o[d + i] += a[s + i]; }
            case int[] o -> { int[] a = (int[]) sa; for (int i = 0; i < n; i++) o[d + i] += a[s + i]; }
            case byte[] o -> { byte[] a = (byte[]) sa; for (int i = 0; i < n; i++) o[d + i] += a[s + i]; }
            default -> throw new IllegalStateException();
        }
    }

    /** out[p] = x[p with p[dim] replaced by index[p]] over index's shape. */
    static void gather(StridedView x, int dim, StridedView index, StridedView out) {
        int[] xs = x.strides().clone();
        int dimStride = xs.length == 0 ? 0 : xs[dim];
        if (xs.length > 0) xs[dim] = 0;
        long[] ia = (long[]) index.storage().array();
        Object xa = x.storage().array();
        Object oa = out.storage().array();
        StridedIter it = StridedIter.of(index.shape(),
                new int[] {out.storageOffset(), index.storageOffset(), x.storageOffset()},
                out.strides(), index.strides(), xs);
        int os = it.innerStride(0);
        int is = it.innerStride(1);
        int xsInner = it.innerStride(2);
        it.parallel((offs, n) -> {
            for (int i = 0; i < n; i++) {
                int src = offs[2] + i * xsInner + (int) ia[offs[1] + i * is] * dimStride;
                moveElement(xa, src, oa, offs[0] + i * os);
            }
        });
    }

    /** out[p with p[dim] replaced by index[p]] (+)= src[p] over index's shape; sequential, so deterministic. */
    static void scatter(StridedView out, int dim, StridedView index, StridedView src, boolean accumulate) {
        int[] os = out.strides().clone();
        int dimStride = os.length == 0 ? 0 : os[dim];
        if (os.length > 0) os[dim] = 0;
        long[] ia = (long[]) index.storage().array();
        Object sa = src.storage().array();
        Object oa = out.storage().array();
        StridedIter it = StridedIter.of(index.shape(),
                new int[] {index.storageOffset(), src.storageOffset(), out.storageOffset()},
                index.strides(), src.strides(), os);
        int is = it.innerStride(0);
        int ss = it.innerStride(1);
        int osInner = it.innerStride(2);
        it.forEach(0, it.numel(), (offs, n) -> {
            for (int i = 0; i < n; i++) {
                int dst = offs[2] + i * osInner + (int) ia[offs[0] + i * is] * dimStride;
                if (accumulate) addElement(sa, offs[1] + i * ss, oa, dst);
                else moveElement(sa, offs[1] + i * ss, oa, dst);
            }
        });
    }

    private static void moveElement(Object src, int s, Object dst, int d) {
        switch (dst) {
            case float[] o -> o[d] = ((float[]) src)[s];
            case double[] o -> o[d] = ((double[]) src)[s];
            case long[] o -> o[d] = ((long[]) src)[s];
            case int[] o -> o[d] = ((int[]) src)[s];
            case byte[] o -> o[d] = ((byte[]) src)[s];
            default -> throw new IllegalStateException();
        }
    }

    private static void addElement(Object src, int s, Object dst, int d) {
        switch (dst) {
            case float[] o -> o[d] += ((float[]) src)[s];
            case double[] o -> o[d] += ((double[]) src)[s];
            case long[] o -> o[d] += ((long[]) src)[s];
            case int[] o -> o[d] += ((int[]) src)[s];
            case byte[] o -> o[d] += ((byte[]) src)[s];
            default -> throw new IllegalStateException();
        }
    }

    static StridedView nonzero(StridedView x) {
        StridedView c = contiguousCopy(x);
        int n = c.numel();
        Object a = c.storage().array();
        boolean[] nz = new boolean[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            boolean v = switch (a) {
                case float[] f -> f[i] != 0;
                case double[] f -> f[i] != 0;
                case long[] f -> f[i] != 0;
                case int[] f -> f[i] != 0;
                case byte[] f -> f[i] != 0;
                default -> throw new IllegalStateException();
            };
            nz[i] = v;
            if (v) count++;
        }
        int[] shape = x.shape();
        int nd = shape.length;
        long[] out = new long[count * nd];
        int[] idx = new int[nd];
        int row = 0;
        for (int i = 0; i < n; i++) {
            if (nz[i]) {
                for (int d = 0; d < nd; d++) out[row * nd + d] = idx[d];
                row++;
            }
            for (int d = nd - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
        return StridedView.of(Storage.ofArray(out, DType.INT64), count, nd);
    }

    /** A contiguous array-backed copy (always a new storage). */
    static StridedView contiguousCopy(StridedView t) {
        StridedView c = StridedView.of(Storage.allocate(t.dtype(), Shapes.numel(t.shape())), t.shape());
        CpuBackend.INSTANCE.copy(t, c);
        return c;
    }
}
