package dev.kindling.ops;

import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/**
 * Triangles and diagonals of matrices: tril, triu, diag, trace. Each is a mask or an index into
 * the flattened matrix, so the gradient comes from where/index_select/index_add.
 */
public final class Diagonals {
    private Diagonals() {}

    /** The lower triangle (on and below diagonal k) of the last two dims; the rest zero. */
    public static Tensor tril(Tensor x, int k) { return triangle("tril", x, k, true); }

    /** The upper triangle (on and above diagonal k) of the last two dims; the rest zero. */
    public static Tensor triu(Tensor x, int k) { return triangle("triu", x, k, false); }

    private static Tensor triangle(String op, Tensor x, int k, boolean lower) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException(op + ": expected a tensor of at least 2 dims but got shape " + Shapes.str(x.shape()));
        }
        int rows = x.size(-2);
        int cols = x.size(-1);
        boolean[] keep = new boolean[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) keep[i * cols + j] = lower ? j - i <= k : j - i >= k;
        }
        Tensor mask = Tensors.tensor(keep).reshape(rows, cols).to(x.device());
        return x.maskedFill(mask.logicalNot(), 0.0);
    }

    /**
     * Of a 1-D tensor: the square matrix with it on diagonal k. Of a 2-D tensor: its diagonal k as
     * a 1-D tensor. As torch.diag.
     */
    public static Tensor diag(Tensor x, int k) {
        if (x.dim() == 1) {
            int n = x.size(0);
            int size = n + Math.abs(k);
            long[] flat = new long[n];
            for (int i = 0; i < n; i++) flat[i] = (long) (i + Math.max(-k, 0)) * size + i + Math.max(k, 0);
            Tensor zeros = Tensors.zeros(x.dtype(), x.device(), size * size);
            return zeros.indexAdd(0, Tensors.fromArray(flat, n).to(x.device()), x).reshape(size, size);
        }
        if (x.dim() == 2) {
            int rows = x.size(0);
            int cols = x.size(1);
            int n = Math.max(0, k >= 0 ? Math.min(rows, cols - k) : Math.min(rows + k, cols));
            long[] flat = new long[n];
            for (int i = 0; i < n; i++) flat[i] = (long) (i + Math.max(-k, 0)) * cols + i + Math.max(k, 0);
            return x.reshape(-1).indexSelect(0, Tensors.fromArray(flat, n).to(x.device()));
        }
        throw new IllegalArgumentException("diag: expected a 1-D or 2-D tensor but got shape " + Shapes.str(x.shape()));
    }

    /** The sum of the main diagonal of a 2-D tensor. */
    public static Tensor trace(Tensor x) {
        if (x.dim() != 2) throw new IllegalArgumentException("trace: expected a 2-D tensor but got shape " + Shapes.str(x.shape()));
        return diag(x, 0).sum();
    }
}
