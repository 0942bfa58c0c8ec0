package dev.kindling.data;

/**
 * Yields the indices a {@link DataLoader} visits in one epoch, as {@code torch.utils.data.Sampler}.
 * Each call to {@link #iterator()} starts a new epoch (random samplers draw a new order).
 */
public interface Sampler extends Iterable<Integer> {
    /** Indices per epoch. */
    int size();

    /** All of one epoch's indices. */
    default int[] epoch() {
        int[] out = new int[size()];
        int i = 0;
        for (int idx : this) out[i++] = idx;
        return out;
    }
}
