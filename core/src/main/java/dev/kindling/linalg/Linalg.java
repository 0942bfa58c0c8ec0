package dev.kindling.linalg;

import dev.kindling.autograd.Graph;
import dev.kindling.ops.Reductions;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.Arrays;

/**
 * {@code torch.linalg} in Kindling: inverses, determinants, solves and factorizations of (batches
 * of) matrices in the last two dims, computed by LAPACK ({@link dev.kindling.backend.Lapack}) and
 * differentiated with the formulas PyTorch uses, written in tensor ops so they are themselves
 * differentiable: inv, det, slogdet, solve, cholesky, eigh (values and vectors), svd and svdvals
 * (U, S and Vh), qr (reduced), and pinv and matrix_norm composed of those.
 */
public final class Linalg {
    private Linalg() {}

    /** (sign, logabsdet) of torch.linalg.slogdet. */
    public record SignLogAbsDet(Tensor sign, Tensor logabsdet) {}

    /** (Q, R) of torch.linalg.qr. */
    public record QR(Tensor Q, Tensor R) {}

    /** (U, S, Vh) of torch.linalg.svd. */
    public record SVD(Tensor U, Tensor S, Tensor Vh) {}

    /** (eigenvalues, eigenvectors) of torch.linalg.eigh. */
    public record Eigh(Tensor eigenvalues, Tensor eigenvectors) {}

    private static Tensor t(Tensor x) { return x.mT(); }

    /** g of a batch of scalars as [.., 1, 1] so it scales matrices. */
    private static Tensor asMatrix(Tensor g) { return g.unsqueeze(-1).unsqueeze(-1); }

    /** The inverse; its gradient is -A^-T g A^-T. */
    public static Tensor inv(Tensor a) {
        HostMatrices.requireSquare("linalg.inv", a);
        Tensor y = HostMatrices.inverse("linalg.inv", a);
        return Graph.record("LinalgInvExBackward0", y, a, new Tensor[] {y}, g -> t(y).matmul(g).matmul(t(y)).neg());
    }

    /** The determinant, from LU; its gradient is g det A^-T (A must then be invertible). */
    public static Tensor det(Tensor a) {
        HostMatrices.requireSquare("linalg.det", a);
        double[][] sl = HostMatrices.signLogAbsDet(a);
        double[] d = new double[sl[0].length];
        for (int i = 0; i < d.length; i++) d[i] = sl[0][i] * Math.exp(sl[1][i]);
        Tensor out = HostMatrices.tensor(d, HostMatrices.batchShape(a), a);
        return Graph.record("LinalgDetBackward0", out, a, new Tensor[] {out},
                g -> asMatrix(g.mul(out)).mul(t(inv(a))));
    }

    /** sign and log|det|; the gradient of logabsdet is g A^-T (sign has none). */
    public static SignLogAbsDet slogdet(Tensor a) {
        HostMatrices.requireSquare("linalg.slogdet", a);
        double[][] sl = HostMatrices.signLogAbsDet(a);
        int[] shape = HostMatrices.batchShape(a);
        Tensor sign = HostMatrices.tensor(sl[0], shape, a);
        Tensor logabs = HostMatrices.tensor(sl[1], shape, a);
        logabs = Graph.record("LinalgSlogdetBackward0", logabs, a, g -> asMatrix(g).mul(t(inv(a))));
        return new SignLogAbsDet(sign, logabs);
    }

