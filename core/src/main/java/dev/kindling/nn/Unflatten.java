package dev.kindling.nn;

import dev.kindling.tensor.Tensor;

/** Splits one dim into several, as {@code torch.nn.Unflatten}. */
public final class Unflatten extends Module {
    private final int dim;
    private final int[] sizes;

    public Unflatten(int dim, int... unflattenedSize) {
        this.dim = dim;
        this.sizes = unflattenedSize.clone();
    }

    @Override
    public Tensor forward(Tensor input) { return input.unflatten(dim, sizes); }

    @Override
    protected String extraRepr() { return "dim=" + dim + ", unflattened_size=" + Repr.tuple(sizes); }
}
