package dev.kindling.bench;

/**
 * One implementation of a benchmark case: a name that becomes a table column ("Kindling",
 * "OpenBLAS direct", "PyTorch", ...) and the call to time. The call must leave its result
 * somewhere the JIT cannot prove dead (a preallocated output array, or {@link Sink}).
 */
public record Contender(String name, Runnable call) {}
