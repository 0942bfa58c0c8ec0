package dev.kindling.data;

/**
 * A map-style dataset, as {@code torch.utils.data.Dataset}: a size and random access by index.
 *
 * @param <T> the type of one sample (for {@link TensorDataset}, a {@code Tensor[]} of fields)
 */
public interface Dataset<T> {
    /** The sample at index, 0 <= index < size(). */
    T get(int index);

    int size();
}
