package dev.kindling.bench;

/**
 * Keeps results reachable so the JIT cannot drop a call whose output nobody reads. A volatile
 * store costs nanoseconds, nothing next to the millisecond-scale work timed here.
 */
final class Sink {
    private static volatile Object last;

    private Sink() {}

    static void keep(Object result) { last = result; }

    /**
     * Keeps the result, then hands its memory back to Kindling's buffer pool, as PyTorch frees a
     * result whose last reference goes: the Java counterpart of dropping it (Tensor.release()).
     */
    static void release(dev.kindling.tensor.Tensor result) {
        last = result;
        result.release();
    }

    /** Read once at the end so the field is not write-only either. */
    static String describeLast() { return String.valueOf(last != null); }
}
