package dev.kindling.tensor;

import org.junit.jupiter.api.Test;

import static dev.kindling.tensor.TestSupport.assertBadInput;
import static dev.kindling.tensor.TestSupport.assertShape;
import static dev.kindling.tensor.TestSupport.naiveMatmul;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MatmulTest {
    private final Generator g = new Generator(7);

    private void assertMatches(Tensor actual, double[] expected, double tol) {
        double[] a = actual.toDoubleArray();
        assertEquals(expected.length, a.length);
        for (int i = 0; i < a.length; i++) assertEquals(expected[i], a[i], tol * Math.max(1, Math.abs(expected[i])), "element " + i);
    }

    @Test
    void twoDimensionalAgainstNaive() {
        Tensor a = Tensors.randn(g, DType.FLOAT64, 37, 53);
        Tensor b = Tensors.randn(g, DType.FLOAT64, 53, 29);
        assertMatches(a.matmul(b), naiveMatmul(a.toDoubleArray(), b.toDoubleArray(), 37, 53, 29), 1e-12);
        Tensor af = a.to(DType.FLOAT32);
        Tensor bf = b.to(DType.FLOAT32);
        assertMatches(af.matmul(bf), naiveMatmul(a.toDoubleArray(), b.toDoubleArray(), 37, 53, 29), 1e-5);
    }

    @Test
    void transposedAndStridedOperands() {
        Tensor a = Tensors.randn(g, DType.FLOAT64, 20, 30);
        Tensor b = Tensors.randn(g, DType.FLOAT64, 40, 30);
        double[] expected = naiveMatmul(a.toDoubleArray(), b.t().contiguous().toDoubleArray(), 20, 30, 40);
        assertMatches(a.matmul(b.t()), expected, 1e-12);
        assertMatches(a.t().contiguous().t().matmul(b.t()), expected, 1e-12);
        // every other row of a strided view, and a flipped operand (copied for BLAS)
        Tensor big = Tensors.randn(g, DType.FLOAT64, 40, 30);
        Tensor rows = big.slice(0, 0, 40, 2);
        assertMatches(rows.matmul(b.t()), naiveMatmul(rows.contiguous().toDoubleArray(), b.t().contiguous().toDoubleArray(), 20, 30, 40), 1e-12);
        assertMatches(a.flip(1).matmul(b.t()), naiveMatmul(a.flip(1).contiguous().toDoubleArray(), b.t().contiguous().toDoubleArray(), 20, 30, 40), 1e-12);
    }

    @Test
    void pytorchShapeRules() {
        assertShape(Tensors.ones(3).matmul(Tensors.ones(3)), new int[0]);
        assertEquals(3.0, Tensors.ones(3).matmul(Tensors.ones(3)).item());
        assertShape(Tensors.ones(2, 3).matmul(Tensors.ones(3)), 2);
        assertShape(Tensors.ones(3).matmul(Tensors.ones(3, 4)), 4);
        assertShape(Tensors.ones(5, 2, 3).matmul(Tensors.ones(3, 4)), 5, 2, 4);
        assertShape(Tensors.ones(5, 2, 3).matmul(Tensors.ones(3)), 5, 2);
        assertShape(Tensors.ones(3).matmul(Tensors.ones(5, 3, 4)), 5, 4);
        assertShape(Tensors.ones(2, 1, 4, 3).matmul(Tensors.ones(6, 3, 5)), 2, 6, 4, 5);
        assertShape(Tensors.ones(4, 2, 3).bmm(Tensors.ones(4, 3, 5)), 4, 2, 5);
        assertBadInput(() -> Tensors.ones(2, 3).matmul(Tensors.ones(4, 5)), "cannot be multiplied", "2x3", "4x5");
        assertBadInput(() -> Tensors.ones(2, 3).matmul(Tensors.ones(DType.FLOAT64, 3, 5)), "same dtype", "float32", "float64");
        assertBadInput(() -> Tensors.scalar(1).matmul(Tensors.ones(3)), "at least 1D");
    }

    @Test
    void batchedBroadcastAgainstPerMatrixProducts() {
        Tensor a = Tensors.randn(g, DType.FLOAT64, 2, 1, 4, 3);
        Tensor b = Tensors.randn(g, DType.FLOAT64, 5, 3, 6);
        Tensor c = a.matmul(b);
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 5; j++) {
                double[] e = naiveMatmul(a.select(0, i).select(0, 0).contiguous().toDoubleArray(),
                        b.select(0, j).contiguous().toDoubleArray(), 4, 3, 6);
                assertMatches(c.select(0, i).select(0, j), e, 1e-12);
            }
    }

    @Test
    void integerMatmulUsesTheJavaKernel() {
        Tensor a = Tensors.arange(6).view(2, 3);
        Tensor b = Tensors.arange(6).view(3, 2);
        assertArrayEquals(new long[] {10, 13, 28, 40}, a.matmul(b).toLongArray());
    }

    @Test
    void emptyInnerDimensionGivesZeros() {
        Tensor c = Tensors.ones(3, 0).matmul(Tensors.ones(0, 2));
        assertArrayEquals(new float[6], c.toFloatArray());
    }
}
