package dev.kindling.arrow;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Base for tests that use Arrow memory: a fresh root allocator per test, and the check, after
 * every test, that every byte it handed out was given back.
 */
abstract class AllocatorTest {
    protected BufferAllocator allocator;

    @BeforeEach
    void openAllocator() {
        allocator = new RootAllocator();
    }

    @AfterEach
    void allocatorIsEmpty() {
        long left = allocator.getAllocatedMemory();
        allocator.close(); // a second close after a test closed it is a no-op
        assertEquals(0, left, "bytes still allocated at the end of the test");
    }
}
