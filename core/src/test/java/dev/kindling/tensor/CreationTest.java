package dev.kindling.tensor;

import dev.kindling.backend.cpu.Parallel;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.kindling.tensor.TestSupport.assertBadInput;
import static dev.kindling.tensor.TestSupport.assertShape;
import static dev.kindling.tensor.TestSupport.assertValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CreationTest {

    @Test
    void constantsAndRanges() {
        assertValues(Tensors.zeros(2, 2), 0, 0, 0, 0);
        assertValues(Tensors.ones(DType.INT32, 3), 1, 1, 1);
        assertValues(Tensors.full(2.5, 2), 2.5, 2.5);
        assertValues(Tensors.arange(2, 11, 3), 2, 5, 8);
        assertValues(Tensors.arange(5, 0, -2), 5, 3, 1);
        assertEquals(DType.INT64, Tensors.arange(3).dtype());
        assertValues(Tensors.arange(0, 1, 0.25, DType.FLOAT32), 0, 0.25, 0.5, 0.75);
        assertValues(Tensors.linspace(-1, 1, 5), -1, -0.5, 0, 0.5, 1);
        assertValues(Tensors.eye(3), 1, 0, 0, 0, 1, 0, 0, 0, 1);
        assertShape(Tensors.eye(2, 3, DType.FLOAT64), 2, 3);
        assertValues(Tensors.zerosLike(Tensors.ones(2)).add(Tensors.onesLike(Tensors.ones(2))), 1, 1);
        assertBadInput(() -> Tensors.zeros(-1), "sizes must be >= 0");
    }

    @Test
    void sameSeedSameValuesWhateverTheThreadCount() {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[] one = Tensors.randn(new Generator(123), 200_000).toFloatArray();
            float[] uOne = Tensors.rand(new Generator(5), 100_000).toFloatArray();
            Parallel.setThreads(4);
            float[] four = Tensors.randn(new Generator(123), 200_000).toFloatArray();
            float[] uFour = Tensors.rand(new Generator(5), 100_000).toFloatArray();
            assertArrayEquals(one, four);
            assertArrayEquals(uOne, uFour);
        } finally {
            Parallel.setThreads(before);
        }
        Generator g = new Generator(9);
        float[] first = Tensors.rand(g, 10).toFloatArray();
        float[] second = Tensors.rand(g, 10).toFloatArray();
        assertFalse(Arrays.equals(first, second), "consecutive calls give fresh numbers");
        g.manualSeed(9);
        assertArrayEquals(first, Tensors.rand(g, 10).toFloatArray(), "reseeding restarts the sequence");
    }

    @Test
    void distributionsHaveTheRightMoments() {
        Generator g = new Generator(2024);
        Tensor n = Tensors.normal(3, 2, g, DType.FLOAT64, 400_000);
        assertEquals(3, n.mean().item(), 0.02);
        assertEquals(2, n.std().item(), 0.02);
        Tensor u = Tensors.rand(g, DType.FLOAT64, 400_000);
        assertEquals(0.5, u.mean().item(), 0.005);
        assertTrue(u.min().item() >= 0 && u.max().item() < 1);
        Tensor r = Tensors.randint(-3, 4, g, 100_000);
        assertEquals(-3.0, r.min().item());
        assertEquals(3.0, r.max().item());
        assertEquals(0.25, Tensors.bernoulli(0.25, g, DType.FLOAT32, 200_000).mean().item(), 0.005);
        Tensor p = Tensors.tensor(0f, 1f, 0.5f).expand(50_000, 3).contiguous();
        Tensor b = Tensors.bernoulli(p, g).mean(0);
        assertValues(b.narrow(0, 0, 2), 0, 1);
        assertEquals(0.5, b.get(2), 0.01);
    }

    @Test
    void randpermIsAPermutation() {
        long[] p = Tensors.randperm(1000, new Generator(1)).toLongArray();
        long[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 1000; i++) assertEquals(i, sorted[i]);
        assertFalse(Arrays.equals(p, sorted));
        assertArrayEquals(p, Tensors.randperm(1000, new Generator(1)).toLongArray());
    }

    @Test
    void factoryArgumentErrors() {
        assertBadInput(() -> Tensors.rand(new Generator(0), DType.INT64, 3), "rand", "floating point", "int64");
        assertBadInput(() -> Tensors.randint(5, 5, 2), "randint", "low < high");
        assertBadInput(() -> Tensors.normal(0, -1, 2), "std", ">= 0");
        assertBadInput(() -> Tensors.tensor(new float[][] {{1, 2}, {3}}), "row 1", "length 1");
    }
}
