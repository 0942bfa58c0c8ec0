package dev.kindling.cuda;

/**
 * A snapshot of a {@link CachingAllocator}'s counters, in bytes, as {@code torch.cuda.memory_stats}
 * reports them: memory handed to tensors ({@code allocated}), memory held from the device whether in
 * use or cached ({@code reserved}), their peaks since the last reset, and how often a request was
 * served from the cache, needed a fresh device allocation, or hit out-of-memory.
 */
public record MemoryStats(long allocated, long reserved, long peakAllocated, long peakReserved, long cached,
                          long requests, long cacheHits, long deviceMallocs, long deviceFrees, long oomRetries) {

    @Override
    public String toString() {
        return "allocated " + mib(allocated) + ", reserved " + mib(reserved) + " (cached " + mib(cached)
                + "), peak allocated " + mib(peakAllocated) + ", peak reserved " + mib(peakReserved) + "; "
                + requests + " requests, " + cacheHits + " from the cache, " + deviceMallocs + " cuMemAlloc, "
                + deviceFrees + " cuMemFree, " + oomRetries + " out-of-memory retries";
    }

    private static String mib(long bytes) { return String.format(java.util.Locale.ROOT, "%.2f MiB", bytes / 1048576.0); }
}
