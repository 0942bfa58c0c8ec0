package dev.kindling.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The one JMH benchmark of the side-by-side suites: it calls whichever contender {@link JmhSampler}
 * installed. JMH runs it in this JVM (no fork), because a contender is a closure over inputs and
 * native peers (libtorch, OpenBLAS) built by the suite, which a forked JVM could not receive; every
 * contender of a case thus runs in the same JVM, with the same heap and the same JIT history.
 */
@State(Scope.Benchmark)
public class ContenderCall {
    /** The call being measured; set before each JMH run, read once per JMH invocation. */
    static volatile Runnable current;

    @Benchmark
    public void call() {
        current.run();
    }
}
