package dev.kindling.cuda;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Device memory simulated on the host for the allocator's tests: a capacity, live allocations by
 * pointer, and events that complete only when the test says their stream has caught up.
 */
final class FakeDeviceMemory implements DeviceMemory {
    private final long capacity;
    private final Map<Long, Long> live = new HashMap<>();
    private final Map<Long, Long> eventStream = new HashMap<>();
    private final Set<Long> completedStreams = new HashSet<>();
    private long nextPointer = 0x10000;
    private long nextEvent = 1;
    private long used;
    int mallocs;
    int frees;
    int synchronizes;
    int liveEvents;

    FakeDeviceMemory(long capacity) { this.capacity = capacity; }

    @Override
    public long malloc(long bytes) {
        if (used + bytes > capacity) {
            throw new DeviceOutOfMemoryException("CUDA_ERROR_OUT_OF_MEMORY (" + bytes + " bytes, " + (capacity - used) + " free)");
        }
        long p = nextPointer;
        nextPointer += bytes;
        live.put(p, bytes);
        used += bytes;
        mallocs++;
        return p;
    }

    @Override
    public void free(long pointer) {
        Long bytes = live.remove(pointer);
        if (bytes == null) throw new AssertionError("free of unknown pointer 0x" + Long.toHexString(pointer));
        used -= bytes;
        frees++;
    }

    @Override
    public long recordEvent(long stream) {
        long e = nextEvent++;
        eventStream.put(e, stream);
        liveEvents++;
        return e;
    }

    @Override
    public boolean isComplete(long event) { return completedStreams.contains(eventStream.get(event)); }

    @Override
    public void synchronize(long event) {
        synchronizes++;
        completedStreams.add(eventStream.get(event));
    }

    @Override
    public void destroyEvent(long event) {
        if (eventStream.remove(event) == null) throw new AssertionError("destroy of unknown event " + event);
        liveEvents--;
    }

    /** Lets every event recorded so far on stream complete. */
    void finish(long stream) { completedStreams.add(stream); }

    long used() { return used; }
}
