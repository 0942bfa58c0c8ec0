package dev.kindling.backend.cpu;

import java.util.function.IntConsumer;

/**
 * Gives every BLAS call the thread count its caller asked for, although OpenBLAS keeps one count
 * for the whole process: {@code openblas_set_num_threads_local} sets that same process-wide count
 * (it only returns the old one), so two Java threads that set different counts change each other's
 * calls. GEMM with one OpenBLAS thread and with two does not give the same bits (a synchronous
 * 784-256-10 fit on Spark local[2], whose two tasks set 1 and, when one ended, restored 2 while the
 * other was multiplying, ended 1e-7 apart from run to run: DeterminismTest).
 *
 * <p>Calls that want the count in force run at once, side by side; a call that wants another
 * count waits until the running ones are done, then sets it. Concurrent Spark tasks of one
 * executor all want {@code spark.task.cpus} threads, so they never wait for each other.
 */
final class BlasThreadGate {
    private final IntConsumer setThreads;
    private int current = -1;
    private int running;

    /** setThreads: sets the library's process-wide thread count. */
    BlasThreadGate(IntConsumer setThreads) {
        this.setThreads = setThreads;
    }

    /** Runs body (one BLAS call) with the library set to threads threads. */
    void run(int threads, Runnable body) {
        enter(threads);
        try {
            body.run();
        } finally {
            exit();
        }
    }

    private synchronized void enter(int threads) {
        boolean interrupted = false;
        while (running > 0 && current != threads) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true; // a BLAS call is short: finish it, keep the interrupt for the caller
            }
        }
        if (current != threads) {
            setThreads.accept(threads);
            current = threads;
        }
        running++;
        if (interrupted) Thread.currentThread().interrupt();
    }

    private synchronized void exit() {
        if (--running == 0) notifyAll();
    }
}
