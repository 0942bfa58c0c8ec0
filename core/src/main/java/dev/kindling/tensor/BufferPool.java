package dev.kindling.tensor;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded cache of large CPU arrays for op outputs, the CPU counterpart of PyTorch's caching
 * allocator: {@link Storage#allocateUninitialized} takes an array of the exact length from here
 * instead of {@code new}, so the JVM does not zero (and G1 does not allocate as a humongous object)
 * 64 MiB per elementwise op. An array comes back when its {@link Storage} is released explicitly
 * ({@link Storage#release()}) or, failing that, when the garbage collector finds the storage
 * unreachable (a phantom reference that holds the array, never the storage, queued by the GC and drained by the
 * next pooled allocation).
 *
 * <p>Size classes are exact lengths per element type: a Java array cannot be shrunk, and kernels
 * read {@code storage.numel()} elements from offset 0, so an array of another length would either
 * not fit or waste memory. Training repeats the same shapes every step, so exact classes hit.
 *
 * <p>Bounds: only arrays of at least {@code minBytes} are pooled (smaller ones come from the
 * thread-local allocation buffer, where zeroing is cheap and the cache is warm); the pool holds at
 * most {@code maxBytes}; when a returned array would exceed that, arrays of the least recently used
 * size classes are dropped to the garbage collector first, and the array itself is dropped if it
 * still does not fit; each size class keeps at most {@code maxPerSize} arrays, because arrays return
 * in bursts when the GC runs and a step never needs more than a few of one size at once (without
 * it the pool grows towards maxBytes with arrays nobody takes). Every miss is lent, so an array
 * that the GC returns into a full class lives one GC cycle longer than a plain one would: a cap of
 * maxPerSize fresh lends per class was measured (2026-12-07) and dropped: LeNet-5 ran 30 young GCs
 * per 3000 steps instead of 36 with no change in step time, but 64 MiB out-of-place ops lost
 * 10-15% (likely because fewer GCs refilled the pool less often; not verified). {@link #trim()}
 * drops everything the pool holds. The global pool's bounds come from the system properties {@code kindling.pool.maxBytes}
 * (default: an eighth of the maximum heap, at most 512 MiB; 0 disables pooling),
 * {@code kindling.pool.minBytes} (default 1 MiB) and {@code kindling.pool.maxPerSize} (default 8).
 */
public final class BufferPool {
    private static final long DEFAULT_MIN_BYTES = 1L << 20;
    private static final BufferPool GLOBAL = new BufferPool(
            Long.getLong("kindling.pool.maxBytes", Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 8)),
            Long.getLong("kindling.pool.minBytes", DEFAULT_MIN_BYTES),
            Integer.getInteger("kindling.pool.maxPerSize", 8));

    private long minBytes;
    private long maxBytes;
    private final int maxPerSize;
    // Access-ordered: the first entries are the least recently used size classes, evicted first.
    private final LinkedHashMap<Long, ArrayDeque<Object>> free = new LinkedHashMap<>(16, 0.75f, true);
    private long bytesHeld;
    private long hits;
    private long misses;
    private long dropped;

    /**
     * A pool holding at most maxBytes of arrays, each at least minBytes long, at most maxPerSize of
     * each size class.
     *
     * @throws IllegalArgumentException when a bound is negative
     */
    public BufferPool(long maxBytes, long minBytes, int maxPerSize) {
        if (maxBytes < 0) throw new IllegalArgumentException("pool maxBytes: expected >= 0 but got " + maxBytes);
        if (minBytes < 0) throw new IllegalArgumentException("pool minBytes: expected >= 0 but got " + minBytes);
        if (maxPerSize < 0) throw new IllegalArgumentException("pool maxPerSize: expected >= 0 but got " + maxPerSize);
        this.maxBytes = maxBytes;
        this.minBytes = minBytes;
        this.maxPerSize = maxPerSize;
    }

    /** The pool that {@link Storage#allocateUninitialized} uses. */
    public static BufferPool global() { return GLOBAL; }

    /** True when arrays of numel elements of dtype are pooled at all (large enough, pool enabled). */
    public synchronized boolean accepts(DType dtype, int numel) {
        long bytes = (long) numel * dtype.itemSize();
        return bytes >= minBytes && bytes <= maxBytes && bytes > 0;
    }

    /** An array of exactly numel elements of dtype, holding stale values; null when none is free. */
    synchronized Object take(DType dtype, int numel) {
        ArrayDeque<Object> q = free.get(key(dtype, numel));
        Object array = q == null ? null : q.pollLast();
        if (array == null) {
            misses++;
            return null;
        }
        hits++;
        bytesHeld -= (long) numel * dtype.itemSize();
        return array;
    }

    /** Takes array back for reuse, or drops it (to the GC) when it does not fit the bounds. */
    synchronized void offer(DType dtype, int numel, Object array) {
        long bytes = (long) numel * dtype.itemSize();
        ArrayDeque<Object> same = free.get(key(dtype, numel));
        if (!accepts(dtype, numel) || (same != null && same.size() >= maxPerSize) || maxPerSize == 0) {
            dropped++;
            return;
        }
        Iterator<Map.Entry<Long, ArrayDeque<Object>>> lru = free.entrySet().iterator();
        while (bytesHeld + bytes > maxBytes && lru.hasNext()) {
            Map.Entry<Long, ArrayDeque<Object>> e = lru.next();
            long size = sizeOf(e.getKey());
            ArrayDeque<Object> q = e.getValue();
            while (!q.isEmpty() && bytesHeld + bytes > maxBytes) {
                q.pollFirst();
                bytesHeld -= size;
                dropped++;
            }
            if (q.isEmpty()) lru.remove();
        }
        if (bytesHeld + bytes > maxBytes) {
            dropped++;
            return;
        }
        free.computeIfAbsent(key(dtype, numel), k -> new ArrayDeque<>()).addLast(array);
        bytesHeld += bytes;
    }

    /**
     * Takes back the arrays of pooled storage that the garbage collector has found unreachable
     * (allocation does this too; call it after a GC to see the pool's real state).
     */
    public void reclaim() { Storage.reclaimUnreachable(); }

    /** Drops every array the pool holds, leaving them to the garbage collector. */
    public synchronized void trim() {
        free.clear();
        bytesHeld = 0;
    }

    /** Changes the bound; arrays beyond it are dropped at once. */
    public synchronized void setMaxBytes(long maxBytes) {
        if (maxBytes < 0) throw new IllegalArgumentException("pool maxBytes: expected >= 0 but got " + maxBytes);
        this.maxBytes = maxBytes;
        Iterator<Map.Entry<Long, ArrayDeque<Object>>> lru = free.entrySet().iterator();
        while (bytesHeld > maxBytes && lru.hasNext()) {
            Map.Entry<Long, ArrayDeque<Object>> e = lru.next();
            bytesHeld -= sizeOf(e.getKey()) * e.getValue().size();
            lru.remove();
        }
    }

    public synchronized long maxBytes() { return maxBytes; }

    /** Changes the smallest array pooled; free arrays below it are dropped at once. */
    public synchronized void setMinBytes(long minBytes) {
        if (minBytes < 0) throw new IllegalArgumentException("pool minBytes: expected >= 0 but got " + minBytes);
        this.minBytes = minBytes;
        Iterator<Map.Entry<Long, ArrayDeque<Object>>> it = free.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, ArrayDeque<Object>> e = it.next();
            if (sizeOf(e.getKey()) >= minBytes) continue;
            bytesHeld -= sizeOf(e.getKey()) * e.getValue().size();
            it.remove();
        }
    }

    public synchronized long minBytes() { return minBytes; }

    /** Bytes of free arrays the pool holds now (arrays in use by live storage are not counted). */
    public synchronized long bytesHeld() { return bytesHeld; }

    /** Allocations served from the pool. */
    public synchronized long hits() { return hits; }

    /** Allocations the pool could not serve (a new array was made). */
    public synchronized long misses() { return misses; }

    /** Arrays returned but dropped because of the bounds. */
    public synchronized long dropped() { return dropped; }

    @Override
    public synchronized String toString() {
        return "BufferPool[held=" + bytesHeld + " B of " + maxBytes + ", hits=" + hits + ", misses=" + misses
                + ", dropped=" + dropped + "]";
    }

    // The key packs the length (31 bits) above the dtype's item size (4 bits) and its ordinal (4 bits).
    private static long key(DType dtype, int numel) {
        return ((long) numel << 8) | ((long) dtype.itemSize() << 4) | dtype.ordinal();
    }

    private static long sizeOf(long key) {
        return (key >>> 8) * ((key >>> 4) & 0xF);
    }
}
