package dev.kindling.data;

import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Iterates a dataset in batches, as {@code torch.utils.data.DataLoader}: a sampler (sequential, or
 * shuffled from a seeded {@link Generator}) chooses each epoch's order, batches of {@code batchSize}
 * indices (the last one smaller unless {@code dropLast}) are fetched and collated, and with
 * {@code numWorkers > 0} that happens on background threads that prefetch ahead. Batches always
 * come out in sampler order, so for a given seed the batches are identical whatever numWorkers is.
 *
 * @param <T> a sample
 * @param <B> a collated batch
 */
public final class DataLoader<T, B> implements Iterable<B> {
    private final Dataset<T> dataset;
    private final Sampler sampler;
    private final int batchSize;
    private final boolean dropLast;
    private final int numWorkers;
    private final int prefetchFactor;
    private final Function<int[], B> fetch;

    /** DataLoader options with PyTorch's defaults (batch size 1, no shuffle, no workers). */
    public static final class Options {
        private int batchSize = 1;
        private boolean shuffle;
        private Generator generator;
        private boolean dropLast;
        private int numWorkers;
        private int prefetchFactor = 2;
        private Sampler sampler;

        public Options batchSize(int v) { batchSize = v; return this; }

        public Options shuffle(boolean v) { shuffle = v; return this; }

        /** The generator shuffling draws from (the default one when not given). */
        public Options generator(Generator v) { generator = v; return this; }

        public Options dropLast(boolean v) { dropLast = v; return this; }

        public Options numWorkers(int v) { numWorkers = v; return this; }

        public Options prefetchFactor(int v) { prefetchFactor = v; return this; }

        /** A custom sampler (excludes shuffle). */
        public Options sampler(Sampler v) { sampler = v; return this; }
    }

    public static Options options() { return new Options(); }

    /**
     * A loader of {@code Tensor[]} samples collated by stacking each field; a {@link TensorDataset}
     * is batched with one indexSelect per tensor (the same values, without per-sample views).
     */
    public static DataLoader<Tensor[], Tensor[]> of(Dataset<Tensor[]> dataset, Options options) {
        if (dataset instanceof TensorDataset t) return new DataLoader<>(dataset, options, null, t::batch);
        return new DataLoader<>(dataset, options, Collate::stackFields);
    }

    public DataLoader(Dataset<T> dataset, Options options, Function<List<T>, B> collate) {
        this(dataset, options, collate, null);
    }

    private DataLoader(Dataset<T> dataset, Options options, Function<List<T>, B> collate, Function<int[], B> batchFetch) {
        if (dataset.size() == 0) {
            throw new IllegalArgumentException("DataLoader: the dataset is empty (size 0); there is nothing to load");
        }
        if (options.batchSize <= 0) throw new IllegalArgumentException("DataLoader: batchSize must be positive but got " + options.batchSize);
        if (options.numWorkers < 0) throw new IllegalArgumentException("DataLoader: numWorkers must be >= 0 but got " + options.numWorkers);
        if (options.prefetchFactor <= 0) throw new IllegalArgumentException("DataLoader: prefetchFactor must be positive");
        if (options.sampler != null && options.shuffle) {
            throw new IllegalArgumentException("DataLoader: sampler option is mutually exclusive with shuffle");
        }
        this.dataset = dataset;
        this.sampler = options.sampler != null ? options.sampler
                : options.shuffle ? new RandomSampler(dataset.size(), options.generator) : new SequentialSampler(dataset.size());
        this.batchSize = options.batchSize;
        this.dropLast = options.dropLast;
        this.numWorkers = options.numWorkers;
        this.prefetchFactor = options.prefetchFactor;
        this.fetch = batchFetch != null ? batchFetch : indices -> {
            List<T> samples = new ArrayList<>(indices.length);
            for (int i : indices) samples.add(dataset.get(i));
            return collate.apply(samples);
        };
    }

    /** Batches per epoch. */
    public int size() {
        int n = sampler.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    public Dataset<T> dataset() { return dataset; }

    /** One epoch's batches of indices, in order. */
    private List<int[]> batches() {
        int[] order = sampler.epoch();
        List<int[]> out = new ArrayList<>();
        for (int start = 0; start < order.length; start += batchSize) {
            int len = Math.min(batchSize, order.length - start);
            if (len < batchSize && dropLast) break;
            int[] b = new int[len];
            System.arraycopy(order, start, b, 0, len);
            out.add(b);
        }
        return out;
    }

    private B load(int[] indices) {
        return fetch.apply(indices);
    }

    /** Starts an epoch. */
    @Override
    public Iterator<B> iterator() {
        List<int[]> batches = batches();
        return numWorkers == 0 ? new SyncIterator(batches) : new PrefetchIterator(batches);
    }

    private final class SyncIterator implements Iterator<B> {
        private final List<int[]> batches;
        private int next;

        SyncIterator(List<int[]> batches) { this.batches = batches; }

        @Override
        public boolean hasNext() { return next < batches.size(); }

        @Override
        public B next() {
            if (!hasNext()) throw new NoSuchElementException();
            return load(batches.get(next++));
        }
    }

    /** Keeps numWorkers * prefetchFactor batches in flight and hands them out in order. */
    private final class PrefetchIterator implements Iterator<B> {
        private static final AtomicInteger POOL_ID = new AtomicInteger();
        private final List<int[]> batches;
        private final ArrayDeque<Future<B>> inFlight = new ArrayDeque<>();
        private final ThreadPoolExecutor pool;
        private int submitted;
        private int returned;

        PrefetchIterator(List<int[]> batches) {
            this.batches = batches;
            int id = POOL_ID.incrementAndGet();
            AtomicInteger thread = new AtomicInteger();
            pool = new ThreadPoolExecutor(numWorkers, numWorkers, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "kindling-loader-" + id + "-" + thread.getAndIncrement());
                t.setDaemon(true);
                return t;
            });
            pool.allowCoreThreadTimeOut(true);
            fill();
        }

        private void fill() {
            while (submitted < batches.size() && inFlight.size() < numWorkers * prefetchFactor) {
                int[] b = batches.get(submitted++);
                inFlight.add(pool.submit(() -> load(b)));
            }
            if (submitted == batches.size()) pool.shutdown();
        }

        @Override
        public boolean hasNext() { return returned < batches.size(); }

        @Override
        public B next() {
            if (!hasNext()) throw new NoSuchElementException();
            Future<B> f = inFlight.poll();
            try {
                B b = f.get();
                returned++;
                fill();
                return b;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pool.shutdownNow();
                throw new IllegalStateException("DataLoader: interrupted while waiting for a batch", e);
            } catch (ExecutionException e) {
                pool.shutdownNow();
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) throw re;
                if (cause instanceof Error err) throw err;
                throw new IllegalStateException("DataLoader: loading a batch failed", cause);
            }
        }
    }
}
