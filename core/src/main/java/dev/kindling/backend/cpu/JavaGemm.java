package dev.kindling.backend.cpu;

/**
 * A correct, reasonably fast GEMM in plain Java, used only when OpenBLAS cannot load (and for
 * int64 matmul, which BLAS lacks). C[m, n] = sum_k A[m, k] * B[k, n] with arbitrary element strides;
 * rows of C are split across threads, and the inner loop runs along a contiguous row of B.
 */
final class JavaGemm {
    private JavaGemm() {}

    static void gemm(float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs,
                     float[] c, int co, int crs, int m, int n, int k) {
        float[] bc = b;
        int bOff = bo;
        int bRow = brs;
        if (bcs != 1) { // make B's rows contiguous so the inner loop vectorises
            bc = new float[k * n];
            for (int kk = 0; kk < k; kk++) for (int j = 0; j < n; j++) bc[kk * n + j] = b[bo + kk * brs + j * bcs];
            bOff = 0;
            bRow = n;
        }
        float[] bb = bc;
        int bOffset = bOff;
        int bRowStride = bRow;
        Parallel.forRange(m, Math.max(1, 4096 / Math.max(1, n * k / 64 + 1)), (from, to) -> {
            float[] acc = new float[n];
            for (int i = (int) from; i < to; i++) {
                java.util.Arrays.fill(acc, 0f);
                for (int kk = 0; kk < k; kk++) {
                    float av = a[ao + i * ars + kk * acs];
                    int base = bOffset + kk * bRowStride;
                    for (int j = 0; j < n; j++) acc[j] += av * bb[base + j];
                }
                System.arraycopy(acc, 0, c, co + i * crs, n);
            }
        });
    }

    static void gemm(double[] a, int ao, int ars, int acs, double[] b, int bo, int brs, int bcs,
                     double[] c, int co, int crs, int m, int n, int k) {
        double[] bc = b;
        int bOff = bo;
        int bRow = brs;
        if (bcs != 1) {
            bc = new double[k * n];
            for (int kk = 0; kk < k; kk++) for (int j = 0; j < n; j++) bc[kk * n + j] = b[bo + kk * brs + j * bcs];
            bOff = 0;
            bRow = n;
        }
        double[] bb = bc;
        int bOffset = bOff;
        int bRowStride = bRow;
        Parallel.forRange(m, Math.max(1, 4096 / Math.max(1, n * k / 64 + 1)), (from, to) -> {
            double[] acc = new double[n];
            for (int i = (int) from; i < to; i++) {
                java.util.Arrays.fill(acc, 0.0);
                for (int kk = 0; kk < k; kk++) {
                    double av = a[ao + i * ars + kk * acs];
                    int base = bOffset + kk * bRowStride;
                    for (int j = 0; j < n; j++) acc[j] += av * bb[base + j];
                }
                System.arraycopy(acc, 0, c, co + i * crs, n);
            }
        });
    }

    static void gemm(long[] a, int ao, int ars, int acs, long[] b, int bo, int brs, int bcs,
                     long[] c, int co, int crs, int m, int n, int k) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long s = 0;
                for (int kk = 0; kk < k; kk++) s += a[ao + i * ars + kk * acs] * b[bo + kk * brs + j * bcs];
                c[co + i * crs + j] = s;
            }
        }
    }
}
