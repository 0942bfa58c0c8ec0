package dev.kindling.data;

import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensors;

import java.util.ArrayList;
import java.util.List;

/** Dataset utilities: {@link #randomSplit} as {@code torch.utils.data.random_split}. */
public final class Datasets {
    private Datasets() {}

    /**
     * Splits a dataset into non-overlapping random subsets of the given lengths (which must sum to
     * its size), from a seeded generator.
     */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int[] lengths, Generator generator) {
        long total = 0;
        for (int l : lengths) {
            if (l < 0) throw new IllegalArgumentException("randomSplit: lengths must be non-negative, got " + l);
            total += l;
        }
        if (total != dataset.size()) {
            throw new IllegalArgumentException("randomSplit: sum of input lengths (" + total + ") does not equal the length of the input dataset ("
                    + dataset.size() + ")");
        }
        long[] perm = Tensors.randperm(dataset.size(), generator).toLongArray();
        List<Subset<T>> out = new ArrayList<>();
        int offset = 0;
        for (int l : lengths) {
            int[] idx = new int[l];
            for (int i = 0; i < l; i++) idx[i] = (int) perm[offset + i];
            offset += l;
            out.add(new Subset<>(dataset, idx));
        }
        return out;
    }

    /**
     * Splits by fractions that sum to 1, as random_split with fractions: floor of each share, then
     * the remainder handed out round-robin from the first subset.
     */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, double[] fractions, Generator generator) {
        double sum = 0;
        for (double f : fractions) sum += f;
        if (Math.abs(sum - 1) > 1e-6) throw new IllegalArgumentException("randomSplit: fractions must sum to 1 but sum to " + sum);
        int n = dataset.size();
        int[] lengths = new int[fractions.length];
        int assigned = 0;
        for (int i = 0; i < fractions.length; i++) {
            lengths[i] = (int) Math.floor(n * fractions[i]);
            assigned += lengths[i];
        }
        for (int i = 0; assigned < n; i = (i + 1) % lengths.length, assigned++) lengths[i]++;
        return randomSplit(dataset, lengths, generator);
    }
}