    /**
     * X with A X = B; B is a vector (or batch of vectors) when it is 1-D or has A's shape minus the
     * last dim, as torch.linalg.solve. Batch dims broadcast. Gradients: gB = solve(A^T, g), gA = -gB X^T.
     */
    public static Tensor solve(Tensor a, Tensor b) {
        HostMatrices.requireSquare("linalg.solve", a);
        if (b.dtype() != a.dtype()) {
            throw new IllegalArgumentException("linalg.solve: Expected A and B to have the same dtype, but found A of type " + a.dtype()
                    + " and B of type " + b.dtype() + " instead");
        }
        boolean vector = b.dim() == 1 || (b.dim() == a.dim() - 1 && Arrays.equals(b.shape(), Arrays.copyOf(a.shape(), a.dim() - 1)));
        Tensor bm = vector ? b.unsqueeze(-1) : b;
        if (bm.dim() < 2 || bm.size(-2) != a.size(-1)) {
            throw new IllegalArgumentException("linalg.solve: Incompatible shapes of A and B for the equation AX = B (" + Shapes.str(a.shape())
                    + " and " + Shapes.str(b.shape()) + ")");
        }
        int[] batch = Shapes.broadcast("linalg.solve", Arrays.copyOf(a.shape(), a.dim() - 2), Arrays.copyOf(bm.shape(), bm.dim() - 2));
        Tensor ae = a.expand(concat(batch, a.size(-2), a.size(-1)));
        Tensor be = bm.expand(concat(batch, bm.size(-2), bm.size(-1)));
        Tensor x = HostMatrices.solve("linalg.solve", ae, be);
        Tensor xs = x;
        x = Graph.record("LinalgSolveExBackward0", x, new Tensor[] {ae, be}, new Tensor[] {x}, g -> {
            Tensor gb = solve(t(ae), g);
            return new Tensor[] {ae.requiresGrad() ? gb.matmul(t(xs)).neg() : null, gb};
        });
        return vector ? x.squeeze(-1) : x;
    }

