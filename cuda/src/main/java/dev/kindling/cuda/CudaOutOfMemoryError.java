package dev.kindling.cuda;

/**
 * Thrown when a device allocation fails even after the {@link CachingAllocator} returned its cache
 * to the device; the message names the device and the request and prints the allocator's statistics.
 */
public final class CudaOutOfMemoryError extends RuntimeException {
    public CudaOutOfMemoryError(String message) { super(message); }
}
