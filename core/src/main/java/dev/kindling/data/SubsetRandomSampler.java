package dev.kindling.data;

import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensors;

import java.util.Arrays;
import java.util.Iterator;

/** The given indices in a fresh random order every epoch, as {@code SubsetRandomSampler}. */
public final class SubsetRandomSampler implements Sampler {
    private final int[] indices;
    private final Generator generator;

    public SubsetRandomSampler(int[] indices, Generator generator) {
        this.indices = indices.clone();
        this.generator = generator == null ? Generator.defaultGenerator() : generator;
    }

    @Override
    public int size() { return indices.length; }

    @Override
    public Iterator<Integer> iterator() {
        long[] perm = Tensors.randperm(indices.length, generator).toLongArray();
        return Arrays.stream(perm).mapToInt(p -> indices[(int) p]).iterator();
    }
}
