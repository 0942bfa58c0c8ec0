package dev.kindling.data;

import java.util.Iterator;
import java.util.stream.IntStream;

/** 0, 1, ..., n - 1, as {@code SequentialSampler}. */
public final class SequentialSampler implements Sampler {
    private final int n;

    public SequentialSampler(int n) {
        this.n = n;
    }

    @Override
    public int size() { return n; }

    @Override
    public Iterator<Integer> iterator() { return IntStream.range(0, n).iterator(); }
}
