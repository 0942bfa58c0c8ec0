package dev.kindling.data;

import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensors;

import java.util.Arrays;
import java.util.Iterator;

/**
 * A fresh random permutation of 0..n-1 every epoch (or numSamples draws with replacement), from a
 * seeded {@link Generator}, as {@code RandomSampler}: the same seed gives the same epochs.
 */
public final class RandomSampler implements Sampler {
    private final int n;
    private final boolean replacement;
    private final int numSamples;
    private final Generator generator;

    public RandomSampler(int n, Generator generator) { this(n, false, n, generator); }

    public RandomSampler(int n, boolean replacement, int numSamples, Generator generator) {
        if (n <= 0 || numSamples <= 0) {
            throw new IllegalArgumentException("RandomSampler: num_samples should be a positive integer value, but got num_samples="
                    + numSamples + " for a dataset of size " + n);
        }
        if (!replacement && numSamples != n) {
            throw new IllegalArgumentException("RandomSampler: without replacement num_samples must equal the dataset size " + n);
        }
        this.n = n;
        this.replacement = replacement;
        this.numSamples = numSamples;
        this.generator = generator == null ? Generator.defaultGenerator() : generator;
    }

    @Override
    public int size() { return numSamples; }

    @Override
    public Iterator<Integer> iterator() {
        long[] order = replacement ? Tensors.randint(0, n, generator, numSamples).toLongArray()
                : Tensors.randperm(n, generator).toLongArray();
        return Arrays.stream(order).mapToInt(v -> (int) v).iterator();
    }

    public Generator generator() { return generator; }
}
