package dev.kindling.arrow;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds the Arrow buffers that one or more tensor views read, so Arrow cannot free that memory
 * while a view can still reach it, and gives it back exactly once: on {@link #close()} or, if
 * nobody closes it, when the lease becomes unreachable (a {@link Cleaner} does it then).
 *
 * <p>Each buffer is retained through Arrow's own reference manager into a child allocator private
 * to this lease (a child of the buffer's root allocator). That is what lets the user close the
 * {@code VectorSchemaRoot} <em>and</em> the allocator that filled it while a view is alive: when
 * the root's last reference goes, Arrow moves the memory's accounting to this lease's allocator
 * instead of freeing it. The tensors see the memory through segments of a shared {@link Arena}
 * that is closed before the buffers are released, so a tensor used after its view was closed
 * fails with {@link IllegalStateException} ("Already closed") instead of reading freed memory.
 *
 * <p>The lease is the {@code owner} of every storage it backs: as long as any such tensor (or its
 * storage) is reachable, so is the lease, and the cleaner cannot run early.
 */
final class ArrowLease implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final Resources resources = new Resources();
    private final Cleaner.Cleanable cleanable = CLEANER.register(this, resources);

    /**
     * A segment over {@code byteLength} bytes of {@code buffer} starting {@code byteOffset} bytes
     * in, valid until this lease is released. The buffer is retained for that long.
     */
    MemorySegment retain(ArrowBuf buffer, long byteOffset, long byteLength) {
        return resources.retain(buffer, byteOffset, byteLength);
    }

    /**
     * The held Arrow buffer that contains the whole of {@code segment}, sliced to exactly it, or
     * null when this lease holds no such buffer. The slice is not retained: callers hand it to
     * Arrow code that retains what it keeps (as {@code loadFieldBuffers} does).
     */
    ArrowBuf sliceOf(MemorySegment segment) {
        return resources.sliceOf(segment);
    }

    /** False once the memory has been given back; the tensors over it then throw on access. */
    boolean isOpen() { return !resources.released; }

    /** Releases the buffers now. Idempotent. */
    @Override
    public void close() { cleanable.clean(); }

    /**
     * Everything that must be released, kept apart from the lease object itself: a cleaning action
     * that referred to the lease would keep it reachable forever.
     */
    private static final class Resources implements Runnable {
        private final Arena arena = Arena.ofShared();
        private final List<ArrowBuf> buffers = new ArrayList<>();
        private final Map<BufferAllocator, BufferAllocator> allocatorsByRoot = new IdentityHashMap<>();
        private volatile boolean released;

        synchronized MemorySegment retain(ArrowBuf buffer, long byteOffset, long byteLength) {
            if (released) throw new IllegalStateException("retain: this Arrow view has been closed");
            // Bounds are checked before anything is retained; the retained buffer has the same address.
            MemorySegment segment = ArrowMemory.scopedSegment(buffer, byteOffset, byteLength, arena);
            BufferAllocator root = buffer.getReferenceManager().getAllocator().getRoot();
            BufferAllocator mine = allocatorsByRoot.computeIfAbsent(root,
                    r -> r.newChildAllocator("kindling-view", 0, Long.MAX_VALUE));
            ArrowBuf held = buffer.getReferenceManager().retain(buffer, mine);
            buffers.add(held);
            return segment;
        }

        synchronized ArrowBuf sliceOf(MemorySegment segment) {
            if (released || !segment.isNative()) return null;
            long start = segment.address();
            long end = start + segment.byteSize();
            for (ArrowBuf b : buffers) {
                long bStart = b.memoryAddress();
                if (start >= bStart && end <= bStart + b.capacity()) return b.slice(start - bStart, end - start);
            }
            return null;
        }

        @Override
        public synchronized void run() {
            if (released) return;
            // First make every segment unusable, then free: a kernel must never see freed memory.
            // If another thread holds the memory in a native call right now, close() throws and
            // the buffers stay held (a leak is the safe failure; freeing them would not be).
            arena.close();
            released = true;
            RuntimeException failure = null;
            for (ArrowBuf b : buffers) {
                try {
                    b.close();
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            buffers.clear();
            for (BufferAllocator a : allocatorsByRoot.values()) {
                try {
                    a.close();
                } catch (IllegalStateException e) {
                    // With assertions on, Arrow refuses to close a child whose root allocator was
                    // closed first (that close already failed and reported the memory we held).
                    // By now the memory is given back, so only report a close that loses memory.
                    if (a.getAllocatedMemory() != 0) failure = e;
                }
            }
            if (failure != null) throw failure;
        }
    }
}