    private static int[] concat(int[] a, int... b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * The lower Cholesky factor L (A = L L^T; only A's lower triangle is read). Gradient as PyTorch:
     * with phi = tril(L^T gL), its diagonal halved, and P = (phi + phi^T) / 2, gA = L^-T P L^-1.
     */
    public static Tensor cholesky(Tensor a) {
        HostMatrices.requireSquare("linalg.cholesky", a);
        Tensor l = HostMatrices.cholesky("linalg.cholesky", a);
        return Graph.record("LinalgCholeskyExBackward0", l, a, new Tensor[] {l}, g -> {
            Tensor phi = t(l).matmul(g).tril();
            phi = phi.sub(phi.diagonal(0, -2, -1).mul(0.5).diagEmbed());
            Tensor p = phi.add(t(phi)).mul(0.5);
            Tensor linv = inv(l);
            return t(linv).matmul(p).matmul(linv);
        });
    }

    /**
     * Eigenvalues (ascending) and orthonormal eigenvectors of symmetric matrices, from the lower
     * triangle. Gradient as PyTorch: gA = V (diag(gw) + skew(V^T gV) / (w_j - w_i)) V^T.
     */
    public static Eigh eigh(Tensor a) {
        HostMatrices.requireSquare("linalg.eigh", a);
        Tensor[] wv = HostMatrices.eigh("linalg.eigh", a);
        Tensor w = wv[0];
        Tensor v = wv[1];
        Tensor[] outs = MultiOutput.record("LinalgEighBackward0", new Tensor[] {w, v}, a.dim() - 2, a, gs -> {
            Tensor gw = gs[0];
            Tensor gv = gs[1];
            Tensor vtgv = t(v).matmul(gv);
            Tensor skew = vtgv.sub(t(vtgv)).mul(0.5);
            int n = w.size(-1);
            Tensor eye = Tensors.eye(n, n, w.dtype()).to(w.device());
            Tensor e = w.unsqueeze(-2).sub(w.unsqueeze(-1)).add(eye); // w_j - w_i; 1 on the diagonal avoids 0/0 there
            Tensor inner = skew.div(e).mul(eye.rsub(1.0)).add(gw.diagEmbed());
            return v.matmul(inner).matmul(t(v));
        });
        return new Eigh(outs[0], outs[1]);
    }

    /** Eigenvalues of symmetric matrices (ascending), differentiable. */
    public static Tensor eigvalsh(Tensor a) { return eigh(a).eigenvalues(); }

    /**
     * SVD (thin unless fullMatrices), singular values descending. Gradients flow through U, S and
     * Vh (PyTorch's formula, which needs distinct non-zero singular values where U or Vh get a
     * gradient); with fullMatrices, a gradient on the extra columns of U or rows of Vh, which are
     * not unique, is an UnsupportedOperationException.
     */
    public static SVD svd(Tensor a, boolean fullMatrices) {
        HostMatrices.requireMatrix("linalg.svd", a);
        Tensor[] usv = HostMatrices.svd("linalg.svd", a, fullMatrices);
        Tensor u = usv[0];
        Tensor s = usv[1];
        Tensor vh = usv[2];
        int k = s.size(-1);
        boolean full = fullMatrices && (u.size(-1) != k || vh.size(-2) != k);
        Tensor[] outs = MultiOutput.record("LinalgSvdBackward0", new Tensor[] {u, s, vh}, a.dim() - 2, a, gs -> {
            Tensor gu = gs[0];
            Tensor gvh = gs[2];
            if (full) {
                // the extra columns of a full U (rows of Vh) are not unique: only gradients that ignore them are defined
                if (nonZero(gu.narrow(-1, k, gu.size(-1) - k)) || nonZero(gvh.narrow(-2, k, gvh.size(-2) - k))) {
                    throw new UnsupportedOperationException("linalg.svd: the gradient through the extra columns of U or rows of Vh of "
                            + "full_matrices=True is not defined; use full_matrices=False");
                }
                gu = gu.narrow(-1, 0, k);
                gvh = gvh.narrow(-2, 0, k);
            }
            return svdBackward(u.narrow(-1, 0, k), s, vh.narrow(-2, 0, k), gu, gs[1], gvh);
        });
        return new SVD(outs[0], outs[1], outs[2]);
    }

    public static SVD svd(Tensor a) { return svd(a, true); }

    private static boolean nonZero(Tensor g) {
        for (double v : g.toDoubleArray()) if (v != 0.0) return true;
        return false;
    }

    /**
     * PyTorch's svd_backward for the thin SVD (real case): with skew(X) = X - X^T and
     * E_jk = s_k^2 - s_j^2, gA = U [(skew(U^T gU) s_row + s_col skew(V^T gV)) / E + diag(gS)] Vh,
     * plus the parts of gU and gV outside the spans of U and V when A is not square.
     */
    private static Tensor svdBackward(Tensor u, Tensor s, Tensor vh, Tensor gu, Tensor gs, Tensor gvh) {
        int k = s.size(-1);
        Tensor v = t(vh);
        Tensor gv = t(gvh);
        Tensor eye = Tensors.eye(k, k, s.dtype()).to(s.device());
        Tensor s2 = s.square();
        Tensor e = s2.unsqueeze(-2).sub(s2.unsqueeze(-1)).add(eye);
        Tensor utgu = t(u).matmul(gu);
        Tensor vtgv = t(v).matmul(gv);
        Tensor skewU = utgu.sub(t(utgu));
        Tensor skewV = vtgv.sub(t(vtgv));
        Tensor inner = skewU.mul(s.unsqueeze(-2)).add(s.unsqueeze(-1).mul(skewV)).div(e).mul(eye.rsub(1.0)).add(gs.diagEmbed());
        Tensor ga = u.matmul(inner).matmul(vh);
        int m = u.size(-2);
        int n = vh.size(-1);
        if (m > k) ga = ga.add(gu.sub(u.matmul(utgu)).div(s.unsqueeze(-2)).matmul(vh));
        if (n > k) ga = ga.add(u.matmul(t(gv.sub(v.matmul(vtgv)).div(s.unsqueeze(-2)))));
        return ga;
    }

    /** The singular values, descending; gradient U diag(g) Vh. */
    public static Tensor svdvals(Tensor a) { return svd(a, false).S(); }

    /**
     * Reduced ("reduced") or complete ("complete") QR from Householder reflections (LAPACK's signs).
     * Differentiable (as PyTorch) except complete mode of a tall matrix, whose Q is not unique.
     */
    public static QR qr(Tensor a, String mode) {
        HostMatrices.requireMatrix("linalg.qr", a);
        if (!mode.equals("reduced") && !mode.equals("complete")) {
            throw new IllegalArgumentException("linalg.qr: qr received unrecognized mode '" + mode + "' but expected one of 'reduced' (default) or 'complete'");
        }
        Tensor[] qr = HostMatrices.qr(a, mode.equals("complete"));
        boolean complete = mode.equals("complete") && a.size(-2) > a.size(-1);
        Tensor[] outs = MultiOutput.record("LinalgQrBackward0", qr, a.dim() - 2, a, gs -> {
            if (complete) throw new UnsupportedOperationException("linalg.qr: the gradient of mode='complete' with more rows than columns is not defined (Q is not unique)");
            return qrBackward(a, qr[0], qr[1], gs[0], gs[1]);
        });
        return new QR(outs[0], outs[1]);
    }

    /**
     * The QR gradient (real case). m >= n: gA = (gQ + Q copyltu(M)) R^-T with M = R gR^T - gQ^T Q and
     * copyltu(M) the symmetric matrix of M's lower triangle. m < n: A = [X | Y] with X square,
     * gY = Q gR_Y and gX from the square case with gQ + Y gR_Y^T.
     */
    private static Tensor qrBackward(Tensor a, Tensor q, Tensor r, Tensor gq, Tensor gr) {
        int m = a.size(-2);
        int n = a.size(-1);
        if (m >= n) return squareQrBackward(q, r, gq, gr);
        Tensor rx = r.narrow(-1, 0, m);
        Tensor gry = gr.narrow(-1, m, n - m);
        Tensor y = a.narrow(-1, m, n - m);
        Tensor gx = squareQrBackward(q, rx, gq.add(y.matmul(t(gry))), gr.narrow(-1, 0, m));
        return dev.kindling.tensor.Tensors.cat(java.util.List.of(gx, q.matmul(gry)), -1);
    }

    private static Tensor squareQrBackward(Tensor q, Tensor r, Tensor gq, Tensor gr) {
        Tensor mm = r.matmul(t(gr)).sub(t(gq).matmul(q));
        Tensor copyltu = mm.tril().add(t(mm.tril(-1)));
        return gq.add(q.matmul(copyltu)).matmul(t(inv(r)));
    }

    public static QR qr(Tensor a) { return qr(a, "reduced"); }

    /**
     * The Moore-Penrose pseudo-inverse. Of full rank (singular values above rtol * max with
     * rtol = eps * max(m, n), PyTorch's default) it is composed as (A^T A)^-1 A^T or A^T (A A^T)^-1,
     * so the gradient is that of inv and matmul; rank-deficient matrices go through the SVD, without
     * a gradient.
     */
    public static Tensor pinv(Tensor a) {
        HostMatrices.requireMatrix("linalg.pinv", a);
        int m = a.size(-2);
        int n = a.size(-1);
        if (m == 0 || n == 0) return Tensors.zeros(a.dtype(), a.device(), HostMatrices.withLast2(a, n, m));
        SVD d = svd(a.detach(), false);
        double eps = a.dtype() == dev.kindling.tensor.DType.FLOAT64 ? Math.ulp(1.0) : Math.ulp(1.0f);
        Tensor cutoff = d.S().amax(new int[] {-1}, true).mul(eps * Math.max(m, n));
        boolean fullRank = d.S().gt(cutoff).all().item() != 0;
        if (fullRank) return m >= n ? inv(t(a).matmul(a)).matmul(t(a)) : t(a).matmul(inv(a.matmul(t(a))));
        Tensor sInv = d.S().reciprocal().where(d.S().gt(cutoff), 0.0);
        Tensor out = t(d.Vh()).mul(sInv.unsqueeze(-2)).matmul(t(d.U()));
        return Graph.record("LinalgPinvBackward0", out, a, g -> {
            throw new UnsupportedOperationException("linalg.pinv: the gradient of a rank-deficient pseudo-inverse is not implemented");
        });
    }

    /** The Frobenius ("fro") or nuclear ("nuc") norm over the matrices in dims (dim0, dim1). */
    public static Tensor matrixNorm(Tensor a, String ord, int dim0, int dim1, boolean keepdim) {
        HostMatrices.requireMatrix("linalg.matrix_norm", a);
        return switch (ord) {
            case "fro" -> a.norm(2.0, new int[] {dim0, dim1}, keepdim);
            case "nuc" -> restore(svdvals(moved(a, dim0, dim1)).sum(new int[] {-1}, false), a, dim0, dim1, keepdim);
            default -> throw new IllegalArgumentException("linalg.matrix_norm: Order " + ord + " not supported.");
        };
    }

    public static Tensor matrixNorm(Tensor a) { return matrixNorm(a, "fro", -2, -1, false); }

    /**
     * The norm of numeric order: 2 / -2 (largest / smallest singular value), 1 / -1 (max / min
     * column abs sum), inf / -inf (max / min row abs sum).
     */
    public static Tensor matrixNorm(Tensor a, double ord, int dim0, int dim1, boolean keepdim) {
        HostMatrices.requireMatrix("linalg.matrix_norm", a);
        Tensor m = moved(a, dim0, dim1);
        Tensor r;
        if (Math.abs(ord) == 2) {
            Tensor s = svdvals(m);
            r = ord > 0 ? s.amax(new int[] {-1}, false) : s.amin(new int[] {-1}, false);
        } else if (Math.abs(ord) == 1 || Double.isInfinite(ord)) {
            Tensor sums = m.abs().sum(new int[] {Math.abs(ord) == 1 ? -2 : -1}, false);
            r = ord > 0 ? sums.amax(new int[] {-1}, false) : sums.amin(new int[] {-1}, false);
        } else {
            throw new IllegalArgumentException("linalg.matrix_norm: Order " + ord + " not supported.");
        }
        return restore(r, a, dim0, dim1, keepdim);
    }

    /** a with dims (dim0, dim1) moved last. */
    private static Tensor moved(Tensor a, int dim0, int dim1) {
        int d0 = Shapes.dim("linalg.matrix_norm", dim0, a.dim());
        int d1 = Shapes.dim("linalg.matrix_norm", dim1, a.dim());
        if (d0 == d1) throw new IllegalArgumentException("linalg.matrix_norm: dims must be different. Got (" + dim0 + ", " + dim1 + ")");
        int[] perm = new int[a.dim()];
        int k = 0;
        for (int i = 0; i < a.dim(); i++) if (i != d0 && i != d1) perm[k++] = i;
        perm[k++] = d0;
        perm[k] = d1;
        return a.permute(perm);
    }

    /** A reduction over the moved matrix dims, with keepdim putting size-1 dims back where they were. */
    private static Tensor restore(Tensor r, Tensor a, int dim0, int dim1, boolean keepdim) {
        if (!keepdim) return r;
        int d0 = Shapes.dim("linalg.matrix_norm", dim0, a.dim());
        int d1 = Shapes.dim("linalg.matrix_norm", dim1, a.dim());
        return r.unsqueeze(Math.min(d0, d1)).unsqueeze(Math.max(d0, d1));
    }

    /** torch.linalg.vector_norm: the ord-norm over dims (all when empty). */
    public static Tensor vectorNorm(Tensor x, double ord, int[] dims, boolean keepdim) { return Reductions.norm(x, ord, dims, keepdim); }

    /** torch.linalg.cross: along dim (default -1 in PyTorch). */
    public static Tensor cross(Tensor a, Tensor b, int dim) { return a.cross(b, dim); }

    /** torch.linalg.diagonal: the diagonal offset of the (dim1, dim2) planes, default the last two dims. */
    public static Tensor diagonal(Tensor a, int offset, int dim1, int dim2) { return a.diagonal(offset, dim1, dim2); }

    /** torch.linalg.matmul: an alias of matmul. */
    public static Tensor matmul(Tensor a, Tensor b) { return a.matmul(b); }

    /** torch.linalg.vecdot: sum(x * y) over dim, broadcasting (real tensors). */
    public static Tensor vecdot(Tensor x, Tensor y, int dim) { return x.mul(y).sum(new int[] {dim}, false); }

    /** A^n by repeated squaring; n = 0 gives the identity, negative n powers the inverse. */
    public static Tensor matrixPower(Tensor a, int n) {
        HostMatrices.requireSquare("linalg.matrix_power", a);
        int k = a.size(-1);
        if (n == 0) {
            // the identity, still in the graph (with a zero gradient) as PyTorch's
            Tensor eye = Tensors.eye(k, k, a.dtype()).to(a.device()).expand(a.shape()).clone();
            int[] shape = a.shape();
            return Graph.record("LinalgMatrixPowerBackward0", eye, a, g -> Tensors.zeros(g.dtype(), g.device(), shape));
        }
        Tensor base = n < 0 ? inv(a) : a;
        Tensor result = null;
        for (int e = Math.abs(n); e > 0; e >>= 1) {
            if ((e & 1) != 0) result = result == null ? base : result.matmul(base);
            if (e > 1) base = base.matmul(base);
        }
        return result;
    }

    /** The product of a chain of matrices (the first may be a vector, as may the last), left to right. */
    public static Tensor multiDot(java.util.List<Tensor> tensors) {
        if (tensors.size() < 2) throw new IllegalArgumentException("linalg.multi_dot: expected at least 2 tensors but got " + tensors.size());
        Tensor r = tensors.get(0);
        for (int i = 1; i < tensors.size(); i++) r = r.matmul(tensors.get(i));
        return r;
    }

    /**
     * The number of singular values above max(atol, rtol * largest), with PyTorch's defaults
     * atol = 0 and rtol = eps * max(m, n) when both are null; int64, no gradient.
     */
    public static Tensor matrixRank(Tensor a, Double atol, Double rtol) {
        HostMatrices.requireMatrix("linalg.matrix_rank", a);
        Tensor s = svdvals(a.detach());
        double eps = a.dtype() == dev.kindling.tensor.DType.FLOAT64 ? Math.ulp(1.0) : Math.ulp(1.0f);
        double r = rtol != null ? rtol : (atol != null && atol > 0 ? 0.0 : eps * Math.max(a.size(-2), a.size(-1)));
        double at = atol == null ? 0.0 : atol;
        Tensor tol = s.size(-1) == 0 ? Tensors.zeros(s.dtype(), s.device(), HostMatrices.batchShape(a, 1))
                : s.amax(new int[] {-1}, true).mul(r).clampMin(at);
        return s.gt(tol).sum(new int[] {-1}, false);
    }

    public static Tensor matrixRank(Tensor a) { return matrixRank(a, null, null); }

    /** The 2-norm condition number: largest over smallest singular value (differentiable). */
    public static Tensor cond(Tensor a) {
        Tensor s = svdvals(a);
        return s.amax(new int[] {-1}, false).div(s.amin(new int[] {-1}, false));
    }

    /**
     * X with A X = B (left) or X A = B for triangular A: only the upper (or lower) triangle of A is
     * read, and with unitriangular not its diagonal either, which is taken as ones.
     */
    public static Tensor solveTriangular(Tensor a, Tensor b, boolean upper, boolean left, boolean unitriangular) {
        HostMatrices.requireSquare("linalg.solve_triangular", a);
        if (b.dim() < 2) {
            throw new IllegalArgumentException("linalg.solve_triangular: The input tensor B must have at least 2 dimensions, but got shape " + Shapes.str(b.shape()));
        }
        Tensor tri = upper ? a.triu() : a.tril();
        if (unitriangular) {
            int n = a.size(-1);
            Tensor eye = Tensors.eye(n, n, a.dtype()).to(a.device());
            tri = tri.mul(eye.rsub(1.0)).add(eye);
        }
        return left ? solve(tri, b) : t(solve(t(tri), t(b)));
    }

    /** The inverse of a as a linear map from its last dims to its first ind dims (torch.linalg.tensorinv). */
    public static Tensor tensorinv(Tensor a, int ind) {
        if (ind <= 0 || ind > a.dim()) throw new IllegalArgumentException("linalg.tensorinv: Expected a strictly positive integer for 'ind' (at most the rank), but got " + ind);
        int[] out = Arrays.copyOf(a.shape(), ind);
        int[] in = Arrays.copyOfRange(a.shape(), ind, a.dim());
        int p = Shapes.numel(out);
        if (p != Shapes.numel(in)) {
            throw new IllegalArgumentException("linalg.tensorinv: Expected self to satisfy the requirement prod(self.shape[ind:]) == prod(self.shape[:ind]), but got "
                    + Shapes.numel(in) + " != " + p);
        }
        int[] shape = Arrays.copyOf(in, in.length + out.length);
        System.arraycopy(out, 0, shape, in.length, out.length);
        return inv(a.reshape(p, p)).reshape(shape);
    }

    /** x with tensordot(a, x, x.dim()) = b: a's leading dims are b's (torch.linalg.tensorsolve without dims). */
    public static Tensor tensorsolve(Tensor a, Tensor b) {
        int nb = b.dim();
        if (nb > a.dim() || !Arrays.equals(Arrays.copyOf(a.shape(), nb), b.shape())) {
            throw new IllegalArgumentException("linalg.tensorsolve: Expected self.shape to start with other.shape " + Shapes.str(b.shape())
                    + " but got " + Shapes.str(a.shape()));
        }
        int[] xShape = Arrays.copyOfRange(a.shape(), nb, a.dim());
        int rows = Shapes.numel(b.shape());
        return solve(a.reshape(rows, Shapes.numel(xShape)), b.reshape(rows)).reshape(xShape);
    }

    /** Columns x^0, x^1, ..., x^(n-1) of the last dim of x (torch.linalg.vander, increasing powers); n null: x's length. */
    public static Tensor vander(Tensor x, Integer n) {
        if (x.dim() == 0) throw new IllegalArgumentException("linalg.vander: x must have at least one dimension");
        int cols = n == null ? x.size(-1) : n;
        if (cols <= 1) {
            if (cols < 0) throw new IllegalArgumentException("linalg.vander: N must be non-negative but got " + cols);
            int[] shape = Arrays.copyOf(x.shape(), x.dim() + 1);
            shape[x.dim()] = cols;
            return Tensors.ones(x.dtype(), x.device(), shape).add(x.unsqueeze(-1).mul(0.0)).narrow(-1, 0, cols);
        }
        int[] expanded = Arrays.copyOf(x.shape(), x.dim() + 1);
        expanded[x.dim()] = cols - 1;
        Tensor powers = x.unsqueeze(-1).expand(expanded).cumprod(-1); // cumprod: exact gradient also at x = 0
        return Tensors.cat(java.util.List.of(Tensors.onesLike(x).unsqueeze(-1), powers), -1);
    }

    /** torch.linalg.norm without ord or dim: the 2-norm of the flattened tensor. */
    public static Tensor norm(Tensor x) { return x.norm(2.0, new int[0], false); }

    /** torch.linalg.norm with a numeric ord: a vector norm over one dim, a matrix norm over two. */
    public static Tensor norm(Tensor x, double ord, int[] dims, boolean keepdim) {
        int[] ds = dims != null ? dims : x.dim() <= 1 ? new int[] {-1} : x.dim() == 2 ? new int[] {-2, -1} : null;
        if (ds == null) throw new IllegalArgumentException("linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got " + x.dim() + "D.");
        if (ds.length == 1) return vectorNorm(x, ord, ds, keepdim);
        if (ds.length == 2) return matrixNorm(x, ord, ds[0], ds[1], keepdim);
        throw new IllegalArgumentException("linalg.norm: If dim is specified, it must be of length 1 or 2. Got " + Arrays.toString(ds));
    }

    /** torch.linalg.norm with ord "fro" or "nuc" over two dims (the last two when null). */
    public static Tensor norm(Tensor x, String ord, int[] dims, boolean keepdim) {
        int[] ds = dims != null ? dims : new int[] {-2, -1};
        if (ds.length != 2) throw new IllegalArgumentException("linalg.norm: ord '" + ord + "' needs 2 dims but got " + Arrays.toString(ds));
        return matrixNorm(x, ord, ds[0], ds[1], keepdim);
    }

    /**
     * The matrix exponential by scaling and squaring: a degree-18 Taylor sum of A / 2^s (||A / 2^s||_1
     * <= 1/2) squared s times. Composed of matmul, so differentiable to any order.
     */
    public static Tensor matrixExp(Tensor a) {
        HostMatrices.requireSquare("linalg.matrix_exp", a);
        int n = a.size(-1);
        Tensor eye = Tensors.eye(n, n, a.dtype()).to(a.device());
        if (a.numel() == 0) return a.add(0.0);
        double norm = a.detach().abs().sum(new int[] {-2}, false).amax().item();
        int squarings = norm <= 0.5 ? 0 : (int) Math.ceil(Math.log(norm / 0.5) / Math.log(2));
        Tensor x = a.div(Math.pow(2, squarings));
        Tensor term = eye.expand(a.shape());
        Tensor sum = term;
        for (int k = 1; k <= 18; k++) {
            term = term.matmul(x).div(k);
            sum = sum.add(term);
        }
        for (int i = 0; i < squarings; i++) sum = sum.matmul(sum);
        return sum;
    }

    /** (solution, residuals, rank, singular_values) of torch.linalg.lstsq with its CPU default driver gelsy. */
    public record Lstsq(Tensor solution, Tensor residuals, Tensor rank, Tensor singularValues) {}

    /**
     * Least squares for A of full rank, as torch.linalg.lstsq's default CPU driver (gelsy): the
     * solution is pinv(A) B (differentiable), rank is computed, and residuals and singular values
     * are empty, as gelsy leaves them.
     */
    public static Lstsq lstsq(Tensor a, Tensor b) {
        HostMatrices.requireMatrix("linalg.lstsq", a);
        if (b.dim() < 2 || b.size(-2) != a.size(-2)) {
            throw new IllegalArgumentException("linalg.lstsq: input.size(-2) should match other.size(-2), got shapes " + Shapes.str(a.shape())
                    + " and " + Shapes.str(b.shape()));
        }
        Tensor empty = Tensors.zeros(a.dtype(), a.device(), 0);
        return new Lstsq(pinv(a).matmul(b), empty, matrixRank(a), empty);
    }
}
