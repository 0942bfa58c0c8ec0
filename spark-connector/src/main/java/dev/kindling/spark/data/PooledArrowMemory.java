package dev.kindling.spark.data;

import org.apache.arrow.memory.AllocationManager;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The Arrow allocation manager of {@link ExecutorArrow}: blocks of at least {@link #MIN_BLOCK}
 * bytes (a batch's feature buffer) are huge-page mappings ({@link HugePages}) that are kept when
 * Arrow frees them and handed out again for the next request of the same size, so the batches of
 * later partitions, fits and inference calls write into memory that is already mapped and touched.
 * Smaller blocks (labels, the first rows of a partition) come from Arrow's default manager.
 *
 * <p>Memory held: blocks in use are counted by the Arrow allocators as usual (and limited by the
 * root allocator's limit); idle blocks are not, and are bounded separately: a freed block whose
 * addition would take the idle bytes past {@code idleLimit} is unmapped at once, and
 * {@link #releaseIdle()} unmaps every idle block.
 */
final class PooledArrowMemory implements AllocationManager.Factory {
    /** Requests below this go to Arrow's default allocation manager. */
    static final long MIN_BLOCK = HugePages.SIZE;

    private final AllocationManager.Factory small;
    private final long idleLimit;
    private final Map<Long, ArrayDeque<MemorySegment>> idle = new HashMap<>();
    private long idleBytes;

    PooledArrowMemory(AllocationManager.Factory small, long idleLimit) {
        if (idleLimit < 0) throw new IllegalArgumentException("idle limit must be >= 0 bytes but got " + idleLimit);
        this.small = small;
        this.idleLimit = idleLimit;
    }

    @Override
    public AllocationManager create(BufferAllocator accountingAllocator, long size) {
        if (size < MIN_BLOCK || !HugePages.available()) return small.create(accountingAllocator, size);
        MemorySegment mapping = take(size);
        return new Block(accountingAllocator, mapping == null ? HugePages.map(size) : mapping, size);
    }

    @Override
    public ArrowBuf empty() { return small.empty(); }

    /** Bytes of idle mappings kept for reuse. */
    synchronized long idleBytes() { return idleBytes; }

    /** Unmaps every idle block. */
    synchronized void releaseIdle() {
        for (ArrayDeque<MemorySegment> q : idle.values()) {
            for (MemorySegment m : q) HugePages.unmap(m);
        }
        idle.clear();
        idleBytes = 0;
    }

    private synchronized MemorySegment take(long size) {
        ArrayDeque<MemorySegment> q = idle.get(size);
        MemorySegment m = q == null ? null : q.poll();
        if (m != null) idleBytes -= m.byteSize();
        return m;
    }

    private void giveBack(long size, MemorySegment mapping) {
        synchronized (this) {
            if (idleBytes + mapping.byteSize() <= idleLimit) {
                idle.computeIfAbsent(size, k -> new ArrayDeque<>()).push(mapping);
                idleBytes += mapping.byteSize();
                return;
            }
        }
        HugePages.unmap(mapping);
    }

    /** One mapping lent to Arrow; it reports the size Arrow asked for, which its accounting expects back. */
    private final class Block extends AllocationManager {
        private final MemorySegment mapping;
        private final long size;

        Block(BufferAllocator accountingAllocator, MemorySegment mapping, long size) {
            super(accountingAllocator);
            this.mapping = mapping;
            this.size = size;
        }

        @Override
        public long getSize() { return size; }

        @Override
        protected long memoryAddress() { return mapping.address(); }

        @Override
        protected void release0() { giveBack(size, mapping); }
    }
}
