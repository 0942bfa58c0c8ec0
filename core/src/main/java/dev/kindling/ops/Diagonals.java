package dev.kindling.ops;

import dev.kindling.autograd.Graph;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/**
 * Triangles and diagonals of matrices: tril, triu, diag, trace, diagonal, diag_embed. Each is a
 * mask, an index into the flattened matrix or a strided view, so the gradient comes from
 * where/index_select/index_add or from writing the gradient into the view of a zero tensor.
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

    /**
     * The diagonal {@code offset} of the planes spanned by dim1 and dim2, as a strided view with
     * those dims removed and the diagonal appended last (torch.diagonal).
     */
    public static Tensor diagonal(Tensor x, int offset, int dim1, int dim2) {
        int n = x.dim();
        int a = Shapes.dim("diagonal", dim1, n);
        int b = Shapes.dim("diagonal", dim2, n);
        if (a == b) throw new IllegalArgumentException("diagonal: dim1 and dim2 cannot be the same dim (" + a + ")");
        int[] shape = x.shape();
        int[] strides = x.strides();
        int len = Math.max(0, offset >= 0 ? Math.min(shape[a], shape[b] - offset) : Math.min(shape[a] + offset, shape[b]));
        int start = x.storageOffset();
        if (len > 0) start += offset >= 0 ? offset * strides[b] : -offset * strides[a];
        int[] outShape = new int[n - 1];
        int[] outStrides = new int[n - 1];
        for (int i = 0, j = 0; i < n; i++) {
            if (i == a || i == b) continue;
            outShape[j] = shape[i];
            outStrides[j++] = strides[i];
        }
        outShape[n - 2] = len;
        outStrides[n - 2] = strides[a] + strides[b];
        Tensor out = x.viewOf(outShape, outStrides, start);
        return Graph.record("DiagonalBackward0", out, x,
                g -> Views.embed("DiagonalBackwardBackward0", g, shape, t -> diagonal(t, offset, a, b)));
    }

    /**
     * A tensor whose planes (dim1, dim2) have the last dim of x on their diagonal {@code offset},
     * zeros elsewhere (torch.diag_embed); dim1 and dim2 count in the result, which has one dim more.
     */
    public static Tensor diagEmbed(Tensor x, int offset, int dim1, int dim2) {
        if (x.dim() == 0) throw new IllegalArgumentException("diag_embed: expected a tensor of at least 1 dim but got a 0-d tensor");
        int n = x.dim() + 1;
        int a = Shapes.dim("diag_embed", dim1, n);
        int b = Shapes.dim("diag_embed", dim2, n);
        if (a == b) throw new IllegalArgumentException("diag_embed: dim1 and dim2 cannot be the same dim (" + a + ")");
        int side = x.size(-1) + Math.abs(offset);
        int[] outShape = new int[n];
        int[] rest = java.util.Arrays.copyOf(x.shape(), x.dim() - 1);
        for (int i = 0, j = 0; i < n; i++) outShape[i] = i == a || i == b ? side : rest[j++];
        return Views.embed("DiagEmbedBackward0", x, outShape, t -> diagonal(t, offset, a, b));
    }
}
