package dev.kindling.cuda;

/**
 * The few driver calls a {@link CachingAllocator} needs: raw device allocation and the events that
 * tell when a stream has finished with a block. Behind an interface so the allocator's bookkeeping
 * runs and is tested without a GPU (the tests use a fake); {@link DriverDeviceMemory} is the real one.
 * Pointers, streams and events are opaque {@code long} handles.
 */
public interface DeviceMemory {

    /**
     * Allocates bytes of device memory.
     *
     * @throws DeviceOutOfMemoryException when the device has no room for them
     */
    long malloc(long bytes);

    /** Returns memory from {@link #malloc} to the device (the driver synchronizes as it must). */
    void free(long pointer);

    /** Records an event on stream: it completes once all work queued on stream so far has run. */
    long recordEvent(long stream);

    /** Whether the work before the event has finished (does not wait). */
    boolean isComplete(long event);

    /** Waits until the work before the event has finished. */
    void synchronize(long event);

    /** Releases an event from {@link #recordEvent}. */
    void destroyEvent(long event);

    /** Signals that a raw device allocation failed for lack of memory. */
    final class DeviceOutOfMemoryException extends RuntimeException {
        public DeviceOutOfMemoryException(String message) { super(message); }
    }
}
