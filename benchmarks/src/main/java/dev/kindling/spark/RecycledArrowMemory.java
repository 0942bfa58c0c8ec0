package dev.kindling.spark;

import org.apache.arrow.memory.AllocationManager;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * An Arrow allocation manager for benchmarks that keeps freed blocks and hands them out again, so
 * a repeated measurement writes into memory that has been touched before. On the development VM a
 * first touch of fresh memory runs at ~0.2 GB/s (page faults), which would otherwise swamp what
 * the writers themselves cost; the "fresh memory" rows measure that case. Blocks are never given
 * back to the OS (the benchmark's sizes repeat, so the pool stays small).
 */
final class RecycledArrowMemory implements AllocationManager.Factory {
    private final Map<Long, ArrayDeque<MemorySegment>> free = new HashMap<>();
    private final ArrowBuf empty;

    private RecycledArrowMemory() {
        try (RootAllocator plain = new RootAllocator()) {
            empty = plain.getEmpty();
        }
    }

    /** A root allocator whose buffers come from a new recycling pool. */
    static RootAllocator rootAllocator() {
        return new RootAllocator(RootAllocator.configBuilder().allocationManagerFactory(new RecycledArrowMemory()).build());
    }

    @Override
    public synchronized AllocationManager create(BufferAllocator accountingAllocator, long size) {
        ArrayDeque<MemorySegment> q = free.get(size);
        MemorySegment s = q == null || q.isEmpty() ? Arena.global().allocate(size, 64) : q.pop();
        return new Block(accountingAllocator, s);
    }

    @Override
    public ArrowBuf empty() { return empty; }

    private synchronized void giveBack(MemorySegment s) {
        free.computeIfAbsent(s.byteSize(), k -> new ArrayDeque<>()).push(s);
    }

    private final class Block extends AllocationManager {
        private final MemorySegment segment;

        Block(BufferAllocator accountingAllocator, MemorySegment segment) {
            super(accountingAllocator);
            this.segment = segment;
        }

        @Override
        public long getSize() { return segment.byteSize(); }

        @Override
        protected long memoryAddress() { return segment.address(); }

        @Override
        protected void release0() { giveBack(segment); }
    }
}
