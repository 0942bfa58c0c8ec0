package dev.kindling.tensor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Op outputs lent by the global {@link BufferPool}: an array is never lent twice while any tensor
 * or view of its storage is alive, released storage fails loudly instead of reading recycled
 * memory, arrays come back through the GC as well as through release, and every op that takes a
 * pooled output writes all of it (results with dirty pooled arrays equal results with fresh ones).
 */
class PooledStorageTest {
    private static final int N = 1 << 18; // 1 MiB of float32: pooled under the default bounds
    private final BufferPool pool = BufferPool.global();
    private long savedMin;
    private long savedMax;

    @BeforeEach
    void freshPool() {
        savedMin = pool.minBytes();
        savedMax = pool.maxBytes();
        pool.setMaxBytes(256L << 20);
        pool.setMinBytes(1L << 20); // the default, whatever kindling.pool.minBytes says
        pool.trim();
    }

    @AfterEach
    void restorePool() {
        pool.setMinBytes(savedMin);
        pool.setMaxBytes(savedMax);
        pool.trim();
    }

    private static Tensor ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (i % 1000) - 500;
        return Tensors.fromArray(v, n);
    }

    @Test
    void releasedArrayIsReusedAndTheReleasedTensorAndItsViewsThrow() {
        Tensor x = ramp(N);
        Tensor t = x.relu();
        Tensor view = t.narrow(0, 10, 100);
        assertTrue(t.storage().isPooled());
        Object array = t.storage().array();
        assertTrue(t.release());
        assertFalse(t.release(), "a second release does nothing");
        assertTrue(t.storage().isReleased());
        Tensor u = x.neg();
        assertSame(array, u.storage().array(), "the next output of that size reuses the released array");
        float[] expected = x.toFloatArray();
        for (int i = 0; i < N; i++) expected[i] = -expected[i];
        assertArrayEquals(expected, u.toFloatArray());
        IllegalStateException e = assertThrows(IllegalStateException.class, t::toFloatArray);
        assertTrue(e.getMessage().contains("released"), e.getMessage());
        assertThrows(IllegalStateException.class, view::toFloatArray);
        assertThrows(IllegalStateException.class, () -> view.add(1.0));
        assertThrows(IllegalStateException.class, () -> x.add(1.0).add_(t));
    }

    @Test
    void storageNotFromThePoolIgnoresRelease() {
        Tensor z = Tensors.zeros(N);
        assertFalse(z.release());
        assertFalse(ramp(16).relu().release(), "small outputs are plain arrays");
        assertEquals(0.0, z.sum().item());
    }

    /** A view alone keeps its storage: GCs and a flood of same-size allocations never get its array. */
    @Test
    void aLiveViewKeepsItsArrayThroughGcAndChurn() {
        Tensor x = ramp(N);
        Tensor view = x.mul(3.0).narrow(0, N - 1000, 1000); // the base tensor is dropped at once
        float[] expected = view.toFloatArray();
        Object held = view.storage().array();
        for (int round = 0; round < 20; round++) {
            System.gc();
            List<Tensor> flood = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                Tensor f = x.add(round + k);
                assertNotSame(held, f.storage().array(), "an array of a live view was lent again");
                flood.add(f.fill_(Float.NaN));
            }
            if (round % 2 == 0) flood.forEach(Tensor::release);
            assertArrayEquals(expected, view.toFloatArray(), "round " + round);
        }
        assertTrue(pool.hits() > 0, "the flood reused arrays: " + pool);
    }

    /** Without release, the Cleaner gives the array back once GC finds the storage unreachable. */
    @Test
    void unreachableStorageReturnsItsArrayThroughTheGc() throws InterruptedException {
        int n = N + 17; // a size class no other test uses, so no other returned array can crowd ours out
        Object array = lendAndDrop(ramp(n));
        boolean back = false;
        for (int attempt = 0; attempt < 50 && !back; attempt++) {
            System.gc();
            Thread.sleep(20);
            pool.reclaim();
            // Outputs of earlier tests may come back too: take every free array of this size and look for ours.
            List<Storage> taken = new ArrayList<>();
            long before = pool.hits();
            do {
                taken.add(Storage.allocateUninitialized(DType.FLOAT32, n));
            } while (pool.hits() > before + taken.size() - 1);
            back = taken.stream().anyMatch(s -> s.array() == array);
            taken.forEach(Storage::release);
        }
        assertTrue(back, "the dropped output's array came back to the pool: " + pool);
    }

    private static Object lendAndDrop(Tensor x) {
        Tensor t = x.sigmoid();
        return t.storage().array(); // only the test keeps the raw array, to check identity later
    }

    /**
     * Threads compute exact integer arithmetic on pooled outputs while another thread runs GCs;
     * some outputs are released, some dropped. Any array lent twice would corrupt a result.
     */
    @Test
    void concurrentOpsUnderGcNeverShareAnArray() throws InterruptedException {
        Tensor x = ramp(N);
        float[] base = x.toFloatArray();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] workers = new Thread[3];
        for (int w = 0; w < workers.length; w++) {
            int seed = w;
            workers[w] = new Thread(() -> {
                try {
                    for (int it = 0; it < 60; it++) {
                        int k = (seed * 7 + it) % 5 + 1;
                        Tensor a = x.mul(k);
                        Tensor b = a.add(it);
                        Tensor c = b.sub(x);
                        if (it % 3 == 0) a.release();
                        float[] got = c.toFloatArray();
                        for (int i = 0; i < N; i += 997) {
                            float want = base[i] * k + it - base[i];
                            if (got[i] != want) throw new AssertionError("thread " + seed + " it " + it + " [" + i + "] " + got[i] + " != " + want);
                        }
                        if (it % 2 == 0) b.release();
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
            workers[w].start();
        }
        Thread gc = new Thread(() -> {
            while (Arrays.stream(workers).anyMatch(Thread::isAlive)) {
                System.gc();
                Thread.onSpinWait();
            }
        });
        gc.start();
        for (Thread t : workers) t.join();
        gc.join();
        assertNull(failure.get(), () -> String.valueOf(failure.get()));
        assertTrue(pool.hits() > 0, pool.toString());
    }

    /** Every op on the pooled path, all sizes pooled, each result equal to the one from fresh zeroed arrays. */
    @Test
    void kernelsWriteEveryElementOfADirtyPooledArray() {
        pool.setMinBytes(0);
        Map<String, float[]> fresh = results(false);
        Map<String, float[]> dirty = results(true);
        assertTrue(pool.hits() > fresh.size(), "the dirty run reused pooled arrays: " + pool);
        for (String op : fresh.keySet()) assertArrayEquals(fresh.get(op), dirty.get(op), op);
    }

    private Map<String, float[]> results(boolean dirty) {
        int rows = 64;
        int cols = 48;
        Generator g = new Generator(3);
        Tensor x = Tensors.randn(g, rows, cols);
        Tensor y = Tensors.randn(g, rows, cols);
        Tensor a = Tensors.randn(g, cols, rows);
        Tensor row = Tensors.randn(g, cols);
        Tensor col = Tensors.randn(g, rows, 1);
        Tensor xi = x.mul(10).to(DType.INT32);
        Map<String, Supplier<Tensor>> ops = new LinkedHashMap<>();
        ops.put("relu", x::relu);
        ops.put("neg", x::neg);
        ops.put("exp", x::exp);
        ops.put("sigmoid", x::sigmoid);
        ops.put("tanh", x::tanh);
        ops.put("square", x::square);
        ops.put("add", () -> x.add(y));
        ops.put("sub", () -> x.sub(y));
        ops.put("mul", () -> x.mul(y));
        ops.put("div", () -> x.div(y));
        ops.put("maximum", () -> x.maximum(y));
        ops.put("x + row", () -> x.add(row));
        ops.put("x + col", () -> x.add(col));
        ops.put("a.t() + row", () -> a.t().add(row));
        ops.put("x + a.t()", () -> x.add(a.t()));
        ops.put("mul scalar", () -> x.mul(2.5));
        ops.put("pow", () -> x.abs().pow(1.5));
        ops.put("gt (bool)", () -> x.gt(y).to(DType.FLOAT32));
        ops.put("int32 add", () -> xi.add(xi).to(DType.FLOAT32));
        ops.put("to float64", () -> x.to(DType.FLOAT64).mul(3).to(DType.FLOAT32));
        ops.put("where", () -> x.where(x.gt(y), y));
        if (dirty) poison(ops);
        Map<String, float[]> out = new LinkedHashMap<>();
        ops.forEach((name, op) -> out.put(name, op.get().toFloatArray()));
        return out;
    }

    /** Runs each op once, fills every output with garbage and releases it, so the next run gets dirty arrays. */
    private void poison(Map<String, Supplier<Tensor>> ops) {
        pool.setMaxBytes(0);
        pool.setMaxBytes(256L << 20); // drop the clean arrays of the first run
        List<Tensor> outputs = new ArrayList<>();
        IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
        for (Supplier<Tensor> op : ops.values()) {
            for (int k = 0; k < 3; k++) outputs.add(op.get());
        }
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64, DType.BOOL}) {
            for (int k = 0; k < 6; k++) outputs.add(Tensor.of(Storage.allocateUninitialized(t, 64 * 48), 64, 48));
        }
        for (Tensor o : outputs) {
            if (!o.storage().isPooled() || seen.put(o.storage(), Boolean.TRUE) != null) continue;
            Tensor flat = Tensor.of(o.storage(), (int) o.storage().numel());
            flat.fill_(o.dtype().isFloatingPoint() ? Float.NaN : 77);
            o.release();
        }
        assertTrue(pool.bytesHeld() > 0, pool.toString());
    }
}
