package dev.kindling.data;

import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Default collate functions, as {@code default_collate}: stack samples into a batch along a new dim 0. */
public final class Collate {
    private Collate() {}

    /** Stacks field j of every sample into batch field j. */
    public static Tensor[] stackFields(List<Tensor[]> samples) {
        int fields = samples.get(0).length;
        Tensor[] out = new Tensor[fields];
        for (int j = 0; j < fields; j++) {
            List<Tensor> column = new ArrayList<>(samples.size());
            for (int i = 0; i < samples.size(); i++) {
                Tensor[] s = samples.get(i);
                if (s.length != fields) {
                    throw new IllegalArgumentException("collate: sample " + i + " has " + s.length + " fields but sample 0 has " + fields);
                }
                if (!Arrays.equals(s[j].shape(), samples.get(0)[j].shape())) {
                    throw new IllegalArgumentException("collate: field " + j + " of sample " + i + " has shape " + Shapes.str(s[j].shape())
                            + " but sample 0's has " + Shapes.str(samples.get(0)[j].shape()) + "; pass a custom collate function");
                }
                column.add(s[j]);
            }
            out[j] = Tensors.stack(column, 0);
        }
        return out;
    }

    /** Stacks single-tensor samples. */
    public static Tensor stack(List<Tensor> samples) {
        return Tensors.stack(samples, 0);
    }
}
