package dev.kindling.backend.cpu;

import java.util.concurrent.ForkJoinTask;

/**
 * The CPU kernels' thread budget and pool. Large kernels split their index range into one chunk
 * per thread, run by the calling thread and a {@link WorkerTeam}; small ones (below a grain size)
 * run on the calling thread, where thread hand-off would cost more than the work.
 *
 * <p>The budget defaults to the available processors and can be changed at run time, globally with
 * {@link #setThreads} or for the calling thread only with {@link #setThreadLimitForCurrentThread}
 * (what a Spark task does with {@code spark.task.cpus}, so concurrent tasks in one executor don't
 * oversubscribe it). OpenBLAS follows the same budget, call by call.
 */
public final class Parallel {
    /** Elements below which an elementwise kernel stays on the calling thread. */
    public static final int GRAIN = 32 * 1024;

    private static volatile int threads = defaultThreads();
    private static final ThreadLocal<Integer> LOCAL_LIMIT = new ThreadLocal<>();
    private static volatile WorkerTeam team;

    private Parallel() {}

    private static int defaultThreads() {
        String p = System.getProperty("kindling.threads");
        if (p != null) return Math.max(1, Integer.parseInt(p.trim()));
        return Runtime.getRuntime().availableProcessors();
    }

    /** The number of threads kernels on this thread may use. */
    public static int threads() {
        Integer local = LOCAL_LIMIT.get();
        return local != null ? local : threads;
    }

    /** Sets the global budget (at least 1). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("setThreads: expected >= 1 but got " + n);
        threads = n;
    }

    /** Limits kernels started from the calling thread to n threads (null clears the limit). */
    public static void setThreadLimitForCurrentThread(Integer n) {
        if (n != null && n < 1) throw new IllegalArgumentException("thread limit: expected >= 1 but got " + n);
        if (n == null) LOCAL_LIMIT.remove();
        else LOCAL_LIMIT.set(n);
    }

    private static WorkerTeam team() {
        WorkerTeam t = team;
        if (t == null) {
            synchronized (Parallel.class) {
                if (team == null) team = new WorkerTeam(Math.max(Runtime.getRuntime().availableProcessors(), threads));
                t = team;
            }
        }
        return t;
    }

    /** A piece of work over the index range [from, to). */
    @FunctionalInterface
    public interface Range {
        void run(long from, long to);
    }

    /**
     * Runs {@code body} over [0, n), split into at most {@link #threads()} chunks of at least
     * {@code grain} indices each. Chunks are disjoint; the call returns when all are done.
     */
    public static void forRange(long n, long grain, Range body) {
        forChunks(n, grain, 1, body);
    }

    /**
     * Like {@link #forRange} but with up to {@code chunksPerThread} chunks per thread, for work whose
     * chunks cost the same whoever runs them (GEMM column panels): the calling thread claims the
     * chunks a late worker has not started, so a worker that the OS has not scheduled yet (a machine
     * with more runnable threads than cores) delays the call by one small chunk at most instead of
     * by half the work. The chunk boundaries depend only on n, grain and the thread budget.
     */
    public static void forChunks(long n, long grain, int chunksPerThread, Range body) {
        if (chunksPerThread < 1) throw new IllegalArgumentException("forChunks: chunksPerThread must be >= 1 but got " + chunksPerThread);
        int t = threads();
        long most = (long) t * chunksPerThread;
        long chunks = Math.min(most, grain <= 0 ? most : Math.max(1, n / Math.max(grain, 1)));
        if (t <= 1 || chunks <= 1 || n <= 1 || ForkJoinTask.inForkJoinPool()) {
            if (n > 0) body.run(0, n);
            return;
        }
        WorkerTeam w = team();
        if (w.isWorker()) {
            body.run(0, n);
            return;
        }
        w.run(n, (int) Math.min(chunks, n), body);
    }
}
