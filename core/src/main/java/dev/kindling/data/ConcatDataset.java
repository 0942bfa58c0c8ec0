package dev.kindling.data;

import java.util.List;

/** Several datasets one after another, as {@code torch.utils.data.ConcatDataset}. */
public final class ConcatDataset<T> implements Dataset<T> {
    private final List<Dataset<T>> datasets;
    private final int[] ends;

    public ConcatDataset(List<Dataset<T>> datasets) {
        if (datasets.isEmpty()) throw new IllegalArgumentException("ConcatDataset: datasets should not be an empty list");
        this.datasets = List.copyOf(datasets);
        ends = new int[datasets.size()];
        int total = 0;
        for (int i = 0; i < ends.length; i++) {
            total = Math.addExact(total, datasets.get(i).size());
            ends[i] = total;
        }
    }

    @Override
    public T get(int index) {
        if (index < 0 || index >= size()) throw new IllegalArgumentException("ConcatDataset: index " + index + " out of range for size " + size());
        int d = 0;
        while (index >= ends[d]) d++;
        return datasets.get(d).get(index - (d == 0 ? 0 : ends[d - 1]));
    }

    @Override
    public int size() { return ends[ends.length - 1]; }
}
