package dev.kindling.spark.data;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.AllocationManager;

import java.lang.management.ManagementFactory;

/**
 * The Arrow root allocator of one JVM (driver or executor), created on first use. Each cached
 * partition allocates from a child of it and closes that child when freed, so after a fit the root
 * is back at zero bytes, which {@link #allocatedBytes()} lets tests check.
 *
 * <p>Its memory comes from {@link PooledArrowMemory}: batch buffers are huge-page mappings that
 * are kept when freed and reused by the next partition, fit or inference call in this JVM. Bounds:
 * memory in use is limited to the JVM's {@code -XX:MaxDirectMemorySize} (the heap size when
 * unset, as for direct buffers); freed memory kept for reuse is limited to
 * {@code -Dkindling.arrow.idleBytes} (default 256 MiB), beyond which freed blocks are unmapped at
 * once, and {@link #releaseIdleMemory()} gives all of it back.
 */
public final class ExecutorArrow {
    /** Default bound on freed memory kept for reuse: a few partitions of MNIST-sized data. */
    static final long DEFAULT_IDLE_BYTES = 256L << 20;

    private static volatile RootAllocator root;
    private static volatile PooledArrowMemory memory;

    private ExecutorArrow() {}

    static BufferAllocator root() {
        RootAllocator r = root;
        if (r == null) {
            synchronized (ExecutorArrow.class) {
                if (root == null) {
                    long idle = Long.getLong("kindling.arrow.idleBytes", DEFAULT_IDLE_BYTES);
                    PooledArrowMemory m = new PooledArrowMemory(arrowDefaultManager(), idle);
                    root = new RootAllocator(RootAllocator.configBuilder().allocationManagerFactory(m).maxAllocation(directMemoryLimit()).build());
                    memory = m;
                }
                r = root;
            }
        }
        return r;
    }

    /** Bytes currently allocated by Kindling's Arrow memory in this JVM (idle memory kept for reuse not included). */
    public static long allocatedBytes() {
        RootAllocator r = root;
        return r == null ? 0 : r.getAllocatedMemory();
    }

    /** Bytes of freed Arrow memory this JVM keeps for reuse (at most {@code kindling.arrow.idleBytes}). */
    public static long idleBytes() {
        PooledArrowMemory m = memory;
        return m == null ? 0 : m.idleBytes();
    }

    /** Returns the freed Arrow memory kept for reuse to the operating system. */
    public static void releaseIdleMemory() {
        PooledArrowMemory m = memory;
        if (m != null) m.releaseIdle();
    }

    /**
     * Arrow's default allocation manager, found by name as Arrow itself does: Netty's (the
     * arrow-memory-netty that Spark ships, only a runtime dependency here, so that Spark's Netty
     * version stays the one resolved), else the Unsafe one.
     */
    static AllocationManager.Factory arrowDefaultManager() {
        for (String name : new String[] {"org.apache.arrow.memory.netty.NettyAllocationManager",
                "org.apache.arrow.memory.unsafe.UnsafeAllocationManager"}) {
            try {
                return (AllocationManager.Factory) Class.forName(name).getField("FACTORY").get(null);
            } catch (ReflectiveOperationException | LinkageError e) {
                // not on the classpath: try the next
            }
        }
        throw new IllegalStateException("no Arrow allocation manager on the classpath: add arrow-memory-netty or arrow-memory-unsafe");
    }

    /** The JVM's direct memory limit: -XX:MaxDirectMemorySize, or the heap's maximum when it is unset (0), as the JDK does. */
    private static long directMemoryLimit() {
        try {
            String v = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption("MaxDirectMemorySize").getValue();
            long bytes = Long.parseLong(v);
            return bytes > 0 ? bytes : Runtime.getRuntime().maxMemory();
        } catch (RuntimeException e) { // a JVM without the HotSpot diagnostic bean
            return Runtime.getRuntime().maxMemory();
        }
    }
}
