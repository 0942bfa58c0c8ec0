package dev.kindling.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pool's size classes and bounds, on pools of its own (the global pool is left alone). */
class BufferPoolTest {
    private static final int MIB_FLOATS = 1 << 18; // 1 MiB of float32
    private static final long MIB = 1L << 20;

    @Test
    void servesOnlyTheExactLengthAndDtype() {
        BufferPool pool = new BufferPool(8 * MIB, MIB, 8);
        float[] a = new float[MIB_FLOATS];
        pool.offer(DType.FLOAT32, MIB_FLOATS, a);
        assertNull(pool.take(DType.FLOAT32, MIB_FLOATS + 1), "another length");
        assertNull(pool.take(DType.INT32, MIB_FLOATS), "same bytes, another dtype");
        assertSame(a, pool.take(DType.FLOAT32, MIB_FLOATS));
        assertNull(pool.take(DType.FLOAT32, MIB_FLOATS), "an array is lent once");
        assertEquals(0, pool.bytesHeld());
        assertEquals(1, pool.hits());
        assertEquals(3, pool.misses());
    }

    @Test
    void neverHoldsMoreThanMaxBytesAndEvictsTheLeastRecentlyUsedSizeClass() {
        BufferPool pool = new BufferPool(2 * MIB, MIB, 8);
        float[] f = new float[MIB_FLOATS];
        int[] i = new int[MIB_FLOATS];
        long[] l = new long[MIB_FLOATS / 2];
        pool.offer(DType.FLOAT32, MIB_FLOATS, f);
        pool.offer(DType.INT32, MIB_FLOATS, i);
        assertEquals(2 * MIB, pool.bytesHeld());
        pool.offer(DType.INT64, MIB_FLOATS / 2, l);
        assertEquals(2 * MIB, pool.bytesHeld(), "the bound holds");
        assertNull(pool.take(DType.FLOAT32, MIB_FLOATS), "the float class was used least recently: evicted");
        assertSame(i, pool.take(DType.INT32, MIB_FLOATS));
        assertSame(l, pool.take(DType.INT64, MIB_FLOATS / 2));
        assertEquals(1, pool.dropped());
    }

    @Test
    void keepsAtMostMaxPerSizeArraysOfOneSizeClass() {
        BufferPool pool = new BufferPool(64 * MIB, MIB, 2);
        for (int k = 0; k < 5; k++) pool.offer(DType.FLOAT32, MIB_FLOATS, new float[MIB_FLOATS]);
        assertEquals(2 * MIB, pool.bytesHeld());
        assertEquals(3, pool.dropped());
    }

    @Test
    void dropsArraysOutsideTheBounds() {
        BufferPool pool = new BufferPool(2 * MIB, MIB, 8);
        assertFalse(pool.accepts(DType.FLOAT32, MIB_FLOATS - 1), "below minBytes");
        assertFalse(pool.accepts(DType.FLOAT32, 2 * MIB_FLOATS + 1), "above maxBytes");
        assertFalse(pool.accepts(DType.FLOAT32, 0));
        pool.offer(DType.FLOAT32, MIB_FLOATS - 1, new float[MIB_FLOATS - 1]);
        assertEquals(0, pool.bytesHeld());
        assertEquals(1, pool.dropped());
    }

    @Test
    void trimAndSmallerBoundsFreeWhatThePoolHolds() {
        BufferPool pool = new BufferPool(8 * MIB, MIB, 8);
        for (int k = 0; k < 4; k++) pool.offer(DType.FLOAT32, MIB_FLOATS, new float[MIB_FLOATS]);
        pool.offer(DType.FLOAT32, 2 * MIB_FLOATS, new float[2 * MIB_FLOATS]);
        assertEquals(6 * MIB, pool.bytesHeld());
        pool.setMinBytes(2 * MIB);
        assertEquals(2 * MIB, pool.bytesHeld(), "1 MiB arrays are below the new minimum");
        pool.setMaxBytes(MIB);
        assertEquals(0, pool.bytesHeld());
        pool.setMaxBytes(8 * MIB);
        pool.offer(DType.FLOAT32, 2 * MIB_FLOATS, new float[2 * MIB_FLOATS]);
        pool.trim();
        assertEquals(0, pool.bytesHeld());
        pool.setMaxBytes(0);
        assertFalse(pool.accepts(DType.FLOAT32, MIB_FLOATS), "maxBytes 0 disables the pool");
    }

    @Test
    void rejectsNegativeBounds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BufferPool(-1, 0, 1));
        assertTrue(e.getMessage().contains("maxBytes") && e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BufferPool(0, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new BufferPool(0, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> new BufferPool(0, 0, 1).setMaxBytes(-5));
        assertThrows(IllegalArgumentException.class, () -> new BufferPool(0, 0, 1).setMinBytes(-5));
    }
}
