package dev.kindling.spark.data;

/**
 * Turns a failed Spark job back into the error that caused it: a Kindling check on an executor
 * throws {@link IllegalArgumentException} naming the column and row, Spark wraps it in a
 * {@code SparkException} (a checked exception Scala throws undeclared); the caller should see the
 * original (or the {@link OffHeapMemoryException} that names the memory settings to raise).
 *
 * <p>Public for {@code train}; not user API.
 */
public final class SparkErrors {
    private SparkErrors() {}

    public static RuntimeException unwrap(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException iae) return iae;
            if (t instanceof OffHeapMemoryException oom) return oom;
        }
        return e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
    }
}
