package dev.kindling.cuda;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A caching allocator of device memory in the manner of PyTorch's: a freed block is not returned to
 * the driver (cuMemFree synchronizes the whole device and cuMemAlloc is slow) but kept in a pool and
 * handed out again to the next request of its size class.
 *
 * <p>Rules:
 * <ul>
 *   <li>Sizes are rounded up to a size class ({@link #roundSize}): multiples of 512 bytes up to
 *       1 MiB, multiples of 2 MiB above, so that the steady state of a training loop, which asks for
 *       the same sizes every step, is served from the pools without new device allocations.</li>
 *   <li>Blocks are pooled per stream. A block freed while only its own stream used it can be reused
 *       at once on that stream: work on one stream runs in order, so the next user's kernels run
 *       after the last reader's. A block that other streams used ({@link #recordStream}) waits in a
 *       pending list until an event recorded on each of those streams has completed.</li>
 *   <li>On out-of-memory the allocator waits for pending blocks, returns every cached block to the
 *       device and retries once; if that fails too it throws {@link CudaOutOfMemoryError} with the
 *       statistics.</li>
 * </ul>
 * Thread-safe; the bookkeeping sits behind {@link DeviceMemory} so it is tested without a GPU.
 */
public final class CachingAllocator {
    /** Largest request served from the small size classes. */
    public static final long SMALL_LIMIT = 1L << 20;
    /** Granularity of the small size classes. */
    public static final long SMALL_ROUND = 512;
    /** Granularity of the large size classes. */
    public static final long LARGE_ROUND = 2L << 20;

    private final DeviceMemory memory;
    private final String deviceName;
    /** Free blocks ready for reuse: stream -> size -> blocks. */
    private final Map<Long, TreeMap<Long, ArrayDeque<Block>>> ready = new HashMap<>();
    /** Freed blocks waiting for other streams' events. */
    private final List<Pending> pending = new ArrayList<>();

    private long allocated;
    private long reserved;
    private long cached;
    private long peakAllocated;
    private long peakReserved;
    private long requests;
    private long cacheHits;
    private long deviceMallocs;
    private long deviceFrees;
    private long oomRetries;

    /** @param deviceName names the device in error messages ("cuda:0") */
    public CachingAllocator(DeviceMemory memory, String deviceName) {
        this.memory = memory;
        this.deviceName = deviceName;
    }

    /** The size class of a request of bytes (at least one small granule, also for 0 bytes). */
    public static long roundSize(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("allocation size: expected >= 0 bytes but got " + bytes);
        if (bytes <= SMALL_LIMIT) return Math.max(SMALL_ROUND, ceil(bytes, SMALL_ROUND));
        return ceil(bytes, LARGE_ROUND);
    }

    private static long ceil(long n, long unit) { return (n + unit - 1) / unit * unit; }

    /**
     * A block of at least bytes for use on stream: from the pool when one of its size class is
     * ready, else fresh from the device.
     *
     * @param beforeRetry run, without the allocator's lock, between the failed device allocation and
     *                    the retry (the backend collects garbage there, so that the blocks of
     *                    unreachable tensors come back)
     * @throws CudaOutOfMemoryError when the device has no room even after emptying the cache
     */
    public Block allocate(long bytes, long stream, Runnable beforeRetry) {
        long size = roundSize(bytes);
        Block b = tryAllocate(size, stream, false);
        if (b != null) return b;
        if (beforeRetry != null) beforeRetry.run();
        return tryAllocate(size, stream, true);
    }

    /** {@link #allocate(long, long, Runnable)} without a hook before the retry. */
    public Block allocate(long bytes, long stream) { return allocate(bytes, stream, null); }

    private synchronized Block tryAllocate(long size, long stream, boolean retry) {
        if (!retry) requests++;
        collectCompleted();
        Block b = takeReady(stream, size);
        if (b != null) {
            cacheHits++;
            return handOut(b);
        }
        if (retry) {
            oomRetries++;
            releaseCache(true);
        }
        long pointer;
        try {
            pointer = memory.malloc(size);
        } catch (DeviceMemory.DeviceOutOfMemoryException e) {
            if (!retry) return null;
            throw new CudaOutOfMemoryError("CUDA out of memory on " + deviceName + ": tried to allocate "
                    + size + " bytes (" + String.format(java.util.Locale.ROOT, "%.2f MiB", size / 1048576.0)
                    + ") after freeing the cache; " + statsLocked() + ". Device said: " + e.getMessage());
        }
        deviceMallocs++;
        reserved += size;
        peakReserved = Math.max(peakReserved, reserved);
        return handOut(new Block(this, pointer, size, stream));
    }

    private Block handOut(Block b) {
        b.live = true;
        b.otherStreams.clear();
        allocated += b.size;
        peakAllocated = Math.max(peakAllocated, allocated);
        return b;
    }

    private Block takeReady(long stream, long size) {
        TreeMap<Long, ArrayDeque<Block>> pool = ready.get(stream);
        if (pool == null) return null;
        ArrayDeque<Block> blocks = pool.get(size);
        if (blocks == null || blocks.isEmpty()) return null;
        Block b = blocks.pop();
        cached -= b.size;
        return b;
    }

    /** Notes that stream (other than the block's own) uses the block, so its reuse waits for that stream. */
    public synchronized void recordStream(Block b, long stream) {
        if (!b.live) throw new IllegalStateException("recordStream: block " + b + " was already freed");
        if (stream != b.stream) b.otherStreams.add(stream);
    }

    /** Returns a block to the pool (never to the device: see {@link #emptyCache}). */
    public synchronized void free(Block b) {
        if (b.owner != this) throw new IllegalArgumentException("free: block " + b + " belongs to another allocator");
        if (!b.live) throw new IllegalStateException("free: block " + b + " was already freed");
        b.live = false;
        allocated -= b.size;
        if (b.otherStreams.isEmpty()) {
            makeReady(b);
        } else {
            long[] events = new long[b.otherStreams.size()];
            int i = 0;
            for (long s : b.otherStreams) events[i++] = memory.recordEvent(s);
            pending.add(new Pending(b, events));
        }
    }

    private void makeReady(Block b) {
        ready.computeIfAbsent(b.stream, s -> new TreeMap<>()).computeIfAbsent(b.size, s -> new ArrayDeque<>()).push(b);
        cached += b.size;
    }

    /** Moves pending blocks whose events have all completed into the pools. */
    private void collectCompleted() {
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.complete(memory, false)) {
                it.remove();
                makeReady(p.block);
            }
        }
    }

    /**
     * Returns every cached block (free and not waited on by another stream) to the device, as
     * {@code torch.cuda.empty_cache()}; memory in use by tensors is untouched.
     */
    public synchronized void emptyCache() {
        collectCompleted();
        releaseCache(false);
    }

    private void releaseCache(boolean waitForPending) {
        if (waitForPending) {
            for (Pending p : pending) {
                p.complete(memory, true);
                makeReady(p.block);
            }
            pending.clear();
        }
        for (TreeMap<Long, ArrayDeque<Block>> pool : ready.values()) {
            for (ArrayDeque<Block> blocks : pool.values()) {
                for (Block b : blocks) {
                    memory.free(b.pointer);
                    deviceFrees++;
                    reserved -= b.size;
                    cached -= b.size;
                }
            }
        }
        ready.clear();
    }

    /** The counters now. */
    public synchronized MemoryStats stats() { return statsLocked(); }

    private MemoryStats statsLocked() {
        return new MemoryStats(allocated, reserved, peakAllocated, peakReserved, cached, requests, cacheHits,
                deviceMallocs, deviceFrees, oomRetries);
    }

    /** Restarts the peaks from the current values (torch.cuda.reset_peak_memory_stats). */
    public synchronized void resetPeaks() {
        peakAllocated = allocated;
        peakReserved = reserved;
    }

    /** Device memory handed out by a {@link CachingAllocator}: a pointer, its size class and its stream. */
    public static final class Block {
        private final CachingAllocator owner;
        private final long pointer;
        private final long size;
        private final long stream;
        private final java.util.Set<Long> otherStreams = new java.util.HashSet<>();
        private boolean live;

        private Block(CachingAllocator owner, long pointer, long size, long stream) {
            this.owner = owner;
            this.pointer = pointer;
            this.size = size;
            this.stream = stream;
        }

        public long pointer() { return pointer; }

        /** The size class, at least the bytes asked for. */
        public long size() { return size; }

        /** The stream the block was allocated for. */
        public long stream() { return stream; }

        @Override
        public String toString() { return "Block[0x" + Long.toHexString(pointer) + ", " + size + " bytes, stream " + stream + "]"; }
    }

    /** A freed block and the events it waits for. */
    private record Pending(Block block, long[] events) {
        /** True when every event has completed (destroying them); with wait, waits for them first. */
        boolean complete(DeviceMemory memory, boolean wait) {
            for (long e : events) {
                if (e == 0) continue;
                if (wait) memory.synchronize(e);
                else if (!memory.isComplete(e)) return false;
            }
            for (int i = 0; i < events.length; i++) {
                if (events[i] != 0) memory.destroyEvent(events[i]);
                events[i] = 0;
            }
            return true;
        }
    }
}
