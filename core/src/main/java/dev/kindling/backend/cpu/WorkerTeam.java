package dev.kindling.backend.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threads that run the chunks of {@link Parallel#forRange}, OpenMP-style: the caller publishes
 * a job, claims and runs chunks itself until none is left unclaimed, and waits (spinning briefly,
 * then parked) only for chunks a worker has already started; idle workers keep watching for the next job
 * for a short while (spinning, then yielding) before they park.
 *
 * <p>Why not a ForkJoinPool: its idle workers park at once, and waking a parked thread costs
 * ~16 us per parallel region on the 2-core development VM (a do-nothing two-chunk forRange took
 * 16-19 us), more than many kernels take. A training step runs dozens of parallel kernels a few
 * hundred microseconds apart, so a worker that is still watching picks up the next job in about a
 * microsecond. The price is one core kept busy for up to {@link #SPIN_NANOS} after each job (spent
 * mostly in {@link Thread#yield}, so other runnable threads on that core go first), as libtorch's
 * OpenMP threads do.
 *
 * <p>One job at a time: a thread that finds the team busy (another Java thread's kernel, e.g. a
 * second Spark task in the same executor) runs its range by itself instead of waiting. A worker
 * or the publishing thread that calls forRange again from inside a chunk (nested parallelism)
 * also runs it by itself.
 */
final class WorkerTeam {
    /** How long an idle worker watches for the next job before parking (-Dkindling.spinMicros). */
    static final long SPIN_NANOS = Long.getLong("kindling.spinMicros", 500) * 1000;
    /** Of which the first part is a pure spin (no yield): the gap between two kernels of one step. */
    private static final long PURE_SPIN_NANOS = Math.min(SPIN_NANOS, 20_000);

    /** One published range: chunks are claimed by index, completion is counted down. */
    private static final class Job {
        final Parallel.Range body;
        final long n;
        final int chunks;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger remaining;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        /** The publishing thread once it parks to wait for the last chunks; unparked by whoever ends the last. */
        volatile Thread waiter;

        Job(Parallel.Range body, long n, int chunks) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.remaining = new AtomicInteger(chunks);
        }

        /** Claims and runs chunks until none is left; true if it ran any. */
        boolean work() {
            boolean ran = false;
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                ran = true;
                try {
                    body.run(n * c / chunks, n * (c + 1) / chunks);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    // Dekker with awaitChunks: this writes remaining, then reads waiter.
                    if (remaining.decrementAndGet() == 0) {
                        Thread w = waiter;
                        if (w != null) LockSupport.unpark(w);
                    }
                }
            }
            return ran;
        }
    }

    private final class Worker extends Thread {
        volatile boolean parked;

        Worker(int id) {
            super("kindling-cpu-" + id);
            setDaemon(true);
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                seen = await(seen);
                current.work(); // the newest job (published before its generation): no chunks left is fine
            }
        }

        /** Waits for a generation other than seen and returns it: spin, then spin-yield, then park. */
        private long await(long seen) {
            long start = System.nanoTime();
            while (true) {
                long g = generation;
                if (g != seen) return g;
                long idle = System.nanoTime() - start;
                if (idle < PURE_SPIN_NANOS) {
                    Thread.onSpinWait();
                } else if (idle < SPIN_NANOS) {
                    Thread.yield();
                } else {
                    parked = true;
                    // Dekker with the publisher: it writes generation, then reads parked.
                    if (generation == seen) LockSupport.park(this);
                    parked = false;
                    start = System.nanoTime();
                }
            }
        }
    }

    private final ReentrantLock busy = new ReentrantLock();
    private final Worker[] workers;
    private volatile Job current;
    private volatile long generation;

    /** A team of size - 1 workers (the calling thread is the size-th). */
    WorkerTeam(int size) {
        workers = new Worker[Math.max(0, size - 1)];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i);
            workers[i].start();
        }
    }

    /** Threads that can work on one job, the caller included. */
    int size() { return workers.length + 1; }

    /** True when the calling thread is one of this team's workers. */
    boolean isWorker() {
        Thread t = Thread.currentThread();
        for (Worker w : workers) if (w == t) return true;
        return false;
    }

    /**
     * Waits for the chunks other threads claimed: spinning at first (a running worker ends its
     * chunk within microseconds), then parked until the thread that ends the last chunk unparks
     * it. On a machine with more runnable threads than cores, a worker that claimed a chunk may be
     * descheduled; a waiting caller that kept spinning or yielding would hold a core that the
     * worker, or another process, needs to get there.
     */
    private static void awaitChunks(Job job) {
        long start = System.nanoTime();
        while (job.remaining.get() > 0) {
            if (System.nanoTime() - start < PURE_SPIN_NANOS) {
                Thread.onSpinWait();
                continue;
            }
            job.waiter = Thread.currentThread(); // Dekker with Job.work: write waiter, then read remaining
            while (job.remaining.get() > 0) LockSupport.park(job);
            return;
        }
    }

    /**
     * Runs body over [0, n) in chunks (at most size() of them run at once), returning when all are
     * done; or by itself, when the team is busy with another thread's job.
     */
    void run(long n, int chunks, Parallel.Range body) {
        // The lock is reentrant, so the publisher's own nested call must be caught first: it would
        // replace the running job before the workers had picked it up, leaving them nothing to do.
        if (busy.isHeldByCurrentThread() || !busy.tryLock()) {
            body.run(0, n);
            return;
        }
        Job job = new Job(body, n, chunks);
        try {
            current = job;
            generation++;
            for (Worker w : workers) if (w.parked) LockSupport.unpark(w);
            job.work();
            awaitChunks(job);
        } finally {
            busy.unlock();
        }
        Throwable failure = job.failure.get();
        if (failure instanceof RuntimeException e) throw e;
        if (failure instanceof Error e) throw e;
        if (failure != null) throw new IllegalStateException(failure);
    }
}
