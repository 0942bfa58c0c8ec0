package dev.kindling.spark.data;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The Arrow root allocator of one JVM (driver or executor), created on first use. Each cached
 * partition allocates from a child of it and closes that child when freed, so after a fit the root
 * is back at zero bytes, which {@link #allocatedBytes()} lets tests check.
 */
public final class ExecutorArrow {
    private static volatile RootAllocator root;

    private ExecutorArrow() {}

    static BufferAllocator root() {
        RootAllocator r = root;
        if (r == null) {
            synchronized (ExecutorArrow.class) {
                if (root == null) root = new RootAllocator(Long.MAX_VALUE);
                r = root;
            }
        }
        return r;
    }

    /** Bytes currently allocated by Kindling's Arrow memory in this JVM. */
    public static long allocatedBytes() {
        RootAllocator r = root;
        return r == null ? 0 : r.getAllocatedMemory();
    }
}
