package dev.kindling.spark.data;

/**
 * A DataFrame did not fit in the off-heap (direct) memory that Kindling caches it in on the
 * executors. The message names the settings that raise that memory.
 */
public final class OffHeapMemoryException extends IllegalStateException {
    OffHeapMemoryException(String what, Throwable cause) {
        super(what + " ran out of off-heap memory (" + cause.getMessage() + "). Kindling caches DataFrames as Arrow "
                + "buffers in direct memory: raise the JVM's -XX:MaxDirectMemorySize (spark.executor.extraJavaOptions; "
                + "the driver's flags, spark.driver.extraJavaOptions, in local mode) together with spark.executor.memoryOverhead, "
                + "or spread the rows over more executors", cause);
    }

    /** True for the errors Arrow, Netty and the JDK raise when direct memory runs out. */
    static boolean isOffHeapExhaustion(Throwable e) {
        if (e instanceof org.apache.arrow.memory.OutOfMemoryException) return true;
        if (!(e instanceof OutOfMemoryError)) return false;
        String name = e.getClass().getName();
        String message = String.valueOf(e.getMessage());
        return name.contains("OutOfDirectMemory") || message.contains("direct") || message.contains("Direct");
    }
}
