package dev.kindling.spark.train;

import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensors;

import java.util.Arrays;

/**
 * Decides which rows each step trains on. Every epoch draws one permutation of all N rows from the
 * fit's seed and the epoch number; step s takes rows [s*B, (s+1)*B) of it, and each partition gets
 * the ones it holds (as local row numbers). The batches therefore depend only on the seed and the
 * data, not on how many executors run them, and a resumed fit replays them exactly.
 */
final class StepPlanner {
    private final int[] starts;   // first global row of each partition
    private final long total;
    private final long seed;
    private final int batchSize;
    private int cachedEpoch = -1;
    private long[] cachedPerm;

    StepPlanner(int[] rowsPerPartition, long seed, int batchSize) {
        if (batchSize <= 0) throw new IllegalArgumentException("batchSize must be positive but got " + batchSize);
        this.starts = new int[rowsPerPartition.length + 1];
        for (int p = 0; p < rowsPerPartition.length; p++) starts[p + 1] = starts[p] + rowsPerPartition[p];
        this.total = starts[rowsPerPartition.length];
        this.seed = seed;
        this.batchSize = batchSize;
    }

    int stepsPerEpoch() { return (int) ((total + batchSize - 1) / batchSize); }

    /** Local rows of each partition for one step (ascending within a partition). */
    int[][] plan(int epoch, int step) {
        long[] perm = permutation(epoch);
        int from = (int) Math.min((long) step * batchSize, total);
        int to = (int) Math.min((long) (step + 1) * batchSize, total);
        int partitions = starts.length - 1;
        int[] counts = new int[partitions];
        int[] owner = new int[to - from];
        for (int i = from; i < to; i++) {
            int p = partitionOf((int) perm[i]);
            owner[i - from] = p;
            counts[p]++;
        }
        int[][] out = new int[partitions][];
        for (int p = 0; p < partitions; p++) out[p] = new int[counts[p]];
        int[] fill = new int[partitions];
        for (int i = from; i < to; i++) {
            int p = owner[i - from];
            out[p][fill[p]++] = (int) perm[i] - starts[p];
        }
        for (int[] rows : out) Arrays.sort(rows);
        return out;
    }

    private int partitionOf(int globalRow) {
        int p = Arrays.binarySearch(starts, globalRow);
        if (p >= 0) {
            while (p + 1 < starts.length && starts[p + 1] == globalRow) p++; // skip empty partitions
            return p;
        }
        return -p - 2;
    }

    private long[] permutation(int epoch) {
        if (epoch != cachedEpoch) {
            cachedPerm = Tensors.randperm((int) total, new Generator(mix(seed, epoch))).toLongArray();
            cachedEpoch = epoch;
        }
        return cachedPerm;
    }

    /** A well-mixed seed for (seed, counter): the streams of different epochs or steps do not overlap. */
    static long mix(long seed, long counter) {
        return Generator.word(seed, counter);
    }
}
