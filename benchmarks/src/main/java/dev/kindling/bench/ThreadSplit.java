package dev.kindling.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a plain loop over [0, n) on a fixed number of threads, the calling thread taking the first
 * chunk: the hand-written two-thread baseline, so Kindling's parallel kernels are compared with
 * parallel plain Java as well as with the single-threaded loop the targets are set against.
 */
final class ThreadSplit implements AutoCloseable {
    /** A loop body over the index range [from, to). */
    @FunctionalInterface
    interface Body {
        void run(int from, int to);
    }

    private final int threads;
    private final ExecutorService pool;

    ThreadSplit(int threads) {
        if (threads < 1) throw new IllegalArgumentException("ThreadSplit: threads must be >= 1 but got " + threads);
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "plain-loop");
            t.setDaemon(true);
            return t;
        });
    }

    int threads() { return threads; }

    void run(int n, Body body) {
        if (pool == null) {
            body.run(0, n);
            return;
        }
        @SuppressWarnings("unchecked")
        Future<?>[] rest = new Future<?>[threads - 1];
        for (int i = 1; i < threads; i++) {
            int from = (int) ((long) n * i / threads);
            int to = (int) ((long) n * (i + 1) / threads);
            rest[i - 1] = pool.submit(() -> body.run(from, to));
        }
        body.run(0, (int) ((long) n / threads));
        try {
            for (Future<?> f : rest) f.get();
        } catch (Exception e) {
            throw new IllegalStateException("plain loop failed", e);
        }
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
