package dev.kindling.data;

import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;

/**
 * Rows of tensors that share their first dimension, as {@code torch.utils.data.TensorDataset}:
 * sample i is {@code {t0[i], t1[i], ...}} (views, no copy).
 */
public final class TensorDataset implements Dataset<Tensor[]> {
    private final Tensor[] tensors;

    public TensorDataset(Tensor... tensors) {
        if (tensors.length == 0) throw new IllegalArgumentException("TensorDataset: at least one tensor is needed");
        int n = -1;
        for (int i = 0; i < tensors.length; i++) {
            if (tensors[i].dim() == 0) throw new IllegalArgumentException("TensorDataset: tensor " + i + " is 0-dim; it needs a first dimension");
            if (n < 0) n = tensors[i].size(0);
            else if (tensors[i].size(0) != n) {
                throw new IllegalArgumentException("TensorDataset: size mismatch between tensors: tensor 0 has " + n + " rows but tensor "
                        + i + " (shape " + Shapes.str(tensors[i].shape()) + ") has " + tensors[i].size(0));
            }
        }
        this.tensors = tensors.clone();
    }

    @Override
    public Tensor[] get(int index) {
        Tensor[] out = new Tensor[tensors.length];
        for (int i = 0; i < out.length; i++) out[i] = tensors[i].select(0, index);
        return out;
    }

    @Override
    public int size() { return tensors[0].size(0); }

    /** The samples at indices, already stacked: one indexSelect per tensor instead of a stack of views. */
    public Tensor[] batch(int[] indices) {
        long[] idx = new long[indices.length];
        for (int i = 0; i < idx.length; i++) idx[i] = indices[i];
        Tensor index = dev.kindling.tensor.Tensors.fromArray(idx);
        Tensor[] out = new Tensor[tensors.length];
        for (int i = 0; i < out.length; i++) out[i] = tensors[i].indexSelect(0, index);
        return out;
    }

    /** The underlying tensors. */
    public Tensor[] tensors() { return tensors.clone(); }
}
