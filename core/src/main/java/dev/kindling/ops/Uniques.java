package dev.kindling.ops;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.Arrays;

/**
 * torch.unique: the distinct elements (or, with a dim, the distinct slices along it) in ascending
 * (lexicographic) order, with the inverse mapping and the counts. Not differentiable, as in PyTorch.
 */
public final class Uniques {
    private Uniques() {}

    /** unique's results; inverse and counts are null when not asked for. */
    public record Unique(Tensor values, Tensor inverse, Tensor counts) {}

    /**
     * Distinct elements of the flattened tensor (dim null) or distinct slices along dim. Always
     * sorted: PyTorch's order for sorted=False is unspecified, and sorted is one such order.
     */
    public static Unique unique(Tensor x, boolean returnInverse, boolean returnCounts, Integer dim) {
        if (dim == null) {
            Unique u = unique(x.reshape(-1).unsqueeze(1), returnInverse, returnCounts, 0);
            return new Unique(u.values().reshape(-1), u.inverse() == null ? null : u.inverse().reshape(x.shape()), u.counts());
        }
        int d = Shapes.dim("unique", dim, x.dim());
        if (x.dim() == 0) throw new IllegalArgumentException("unique: dim " + dim + " is out of range for a 0-d tensor");
        Tensor rows = x.movedim(d, 0).contiguous();
        int n = rows.size(0);
        int m = n == 0 ? 0 : rows.numel() / n;
        double[] v = rows.toDoubleArray();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> compareRows(v, a, b, m));
        long[] inverse = new long[n];
        long[] firsts = new long[n];
        long[] counts = new long[n];
        int groups = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || compareRows(v, order[i - 1], order[i], m) != 0) firsts[groups++] = order[i];
            inverse[order[i]] = groups - 1;
            counts[groups - 1]++;
        }
        Tensor values = x.detach().indexSelect(d, Tensors.fromArray(Arrays.copyOf(firsts, groups), groups).to(x.device()));
        return new Unique(values,
                returnInverse ? Tensors.fromArray(inverse, n).to(x.device()) : null,
                returnCounts ? Tensors.fromArray(Arrays.copyOf(counts, groups), groups).to(x.device()) : null);
    }

    private static int compareRows(double[] v, int a, int b, int m) {
        for (int k = 0; k < m; k++) {
            int c = Double.compare(v[a * m + k], v[b * m + k]);
            if (c != 0) return c;
        }
        return 0;
    }

}
