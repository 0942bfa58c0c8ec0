package dev.kindling.cuda;

import dev.kindling.backend.StridedView;

/**
 * A batched row-major product out = a x b expressed as one column-major strided-batched GEMM, as
 * cuBLAS takes it: out^T = b^T a^T, so cuBLAS's (m, n, k) is (N, M, K), its first operand is b and
 * its second is a, each either as stored (op N) or transposed (op T) depending on which of its
 * strides is 1. Null when a layout has no unit stride (the caller then makes it contiguous first).
 * Pure arithmetic, tested without a GPU.
 */
record BlasLayout(boolean transB, int ldb, boolean transA, int lda, int ldc, int m, int n, int k, int batch,
                  long strideA, long strideB, long strideC) {

    /** The plan for a [B, M, K] x b [B, K, N] -> out [B, M, N], or null. */
    static BlasLayout plan(StridedView a, StridedView b, StridedView out) {
        int[] as = a.strides(), bs = b.strides(), cs = out.strides();
        int batch = out.shape()[0], mm = out.shape()[1], nn = out.shape()[2], kk = a.shape()[2];
        Operand x = Operand.of(nn, kk, bs[2], bs[1]);   // b^T, N x K
        Operand y = Operand.of(kk, mm, as[2], as[1]);   // a^T, K x M
        Operand c = Operand.of(nn, mm, cs[2], cs[1]);   // out^T, N x M
        if (x == null || y == null || c == null || c.transposed) return null;
        if (batch > 1 && cs[0] == 0) return null;
        return new BlasLayout(x.transposed, x.ld, y.transposed, y.ld, c.ld, nn, mm, kk, batch,
                batch == 1 ? 0 : as[0], batch == 1 ? 0 : bs[0], batch == 1 ? 0 : cs[0]);
    }

    /**
     * A rows x cols matrix whose (i, j) element is at i rowStride + j colStride, as cuBLAS sees it:
     * stored column-major with leading dimension ld, or the transpose of such a matrix. Strides of
     * size-1 dims are free and chosen to fit.
     */
    private record Operand(boolean transposed, int ld) {
        static Operand of(int rows, int cols, int rowStride, int colStride) {
            int rs = rows == 1 ? 1 : rowStride;
            int cs = cols == 1 ? Math.max(rows, 1) : colStride;
            if (rs == 1 && cs >= Math.max(1, rows)) return new Operand(false, cs);
            cs = cols == 1 ? 1 : colStride;
            rs = rows == 1 ? Math.max(cols, 1) : rowStride;
            if (cs == 1 && rs >= Math.max(1, cols)) return new Operand(true, rs);
            return null;
        }
    }
}
