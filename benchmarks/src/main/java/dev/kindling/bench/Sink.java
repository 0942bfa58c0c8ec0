package dev.kindling.bench;

/**
 * Keeps results reachable so the JIT cannot drop a call whose output nobody reads. A volatile
 * store costs nanoseconds, nothing next to the millisecond-scale work timed here.
 */
final class Sink {
    private static volatile Object last;

    private Sink() {}

    static void keep(Object result) { last = result; }

    /** Read once at the end so the field is not write-only either. */
    static String describeLast() { return String.valueOf(last != null); }
}
