package dev.kindling.tensor;

import org.junit.jupiter.api.Test;

import static dev.kindling.tensor.TestSupport.assertBadInput;
import static dev.kindling.tensor.TestSupport.assertShape;
import static dev.kindling.tensor.TestSupport.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReductionTest {

    @Test
    void float32SumsOverLongAxesStayAccurate() {
        int n = 10_000_000;
        Tensor x = Tensors.full(0.1, n);
        double exact = n * (double) 0.1f;
        assertEquals(exact, x.sum().item(), exact * 1e-7, "a naive float loop would be off by ~1e-2 relative");
        Tensor rows = Tensors.full(0.1, 4, n / 4);
        assertEquals(exact / 4, rows.sum(1).get(3), exact * 1e-7);
        assertEquals(exact / 4, rows.t().sum(0).get(2), exact * 1e-7, "strided rows");
    }

    @Test
    void sumOverAnySetOfDims() {
        Tensor x = Tensors.arange(0, 24, 1.0, DType.FLOAT64).view(2, 3, 4);
        assertValues(x.sum(0), 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34);
        assertValues(x.sum(new int[] {0, 2}, false), 60, 92, 124);
        assertShape(x.sum(new int[] {0, 2}, true), 1, 3, 1);
        assertValues(x.permute(2, 0, 1).sum(new int[] {1, 2}, false), 60, 66, 72, 78);
        assertValues(x.sum(-1).sum(-1), 66, 210);
        assertEquals(276.0, x.sum().item());
        assertEquals(DType.INT64, Tensors.tensor(true, true, false).sum().dtype());
        assertEquals(2L, Tensors.tensor(true, true, false).sum().itemLong());
        assertBadInput(() -> x.sum(3), "sum", "dim 3", "out of range");
        assertBadInput(() -> x.sum(new int[] {1, 1}, false), "appears more than once");
    }

    @Test
    void columnReductionsOfManyRows() {
        Tensor x = Tensors.randn(new Generator(11), 1000, 37);
        float[] v = x.toFloatArray();
        float[] s = x.sum(0).toFloatArray();
        float[] mx = x.amax(0).toFloatArray();
        long[] am = x.argmin(0).toLongArray();
        for (int j = 0; j < 37; j++) {
            double e = 0;
            float best = Float.POSITIVE_INFINITY;
            float top = Float.NEGATIVE_INFINITY;
            int arg = -1;
            for (int i = 0; i < 1000; i++) {
                e += v[i * 37 + j];
                top = Math.max(top, v[i * 37 + j]);
                if (v[i * 37 + j] < best) { best = v[i * 37 + j]; arg = i; }
            }
            assertEquals(e, s[j], 1e-4);
            assertEquals(top, mx[j], 0f);
            assertEquals(arg, am[j]);
        }
    }

    @Test
    void maxMinArgAndTies() {
        Tensor x = Tensors.tensor(new float[][] {{1, 5, 5}, {7, 2, 7}});
        var m = x.max(1);
        assertValues(m.values(), 5, 7);
        assertValues(m.indices(), 1, 0);
        assertValues(x.argmax(1), 1, 0);
        assertEquals(0L, x.argmin().itemLong());
        assertEquals(4L, x.argmin(1).getLong(1) + 3 * 1);
        assertEquals(7.0, x.max().item());
        assertValues(x.min(0, true).values(), 1, 2, 5);
        Tensor n = Tensors.tensor(1f, Float.NaN, 3f);
        assertTrue(Double.isNaN(n.max().item()));
        assertEquals(1L, n.argmax().itemLong(), "NaN counts as the maximum, as PyTorch");
        assertBadInput(() -> Tensors.zeros(0).max(), "non-zero size");
    }

    @Test
    void meanVarStdNorm() {
        Tensor x = Tensors.tensor(new double[][] {{1, 2, 3, 4}, {2, 4, 6, 8}});
        assertValues(x.mean(1), 2.5, 5);
        assertValues(x.var(new int[] {1}, true, false), 5.0 / 3, 20.0 / 3);
        assertValues(x.var(new int[] {1}, false, false), 1.25, 5);
        assertValues(x.std(new int[] {1}, true, false), Math.sqrt(5.0 / 3), Math.sqrt(20.0 / 3));
        assertEquals(Math.sqrt(150), x.norm().item(), 1e-12);
        assertEquals(30.0, x.norm(1).item(), 1e-12);
        assertEquals(8.0, x.norm(Double.POSITIVE_INFINITY).item(), 0);
        assertValues(x.norm(2, new int[] {0}, false), Math.sqrt(5), Math.sqrt(20), Math.sqrt(45), Math.sqrt(80));
        assertBadInput(() -> Tensors.arange(4).mean(), "mean", "floating point");
    }

    @Test
    void logsumexpSubtractsTheMax() {
        Tensor x = Tensors.tensor(new float[][] {{1e4f, 1e4f}, {-1e4f, 0f}});
        assertValues(x.logsumexp(1), 1e4 + Math.log(2), 0);
        Tensor inf = Tensors.tensor(Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY);
        assertEquals(Double.NEGATIVE_INFINITY, inf.logsumexp(0).item());
    }

    @Test
    void prodCumsumAnyAll() {
        Tensor x = Tensors.tensor(new float[][] {{1, 2, 3}, {4, 0, 6}});
        assertValues(x.prod(1, false), 6, 0);
        assertEquals(0.0, x.prod().item());
        assertValues(x.cumsum(1), 1, 3, 6, 4, 4, 10);
        assertValues(x.cumsum(0), 1, 2, 3, 5, 2, 9);
        assertEquals(1.0, x.eq(0).any().item());
        assertEquals(0.0, x.eq(0).all().item());
        assertValues(x.gt(0).all(1, false), 1, 0);
        assertValues(Tensors.arange(5).cumsum(0), 0, 1, 3, 6, 10);
    }
}
