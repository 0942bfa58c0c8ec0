package dev.kindling.cuda;

import dev.kindling.backend.StridedView;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Storage;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The column-major plan for cuBLAS, checked without a GPU: a column-major strided-batched GEMM is
 * emulated on the host exactly as cuBLAS defines it, run on the plan, and compared with the
 * row-major product computed from the views' own strides.
 */
class BlasLayoutTest {
    private final Random random = new Random(7);

    @Test
    void contiguousOperands() { check(view(new int[] {2, 3, 4}, new int[] {12, 4, 1}), view(new int[] {2, 4, 5}, new int[] {20, 5, 1})); }

    @Test
    void transposedOperands() {
        // a [2, 3, 4] stored as its transpose [2, 4, 3]; b [2, 4, 5] stored as [2, 5, 4].
        check(view(new int[] {2, 3, 4}, new int[] {12, 1, 3}), view(new int[] {2, 4, 5}, new int[] {20, 1, 4}));
    }

    @Test
    void broadcastBatchAndPaddedRows() {
        // b shared by every batch (stride 0); a's rows 6 apart (a slice of a wider matrix).
        check(view(new int[] {3, 2, 4}, new int[] {12, 6, 1}), view(new int[] {3, 4, 5}, new int[] {0, 5, 1}));
    }

    @Test
    void vectorShapes() {
        check(view(new int[] {1, 1, 4}, new int[] {4, 4, 1}), view(new int[] {1, 4, 1}, new int[] {4, 1, 1}));
        check(view(new int[] {1, 3, 1}, new int[] {3, 1, 1}), view(new int[] {1, 1, 5}, new int[] {5, 5, 1}));
    }

    @Test
    void noUnitStrideHasNoPlan() {
        StridedView a = view(new int[] {1, 3, 4}, new int[] {24, 8, 2});
        StridedView b = view(new int[] {1, 4, 5}, new int[] {20, 5, 1});
        assertNull(BlasLayout.plan(a, b, StridedView.allocate(DType.FLOAT64, 1, 3, 5)));
    }

    private void check(StridedView a, StridedView b) {
        int batch = a.shape()[0], m = a.shape()[1], k = a.shape()[2], n = b.shape()[2];
        StridedView out = StridedView.allocate(DType.FLOAT64, batch, m, n);
        BlasLayout p = BlasLayout.plan(a, b, out);
        assertNotNull(p);
        emulateColumnMajorGemm(p, a, b, out);
        double[] expected = new double[batch * m * n];
        for (int z = 0; z < batch; z++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int l = 0; l < k; l++) s += at(a, z, i, l) * at(b, z, l, j);
                    expected[(z * m + i) * n + j] = s;
                }
        assertArrayEquals(expected, (double[]) out.storage().array(), 1e-12);
    }

    /** C' = op(X) op(Y) per batch, column-major, X = b's memory, Y = a's, as cuBLAS defines gemm. */
    private static void emulateColumnMajorGemm(BlasLayout p, StridedView a, StridedView b, StridedView c) {
        double[] x = (double[]) b.storage().array();
        double[] y = (double[]) a.storage().array();
        double[] cc = (double[]) c.storage().array();
        for (int z = 0; z < p.batch(); z++)
            for (int i = 0; i < p.m(); i++)
                for (int j = 0; j < p.n(); j++) {
                    double s = 0;
                    for (int l = 0; l < p.k(); l++) {
                        double xv = x[(int) (b.storageOffset() + z * p.strideB() + (p.transB() ? l + (long) i * p.ldb() : i + (long) l * p.ldb()))];
                        double yv = y[(int) (a.storageOffset() + z * p.strideA() + (p.transA() ? j + (long) l * p.lda() : l + (long) j * p.lda()))];
                        s += xv * yv;
                    }
                    cc[(int) (c.storageOffset() + z * p.strideC() + i + (long) j * p.ldc())] = s;
                }
    }

    private static double at(StridedView v, int z, int i, int j) {
        int[] s = v.strides();
        return ((double[]) v.storage().array())[v.storageOffset() + z * s[0] + i * s[1] + j * s[2]];
    }

    /** A view of random values with this layout over just enough memory. */
    private StridedView view(int[] shape, int[] strides) {
        int extent = 1;
        for (int d = 0; d < shape.length; d++) extent += (shape[d] - 1) * strides[d];
        double[] data = new double[extent];
        for (int i = 0; i < extent; i++) data[i] = random.nextInt(19) - 9;
        return StridedView.of(Storage.ofArray(data, DType.FLOAT64), shape, strides, 0);
    }
}
