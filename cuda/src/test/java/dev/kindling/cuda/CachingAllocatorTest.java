package dev.kindling.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CachingAllocatorTest {
    private static final long MIB = 1L << 20;
    private static final long S0 = 100;
    private static final long S1 = 200;

    @Test
    void roundsSmallRequestsTo512BytesAndLargeOnesTo2MiB() {
        assertEquals(512, CachingAllocator.roundSize(0));
        assertEquals(512, CachingAllocator.roundSize(1));
        assertEquals(512, CachingAllocator.roundSize(512));
        assertEquals(1024, CachingAllocator.roundSize(513));
        assertEquals(MIB, CachingAllocator.roundSize(MIB));
        assertEquals(2 * MIB, CachingAllocator.roundSize(MIB + 1));
        assertEquals(4 * MIB, CachingAllocator.roundSize(2 * MIB + 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CachingAllocator.roundSize(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void reusesAFreedBlockOfTheSameClassOnTheSameStream() {
        FakeDeviceMemory mem = new FakeDeviceMemory(64 * MIB);
        CachingAllocator a = new CachingAllocator(mem, "cuda:0");
        CachingAllocator.Block b1 = a.allocate(1000, S0);
        a.free(b1);
        CachingAllocator.Block b2 = a.allocate(1010, S0);   // same 1024-byte class
        assertEquals(b1.pointer(), b2.pointer());
        assertEquals(1, mem.mallocs);
        CachingAllocator.Block b3 = a.allocate(2000, S0);   // another class: fresh memory
        assertNotEquals(b1.pointer(), b3.pointer());
        assertEquals(2, mem.mallocs);
        MemoryStats s = a.stats();
        assertEquals(3, s.requests());
        assertEquals(1, s.cacheHits());
        assertEquals(1024 + 2048, s.allocated());
        assertEquals(1024 + 2048, s.reserved());
    }

    @Test
    void doesNotHandAStreamsBlockToAnotherStream() {
        FakeDeviceMemory mem = new FakeDeviceMemory(64 * MIB);
        CachingAllocator a = new CachingAllocator(mem, "cuda:0");
        CachingAllocator.Block b1 = a.allocate(4096, S0);
        a.free(b1);
        CachingAllocator.Block b2 = a.allocate(4096, S1);
        assertNotEquals(b1.pointer(), b2.pointer());
        assertEquals(2, mem.mallocs);
    }

    @Test
    void aBlockUsedByAnotherStreamWaitsForThatStreamsEvent() {
        FakeDeviceMemory mem = new FakeDeviceMemory(64 * MIB);
        CachingAllocator a = new CachingAllocator(mem, "cuda:0");
        CachingAllocator.Block b1 = a.allocate(4096, S0);
        a.recordStream(b1, S1);
        a.free(b1);
        assertEquals(1, mem.liveEvents);
        CachingAllocator.Block b2 = a.allocate(4096, S0);   // S1 not done: must not reuse
        assertNotEquals(b1.pointer(), b2.pointer());
        mem.finish(S1);
        CachingAllocator.Block b3 = a.allocate(4096, S0);   // now it may
        assertEquals(b1.pointer(), b3.pointer());
        assertEquals(0, mem.liveEvents);
    }

    @Test
    void tracksPeaksAndResetsThem() {
        FakeDeviceMemory mem = new FakeDeviceMemory(64 * MIB);
        CachingAllocator a = new CachingAllocator(mem, "cuda:0");
        CachingAllocator.Block x = a.allocate(3 * MIB, S0);  // 4 MiB class
        CachingAllocator.Block y = a.allocate(MIB, S0);      // 1 MiB class
        a.free(x);
        MemoryStats s = a.stats();
        assertEquals(MIB, s.allocated());
        assertEquals(5 * MIB, s.reserved());
        assertEquals(5 * MIB, s.peakAllocated());
        assertEquals(5 * MIB, s.peakReserved());
        assertEquals(4 * MIB, s.cached());
        a.resetPeaks();
        assertEquals(MIB, a.stats().peakAllocated());
        a.free(y);
        assertEquals(0, a.stats().allocated());
    }

    @Test
    void emptyCacheReturnsOnlyCachedBlocksToTheDevice() {
        FakeDeviceMemory mem = new FakeDeviceMemory(64 * MIB);
        CachingAllocator a = new CachingAllocator(mem, "cuda:0");
        CachingAllocator.Block keep = a.allocate(MIB, S0);
        CachingAllocator.Block drop = a.allocate(4 * MIB, S0);
        a.free(drop);
        a.emptyCache();
        assertEquals(1, mem.frees);
        assertEquals(MIB, mem.used());
        MemoryStats s = a.stats();
        assertEquals(MIB, s.reserved());
        assertEquals(0, s.cached());
        a.free(keep);
        a.emptyCache();
        assertEquals(0, mem.used());
        assertEquals(0, a.stats().reserved());
    }

    @Test
    void outOfMemoryFreesTheCacheAndRetriesOnce() {
        FakeDeviceMemory mem = new FakeDeviceMemory(8 * MIB);
        CachingAllocator a = new CachingAllocator(mem, "cuda:0");
        a.free(a.allocate(6 * MIB, S0));                    // 6 MiB cached
        int[] hookRuns = {0};
        CachingAllocator.Block b = a.allocate(4 * MIB, S0, () -> hookRuns[0]++);  // fits only after the cache is freed
        assertEquals(1, hookRuns[0]);
        assertEquals(4 * MIB, b.size());
        MemoryStats s = a.stats();
        assertEquals(1, s.oomRetries());
        assertEquals(4 * MIB, s.reserved());
        assertEquals(1, s.deviceFrees());
    }

    @Test
    void outOfMemoryWaitsForPendingBlocksBeforeRetrying() {
        FakeDeviceMemory mem = new FakeDeviceMemory(8 * MIB);
        CachingAllocator a = new CachingAllocator(mem, "cuda:0");
        CachingAllocator.Block b = a.allocate(6 * MIB, S0);
        a.recordStream(b, S1);
        a.free(b);                                          // pending on S1's event
        a.allocate(4 * MIB, S0);
        assertEquals(1, mem.synchronizes);
        assertEquals(0, mem.liveEvents);
    }

    @Test
    void outOfMemoryAfterTheRetryReportsTheStats() {
        FakeDeviceMemory mem = new FakeDeviceMemory(8 * MIB);
        CachingAllocator a = new CachingAllocator(mem, "cuda:0");
        a.allocate(6 * MIB, S0);
        CudaOutOfMemoryError e = assertThrows(CudaOutOfMemoryError.class, () -> a.allocate(4 * MIB, S0));
        String m = e.getMessage();
        assertTrue(m.contains("cuda:0") && m.contains("4194304 bytes") && m.contains("allocated 6.00 MiB")
                && m.contains("reserved 6.00 MiB") && m.contains("1 out-of-memory retries")
                && m.contains("CUDA_ERROR_OUT_OF_MEMORY"), m);
        assertEquals(6 * MIB, a.stats().allocated());
    }

    @Test
    void aTrainingLoopReachesASteadyStateWithoutNewDeviceAllocations() {
        FakeDeviceMemory mem = new FakeDeviceMemory(256 * MIB);
        CachingAllocator a = new CachingAllocator(mem, "cuda:0");
        long[] sizes = {784 * 256 * 4, 256 * 4, 128 * 784 * 4, 128 * 256 * 4, 128 * 10 * 4, 4};
        long reservedAfterWarmup = 0;
        for (int step = 0; step < 100; step++) {
            CachingAllocator.Block[] blocks = new CachingAllocator.Block[sizes.length];
            for (int i = 0; i < sizes.length; i++) blocks[i] = a.allocate(sizes[i], S0);
            for (CachingAllocator.Block b : blocks) a.free(b);
            if (step == 0) reservedAfterWarmup = a.stats().reserved();
        }
        MemoryStats s = a.stats();
        assertEquals(reservedAfterWarmup, s.reserved());
        assertEquals(sizes.length, s.deviceMallocs());
        assertEquals(99L * sizes.length, s.cacheHits());
        assertEquals(0, s.allocated());
    }

    @Test
    void rejectsDoubleFreesAndForeignBlocks() {
        FakeDeviceMemory mem = new FakeDeviceMemory(8 * MIB);
        CachingAllocator a = new CachingAllocator(mem, "cuda:0");
        CachingAllocator other = new CachingAllocator(mem, "cuda:1");
        CachingAllocator.Block b = a.allocate(100, S0);
        assertThrows(IllegalArgumentException.class, () -> other.free(b));
        a.free(b);
        assertThrows(IllegalStateException.class, () -> a.free(b));
    }
}
