package dev.kindling.tensor;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Measures how many heap bytes the current thread allocates while a call runs (HotSpot's
 * per-thread allocation counter), so a test can check that a reader never allocates far more
 * than the file it reads holds, whatever sizes the file's header claims.
 */
public final class AllocationMeter {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocationMeter() {}

    /** A call that may throw anything; the meter measures it either way. */
    public interface Call {
        void run() throws Throwable;
    }

    /** Runs {@code call} and asserts it allocated at most {@code limit} bytes on this thread. */
    public static void assertAllocatesAtMost(long limit, String label, Call call) throws Throwable {
        long id = Thread.currentThread().threadId();
        long before = THREADS.getThreadAllocatedBytes(id);
        try {
            call.run();
        } finally {
            long used = THREADS.getThreadAllocatedBytes(id) - before;
            assertTrue(used <= limit, label + ": allocated " + used + " bytes, more than the " + limit + " allowed");
        }
    }
}
