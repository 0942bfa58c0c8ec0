package dev.kindling.backend.cpu;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static dev.kindling.tensor.TestSupport.naiveMatmul;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worker team behind Parallel.forRange (every index once, failures rethrown, nested and
 * concurrent callers), and the products that GEMM runs on Kindling's threads: a batch split across
 * threads, each with a single-threaded BLAS, must give what BLAS gives in one call per product.
 */
class ThreadingTest {

    @Test
    void everyIndexOnceAcrossThreadsNestedAndConcurrentCallers() throws Exception {
        int before = Parallel.threads();
        Parallel.setThreads(Math.max(2, before));
        try {
            int n = 100_003;
            AtomicIntegerArray hits = new AtomicIntegerArray(n);
            Runnable job = () -> Parallel.forRange(n, 1000, (from, to) -> {
                for (long i = from; i < to; i++) hits.incrementAndGet((int) i);
                Parallel.forRange(10, 1, (a, b) -> { }); // nested: runs on the worker itself
            });
            Thread other = new Thread(job);
            other.start();
            job.run();
            other.join();
            for (int i = 0; i < n; i++) assertEquals(2, hits.get(i), "index " + i);
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void forChunksRunsEveryIndexOnceWithNestedCallsAndMoreChunksThanThreads() throws Exception {
        int before = Parallel.threads();
        Parallel.setThreads(Math.max(2, before));
        try {
            int n = 50_021;
            int inner = 37;
            AtomicIntegerArray hits = new AtomicIntegerArray(n);
            AtomicIntegerArray nested = new AtomicIntegerArray(n * inner);
            java.util.Set<Long> chunkStarts = java.util.concurrent.ConcurrentHashMap.newKeySet();
            Runnable job = () -> Parallel.forChunks(n, 100, 4, (from, to) -> {
                chunkStarts.add(from);
                for (long i = from; i < to; i++) {
                    hits.incrementAndGet((int) i);
                    long base = i * inner;
                    // nested: a worker or the publisher runs it by itself, every index still once
                    Parallel.forChunks(inner, 1, 4, (a, b) -> {
                        for (long j = a; j < b; j++) nested.incrementAndGet((int) (base + j));
                    });
                }
            });
            Thread other = new Thread(job); // a second caller: it finds the team busy or free, either way all runs
            other.start();
            job.run();
            other.join();
            for (int i = 0; i < n; i++) assertEquals(2, hits.get(i), "index " + i);
            for (int i = 0; i < n * inner; i++) assertEquals(2, nested.get(i), "nested index " + i);
            assertTrue(chunkStarts.size() > Parallel.threads(), "more chunks than threads: " + chunkStarts);
            assertThrows(IllegalArgumentException.class, () -> Parallel.forChunks(10, 1, 0, (a, b) -> { }));
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void aFailingChunkFailsTheCallAndTheTeamKeepsWorking() {
        int before = Parallel.threads();
        Parallel.setThreads(Math.max(2, before));
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(1000, 1, (from, to) -> {
                if (to == 1000) throw new IllegalStateException("last chunk");
            }));
            assertEquals("last chunk", e.getMessage());
            long[] sum = new long[1];
            Parallel.forRange(4, 1, (from, to) -> { synchronized (sum) { sum[0] += to - from; } });
            assertEquals(4, sum[0]);
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void splitBatchAndSingleThreadedProductsMatchNaive() {
        int before = Parallel.threads();
        Parallel.setThreads(Math.max(2, before));
        try {
            Generator g = new Generator(8);
            // 64 small products (split across threads), with a broadcast and a transposed operand.
            Tensor a = Tensors.randn(g, DType.FLOAT64, 1, 6, 25);
            Tensor b = Tensors.randn(g, DType.FLOAT64, 64, 49, 25).transpose(1, 2);
            Tensor c = a.bmm(b);
            double[] av = a.toDoubleArray();
            for (int i = 0; i < 64; i++) {
                double[] expected = naiveMatmul(av, b.select(0, i).contiguous().toDoubleArray(), 6, 25, 49);
                double[] actual = c.select(0, i).contiguous().toDoubleArray();
                for (int j = 0; j < expected.length; j++) assertEquals(expected[j], actual[j], 1e-12, "product " + i);
            }
            // A small single product (single-threaded BLAS), mid-sized ones in column and in row panels
            // on Kindling's threads (with a last panel narrower than the others), and a large one
            // (BLAS's threads).
            for (int[] s : new int[][] {{20, 30, 40}, {64, 400, 120}, {64, 784, 250}, {300, 200, 40}, {520, 520, 520}}) {
                Tensor x = Tensors.randn(g, DType.FLOAT64, s[0], s[1]);
                Tensor y = Tensors.randn(g, DType.FLOAT64, s[1], s[2]);
                double[] expected = naiveMatmul(x.toDoubleArray(), y.toDoubleArray(), s[0], s[1], s[2]);
                double[] actual = x.matmul(y).toDoubleArray();
                for (int j = 0; j < expected.length; j++) assertEquals(expected[j], actual[j], 1e-10);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }
}
