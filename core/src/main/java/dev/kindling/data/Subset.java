package dev.kindling.data;

/** The samples of a dataset at the given indices, as {@code torch.utils.data.Subset}. */
public final class Subset<T> implements Dataset<T> {
    private final Dataset<T> dataset;
    private final int[] indices;

    public Subset(Dataset<T> dataset, int[] indices) {
        for (int i : indices) {
            if (i < 0 || i >= dataset.size()) {
                throw new IllegalArgumentException("Subset: index " + i + " is out of range for a dataset of size " + dataset.size());
            }
        }
        this.dataset = dataset;
        this.indices = indices.clone();
    }

    @Override
    public T get(int index) { return dataset.get(indices[index]); }

    @Override
    public int size() { return indices.length; }

    public int[] indices() { return indices.clone(); }
}
