package dev.kindling.ops;

import dev.kindling.autograd.Graph;
import dev.kindling.backend.BinaryOp;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;

import java.util.Arrays;

/**
 * Matrix products. mm, bmm and linear are single recorded ops over the backend's batched GEMM,
 * with gradients that are again products of (transposed, uncopied) views: d(a@b)/da = g @ b^T,
 * d(a@b)/db = a^T @ g. matmul applies PyTorch's rules for 1-D, 2-D and batched operands on top.
 */
public final class LinearAlgebra {
    private LinearAlgebra() {}

    /** The raw [1, r, c] (or [B, r, c]) view of a 2-D (or 3-D) tensor for the backend. */
    private static Tensor as3d(Tensor t) {
        int[] s = t.shape();
        int[] st = t.strides();
        if (s.length == 3) return t.detach();
        return t.detach().viewOf(new int[] {1, s[0], s[1]}, new int[] {0, st[0], st[1]}, t.storageOffset()).detach();
    }

    private static void checkDtypes(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": expected both operands to have the same dtype, but got "
                    + a.dtype() + " and " + b.dtype());
        }
        if (a.dtype() == dev.kindling.tensor.DType.BOOL) {
            throw new IllegalArgumentException(op + ": not implemented for bool tensors");
        }
        Kernels.checkDevices(op, a, b);
    }

    /** 2-D matrix product. */
    public static Tensor mm(Tensor a, Tensor b) {
        if (a.dim() != 2 || b.dim() != 2) {
            throw new IllegalArgumentException("mm: expected 2-D tensors but got shapes " + Shapes.str(a.shape())
                    + " and " + Shapes.str(b.shape()));
        }
        if (a.size(1) != b.size(0)) {
            throw new IllegalArgumentException("mm: mat1 and mat2 shapes cannot be multiplied (" + a.size(0) + "x"
                    + a.size(1) + " and " + b.size(0) + "x" + b.size(1) + ")");
        }
        checkDtypes("mm", a, b);
        Tensor out = Kernels.empty(a, a.dtype(), new int[] {a.size(0), b.size(1)});
        out.backend().matmul(as3d(a).strided(), as3d(b).strided(), as3d(out).strided());
        return Graph.record("MmBackward0", out, new Tensor[] {a, b}, new Tensor[] {a, b}, g -> new Tensor[] {
                a.requiresGrad() ? g.mm(b.t()) : null,
                b.requiresGrad() ? a.t().mm(g) : null});
    }

    /** Batched product of [B, M, K] and [B, K, N]; a batch size of 1 on either side broadcasts. */
    public static Tensor bmm(Tensor a, Tensor b) {
        if (a.dim() != 3 || b.dim() != 3) {
            throw new IllegalArgumentException("bmm: expected 3-D tensors but got shapes " + Shapes.str(a.shape())
                    + " and " + Shapes.str(b.shape()));
        }
        int ba = a.size(0);
        int bb = b.size(0);
        if (ba != bb && ba != 1 && bb != 1) {
            throw new IllegalArgumentException("bmm: batch sizes differ: " + Shapes.str(a.shape()) + " and " + Shapes.str(b.shape()));
        }
        if (a.size(2) != b.size(1)) {
            throw new IllegalArgumentException("bmm: batch1 and batch2 shapes cannot be multiplied (" + Shapes.str(a.shape())
                    + " and " + Shapes.str(b.shape()) + ")");
        }
        checkDtypes("bmm", a, b);
        int batch = Math.max(ba, bb);
        Tensor out = Kernels.empty(a, a.dtype(), new int[] {batch, a.size(1), b.size(2)});
        Tensor av = ba == batch ? a.detach() : Kernels.broadcastView(a.detach(), new int[] {batch, a.size(1), a.size(2)});
        Tensor bv = bb == batch ? b.detach() : Kernels.broadcastView(b.detach(), new int[] {batch, b.size(1), b.size(2)});
        out.backend().matmul(av.strided(), bv.strided(), out.strided());
        int[] as = a.shape();
        int[] bs = b.shape();
        return Graph.record("BmmBackward0", out, new Tensor[] {a, b}, new Tensor[] {a, b}, g -> new Tensor[] {
                a.requiresGrad() ? Kernels.sumToShape(g.bmm(b.mT()), as) : null,
                b.requiresGrad() ? Kernels.sumToShape(a.mT().bmm(g), bs) : null});
    }

    public static Tensor mv(Tensor a, Tensor v) {
        if (a.dim() != 2 || v.dim() != 1) {
            throw new IllegalArgumentException("mv: expected a 2-D matrix and a 1-D vector but got shapes "
                    + Shapes.str(a.shape()) + " and " + Shapes.str(v.shape()));
        }
        if (a.size(1) != v.size(0)) {
            throw new IllegalArgumentException("mv: size mismatch, got input (" + a.size(0) + "x" + a.size(1)
                    + ") and vector (" + v.size(0) + ")");
        }
        return mm(a, v.unsqueeze(1)).squeeze(1);
    }

    public static Tensor dot(Tensor a, Tensor b) {
        if (a.dim() != 1 || b.dim() != 1) {
            throw new IllegalArgumentException("dot: 1D tensors expected, but got " + a.dim() + "D and " + b.dim() + "D tensors");
        }
        if (a.size(0) != b.size(0)) {
            throw new IllegalArgumentException("dot: inconsistent tensor size, expected tensor [" + a.size(0)
                    + "] and src [" + b.size(0) + "] to have the same number of elements");
        }
        return mm(a.unsqueeze(0), b.unsqueeze(1)).reshape();
    }

    /** torch.matmul. */
    public static Tensor matmul(Tensor a, Tensor b) {
        int da = a.dim();
        int db = b.dim();
        if (da == 0 || db == 0) {
            throw new IllegalArgumentException("matmul: both arguments need to be at least 1D, but they are "
                    + da + "D and " + db + "D");
        }
        if (da == 1 && db == 1) return dot(a, b);
        if (da == 2 && db == 1) return mv(a, b);
        if (da == 1 && db == 2) return mm(a.unsqueeze(0), b).squeeze(0);
        if (da == 2 && db == 2) return mm(a, b);
        int k = a.size(-1);
        int kb = db == 1 ? b.size(0) : b.size(-2);
        if (k != kb) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.str(a.shape()) + " and " + Shapes.str(b.shape())
                    + " cannot be multiplied (" + k + " vs " + kb + ")");
        }
        if (da >= 3 && db <= 2) {
            // Fold the batch into the rows: one large GEMM instead of many small ones.
            int[] as = a.shape();
            Tensor b2 = db == 1 ? b.unsqueeze(1) : b;
            Tensor out = mm(a.reshape(Shapes.numel(Arrays.copyOf(as, as.length - 1)), k), b2);
            int[] shape = Arrays.copyOf(as, as.length);
            shape[shape.length - 1] = b2.size(1);
            Tensor r = out.reshape(shape);
            return db == 1 ? r.squeeze(-1) : r;
        }
        Tensor a3 = da == 1 ? a.unsqueeze(0) : a;
        Tensor b3 = db == 1 ? b.unsqueeze(-1) : b;
        int[] aBatch = Arrays.copyOf(a3.shape(), a3.dim() - 2);
        int[] bBatch = Arrays.copyOf(b3.shape(), b3.dim() - 2);
        int[] batch = Shapes.broadcast("matmul", aBatch, bBatch);
        int m = a3.size(-2);
        int n = b3.size(-1);
        int batches = Shapes.numel(batch); // explicit: -1 cannot be inferred when m, k or n is 0
        Tensor ae = a3.expand(concat(batch, m, k)).reshape(batches, m, k);
        Tensor be = b3.expand(concat(batch, k, n)).reshape(batches, k, n);
        Tensor out = bmm(ae, be).reshape(concat(batch, m, n));
        if (da == 1) out = out.squeeze(-2);
        if (db == 1) out = out.squeeze(-1);
        return out;
    }

    private static int[] concat(int[] batch, int r, int c) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = r;
        s[batch.length + 1] = c;
        return s;
    }

    /** y = x @ w^T + b for x [..., in], w [out, in], b [out] or null: one GEMM, one recorded node. */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        if (w.dim() != 2) throw new IllegalArgumentException("linear: weight must be 2-D but has shape " + Shapes.str(w.shape()));
        if (x.dim() == 0) throw new IllegalArgumentException("linear: input must have at least 1 dimension");
        int in = w.size(1);
        if (x.size(-1) != in) {
            throw new IllegalArgumentException("linear: input's last dim is " + x.size(-1) + " but weight " + Shapes.str(w.shape())
                    + " expects " + in + " input features (mat1 and mat2 shapes cannot be multiplied)");
        }
        if (b != null && (b.dim() != 1 || b.size(0) != w.size(0))) {
            throw new IllegalArgumentException("linear: bias must have shape [" + w.size(0) + "] but has " + Shapes.str(b.shape()));
        }
        checkDtypes("linear", x, w);
        if (b != null) checkDtypes("linear", x, b);
        int[] xs = x.shape();
        Tensor x2 = x.dim() == 2 ? x : x.reshape(-1, in);
        Tensor wt = w.t();
        Tensor out = Kernels.empty(x, x.dtype(), new int[] {x2.size(0), w.size(0)});
        out.backend().matmul(as3d(x2).strided(), as3d(wt).strided(), as3d(out).strided());
        if (b != null) out.backend().binary(BinaryOp.of(BinaryOp.Kind.ADD, 1.0), out.strided(), Kernels.broadcastView(b.detach(), out.shape()).strided(), out.strided());
        Tensor y = Graph.record("AddmmBackward0", out, new Tensor[] {x2, w, b}, new Tensor[] {x2, w}, g -> new Tensor[] {
                x2.requiresGrad() ? g.mm(w) : null,
                w.requiresGrad() ? g.t().mm(x2) : null,
                b != null && b.requiresGrad() ? g.sum(new int[] {0}, false) : null});
        if (x.dim() == 2) return y;
        int[] shape = Arrays.copyOf(xs, xs.length);
        shape[shape.length - 1] = w.size(0);
        return y.reshape(shape);
    }

    /**
     * The Kronecker product: block (i, j) is a[i, j] * b, for tensors of any rank (the smaller rank
     * padded with leading 1s), as torch.kron.
     */
    public static Tensor kron(Tensor a, Tensor b) {
        int n = Math.max(a.dim(), b.dim());
        int[] as = pad1(a.shape(), n);
        int[] bs = pad1(b.shape(), n);
        int[] aView = new int[2 * n];
        int[] bView = new int[2 * n];
        int[] out = new int[n];
        for (int d = 0; d < n; d++) {
            aView[2 * d] = as[d];
            aView[2 * d + 1] = 1;
            bView[2 * d] = 1;
            bView[2 * d + 1] = bs[d];
            out[d] = as[d] * bs[d];
        }
        return a.reshape(aView).mul(b.reshape(bView)).reshape(out);
    }

    private static int[] pad1(int[] shape, int n) {
        int[] out = new int[n];
        Arrays.fill(out, 1);
        System.arraycopy(shape, 0, out, n - shape.length, shape.length);
        return out;
    }

    /**
     * The p-norm distance between each row of x1 [.., P, M] and each row of x2 [.., R, M], giving
     * [.., P, R], computed directly from the differences (PyTorch switches to a matrix-product
     * formula for p = 2 above 25 rows, which agrees to rounding).
     */
    public static Tensor cdist(Tensor x1, Tensor x2, double p) {
        if (x1.dim() < 2 || x2.dim() < 2 || x1.size(-1) != x2.size(-1)) {
            throw new IllegalArgumentException("cdist: expected x1 [.., P, M] and x2 [.., R, M] with the same M but got shapes "
                    + Shapes.str(x1.shape()) + " and " + Shapes.str(x2.shape()));
        }
        if (p < 0) throw new IllegalArgumentException("cdist: p must be >= 0 but got " + p);
        return x1.unsqueeze(-2).sub(x2.unsqueeze(-3)).norm(p, new int[] {-1}, false);
    }
}
