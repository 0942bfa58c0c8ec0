package dev.kindling.backend.cpu;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;

import static dev.kindling.tensor.TestSupport.naiveMatmul;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GemmTest {

    @Test
    void openBlasLoadsFromTheBundledJarAndNamesItsKernel() {
        assertTrue(OpenBlas.available(), "OpenBLAS failed to load: " + OpenBlas.failure());
        assertNotNull(OpenBlas.coreName());
        assertTrue(OpenBlas.describe().contains(OpenBlas.coreName()));
    }

    @Test
    void transposedOperandsReachBlasWithoutACopy() {
        Tensor a = Tensors.randn(new Generator(1), 64, 32);
        Tensor b = Tensors.randn(new Generator(2), 48, 32);
        long before = MatmulKernel.OPERAND_COPIES.get();
        a.matmul(b.t());
        a.t().t().matmul(b.t());
        b.matmul(a.t()).t().matmul(b); // transposed output of one product fed to the next
        Tensors.randn(new Generator(3), 4, 32, 8).transpose(1, 2).matmul(b.t());
        assertEquals(before, MatmulKernel.OPERAND_COPIES.get(), "no operand should have been copied");
        a.flip(0).matmul(b.t());
        assertEquals(before + 1, MatmulKernel.OPERAND_COPIES.get(), "a negative-stride operand is copied once");
    }

    @Test
    void javaFallbackMatchesNaiveForAnyStrides() {
        Generator g = new Generator(5);
        double[] a = Tensors.randn(g, DType.FLOAT64, 13 * 17).toDoubleArray();
        double[] b = Tensors.randn(g, DType.FLOAT64, 17 * 11).toDoubleArray();
        double[] expected = naiveMatmul(a, b, 13, 17, 11);
        double[] c = new double[13 * 11];
        JavaGemm.gemm(a, 0, 17, 1, b, 0, 11, 1, c, 0, 11, 13, 11, 17);
        for (int i = 0; i < c.length; i++) assertEquals(expected[i], c[i], 1e-12);
        // B given transposed: element (k, n) at n * 17 + k
        double[] bt = new double[17 * 11];
        for (int k = 0; k < 17; k++) for (int n = 0; n < 11; n++) bt[n * 17 + k] = b[k * 11 + n];
        double[] c2 = new double[13 * 11];
        JavaGemm.gemm(a, 0, 17, 1, bt, 0, 1, 17, c2, 0, 11, 13, 11, 17);
        for (int i = 0; i < c2.length; i++) assertEquals(expected[i], c2[i], 1e-12);
        float[] af = new float[a.length];
        float[] bf = new float[b.length];
        for (int i = 0; i < a.length; i++) af[i] = (float) a[i];
        for (int i = 0; i < b.length; i++) bf[i] = (float) b[i];
        float[] cf = new float[13 * 11];
        JavaGemm.gemm(af, 0, 17, 1, bf, 0, 11, 1, cf, 0, 11, 13, 11, 17);
        for (int i = 0; i < cf.length; i++) assertEquals(expected[i], cf[i], 1e-4);
        float[] nan = {Float.NaN, 0, 0, 0};
        float[] out = new float[4];
        JavaGemm.gemm(new float[] {0, 0, 0, 0}, 0, 2, 1, nan, 0, 2, 1, out, 0, 2, 2, 2, 2);
        assertTrue(Float.isNaN(out[0]), "0 * NaN is NaN: the fallback must not skip zeros");
    }

    @Test
    void threadBudgetIsSettableAtRunTime() {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            assertEquals(1, Parallel.threads());
            Parallel.setThreadLimitForCurrentThread(3);
            assertEquals(3, Parallel.threads());
            Parallel.setThreadLimitForCurrentThread(null);
            assertEquals(1, Parallel.threads());
        } finally {
            Parallel.setThreads(before);
        }
    }
}
