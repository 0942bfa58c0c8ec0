package dev.kindling.ops;

import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;

/**
 * BLAS-style fused products (addmm, baddbmm, addbmm, addmv, addr: beta * input + alpha * product)
 * and the cross product. Each is composed of the product op and elementwise ops, so the
 * gradients are theirs; beta = 0 drops the input entirely (NaN in it does not propagate), as PyTorch.
 */
public final class FusedProducts {
    private FusedProducts() {}

    private static Tensor combine(String op, Tensor input, Tensor product, double beta, double alpha) {
        int[] outShape = product.shape();
        if (!java.util.Arrays.equals(Shapes.broadcast(op, input.shape(), outShape), outShape)) {
            throw new IllegalArgumentException(op + ": the input of shape " + Shapes.str(input.shape())
                    + " cannot be broadcast to the product's shape " + Shapes.str(outShape));
        }
        Tensor scaled = alpha == 1.0 ? product : product.mul(alpha);
        // beta = 0: the input's values are ignored (even NaN/inf), but it stays in the graph with a zero gradient.
        Tensor term = beta == 0.0 ? input.mul(0.0).where(input.isfinite(), 0.0) : beta == 1.0 ? input : input.mul(beta);
        return scaled.add(term);
    }

    /** beta * input + alpha * (mat1 @ mat2), input broadcast to the product's shape. */
    public static Tensor addmm(Tensor input, Tensor mat1, Tensor mat2, double beta, double alpha) {
        return combine("addmm", input, mat1.mm(mat2), beta, alpha);
    }

    /** beta * input + alpha * bmm(batch1, batch2). */
    public static Tensor baddbmm(Tensor input, Tensor batch1, Tensor batch2, double beta, double alpha) {
        return combine("baddbmm", input, batch1.bmm(batch2), beta, alpha);
    }

    /** beta * input + alpha * sum over the batch of bmm(batch1, batch2). */
    public static Tensor addbmm(Tensor input, Tensor batch1, Tensor batch2, double beta, double alpha) {
        return combine("addbmm", input, batch1.bmm(batch2).sum(new int[] {0}, false), beta, alpha);
    }

    /** beta * input + alpha * (mat @ vec). */
    public static Tensor addmv(Tensor input, Tensor mat, Tensor vec, double beta, double alpha) {
        return combine("addmv", input, mat.mv(vec), beta, alpha);
    }

    /** beta * input + alpha * outer(vec1, vec2). */
    public static Tensor addr(Tensor input, Tensor vec1, Tensor vec2, double beta, double alpha) {
        return combine("addr", input, vec1.outer(vec2), beta, alpha);
    }

    /** The cross product of 3-vectors along dim, inputs broadcast against each other (torch.cross / linalg.cross). */
    public static Tensor cross(Tensor a, Tensor b, int dim) {
        if (a.dim() != b.dim()) {
            throw new IllegalArgumentException("cross: inputs must have the same number of dimensions, got " + a.dim() + " and " + b.dim());
        }
        int[] shape = Shapes.broadcast("cross", a.shape(), b.shape());
        int d = Shapes.dim("cross", dim, shape.length);
        if (shape.length == 0 || shape[d] != 3) {
            throw new IllegalArgumentException("cross: inputs dimension " + dim + " must have length 3 but the broadcast shape is "
                    + Shapes.str(shape));
        }
        Tensor x = a.expand(shape);
        Tensor y = b.expand(shape);
        Tensor x0 = x.narrow(d, 0, 1), x1 = x.narrow(d, 1, 1), x2 = x.narrow(d, 2, 1);
        Tensor y0 = y.narrow(d, 0, 1), y1 = y.narrow(d, 1, 1), y2 = y.narrow(d, 2, 1);
        return Joining.cat(java.util.List.of(x1.mul(y2).sub(x2.mul(y1)), x2.mul(y0).sub(x0.mul(y2)), x0.mul(y1).sub(x1.mul(y0))), d);
    }

    /** cross along the first dim of size 3 (torch.cross without dim). */
    public static Tensor cross(Tensor a, Tensor b) {
        int[] shape = Shapes.broadcast("cross", a.shape(), b.shape());
        for (int i = 0; i < shape.length; i++) if (shape[i] == 3) return cross(a, b, i);
        throw new IllegalArgumentException("cross: no dimension of size 3 in input of shape " + Shapes.str(shape));
    }
}
