package dev.kindling.spark.data;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The executor's Arrow memory: huge-page blocks are reused when freed, within the idle bound, and the accounting ends at zero. */
class PooledArrowMemoryTest {
    private static final long MIB = 1 << 20;

    private static RootAllocator root(PooledArrowMemory memory) {
        return new RootAllocator(RootAllocator.configBuilder().allocationManagerFactory(memory).build());
    }

    @Test
    void aFreedBlockIsHandedOutAgainForTheSameSize() {
        assumeTrue(HugePages.available(), "huge-page mappings need Linux");
        PooledArrowMemory memory = new PooledArrowMemory(ExecutorArrow.arrowDefaultManager(), 64 * MIB);
        try (RootAllocator root = root(memory)) {
            long address;
            try (ArrowBuf a = root.buffer(4 * MIB)) {
                address = a.memoryAddress();
                assertEquals(0, address % HugePages.SIZE, "blocks are aligned to huge pages");
                a.setFloat(4 * MIB - 4, 1.5f);
            }
            assertEquals(4 * MIB, memory.idleBytes());
            try (ArrowBuf b = root.buffer(4 * MIB)) {
                assertEquals(address, b.memoryAddress(), "the freed block is reused");
                assertEquals(1.5f, b.getFloat(4 * MIB - 4), "reused, not remapped");
                assertEquals(0, memory.idleBytes());
            }
            try (ArrowBuf c = root.buffer(8 * MIB)) {
                assertNotEquals(address, c.memoryAddress(), "another size maps a new block");
            }
            assertEquals(12 * MIB, memory.idleBytes());
            assertEquals(0, root.getAllocatedMemory(), "idle blocks are not counted as allocated");
        } finally {
            memory.releaseIdle();
        }
        assertEquals(0, memory.idleBytes());
    }

    @Test
    void idleMemoryStaysWithinItsBound() {
        assumeTrue(HugePages.available(), "huge-page mappings need Linux");
        PooledArrowMemory memory = new PooledArrowMemory(ExecutorArrow.arrowDefaultManager(), 8 * MIB);
        try (RootAllocator root = root(memory)) {
            ArrowBuf[] held = new ArrowBuf[3];
            for (int i = 0; i < held.length; i++) held[i] = root.buffer(4 * MIB);
            for (ArrowBuf b : held) b.close();
            assertEquals(8 * MIB, memory.idleBytes(), "two of three 4 MiB blocks kept, the third unmapped");
            assertEquals(0, root.getAllocatedMemory());
        } finally {
            memory.releaseIdle();
        }
    }

    @Test
    void smallBlocksComeFromArrowsDefaultManagerAndAreNotKept() {
        PooledArrowMemory memory = new PooledArrowMemory(ExecutorArrow.arrowDefaultManager(), 64 * MIB);
        try (RootAllocator root = root(memory)) {
            root.buffer(PooledArrowMemory.MIN_BLOCK / 2).close();
            assertEquals(0, memory.idleBytes());
            assertEquals(0, root.getAllocatedMemory());
        }
    }

    @Test
    void aNegativeBoundIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PooledArrowMemory(ExecutorArrow.arrowDefaultManager(), -1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }
}
