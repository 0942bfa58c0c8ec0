package dev.kindling.linalg;

import dev.kindling.backend.Lapack;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.Arrays;

/**
 * The LAPACK side of {@link Linalg}: copies a batch of matrices to host float64 arrays, runs one
 * routine per matrix and wraps the results as tensors of the input's dtype and device (float32
 * is factored in float64 and rounded). No autograd here: {@link Linalg} records the gradients.
 */
final class HostMatrices {
    private HostMatrices() {}

    static Lapack lapack() { return Lapack.get(); }

    static void requireMatrix(String op, Tensor a) {
        if (a.dim() < 2) {
            throw new IllegalArgumentException(op + ": The input tensor A must have at least 2 dimensions, but got shape " + Shapes.str(a.shape()));
        }
        if (!a.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": Expected a floating point tensor as input. Got " + a.dtype());
        }
    }

    static void requireSquare(String op, Tensor a) {
        requireMatrix(op, a);
        if (a.size(-1) != a.size(-2)) {
            throw new IllegalArgumentException(op + ": A must be batches of square matrices, but they are " + a.size(-2) + " by " + a.size(-1) + " matrices");
        }
    }

    static int batch(Tensor a) {
        int[] s = a.shape();
        int b = 1;
        for (int i = 0; i < s.length - 2; i++) b *= s[i];
        return b;
    }

    static double[] host(Tensor a) {
        return a.detach().contiguous().toDoubleArray();
    }

    static Tensor tensor(double[] v, int[] shape, Tensor like) {
        return Tensors.fromArray(v).reshape(shape).to(like.dtype()).to(like.device());
    }

    static int[] withLast2(Tensor a, int r, int c) {
        int[] s = a.shape();
        s[s.length - 2] = r;
        s[s.length - 1] = c;
        return s;
    }

    static int[] batchShape(Tensor a, int... tail) {
        int[] s = Arrays.copyOf(a.shape(), a.dim() - 2 + tail.length);
        System.arraycopy(tail, 0, s, a.dim() - 2, tail.length);
        return s;
    }

    static double[] slice(double[] all, int b, int size) { return Arrays.copyOfRange(all, b * size, (b + 1) * size); }

    /** The inverse of each matrix; singular ones are an IllegalArgumentException naming the zero pivot. */
    static Tensor inverse(String op, Tensor a) {
        int n = a.size(-1);
        double[] all = host(a);
        int nb = batch(a);
        double[] out = new double[all.length];
        for (int b = 0; b < nb && n > 0; b++) {
            double[] m = slice(all, b, n * n);
            int[] ipiv = new int[n];
            int info = lapack().getrf(n, n, m, ipiv);
            if (info == 0) info = lapack().getri(n, m, ipiv);
            if (info > 0) {
                throw new IllegalArgumentException(op + ": " + (nb > 1 ? "(Batch element " + b + "): " : "") + "The diagonal element " + info
                        + " is zero, the inversion could not be completed because the input matrix is singular.");
            }
            System.arraycopy(m, 0, out, b * n * n, n * n);
        }
        return tensor(out, a.shape(), a);
    }

    /** Per matrix: sign and log|det| from LU (sign 0 and log -inf when singular). */
    static double[][] signLogAbsDet(Tensor a) {
        int n = a.size(-1);
        double[] all = host(a);
        int nb = batch(a);
        double[] sign = new double[nb];
        double[] logabs = new double[nb];
        for (int b = 0; b < nb; b++) {
            double[] m = slice(all, b, n * n);
            int[] ipiv = new int[n];
            if (n > 0) lapack().getrf(n, n, m, ipiv);
            double sg = 1;
            double la = 0;
            for (int i = 0; i < n; i++) {
                double d = m[i * n + i];
                if (ipiv[i] != i + 1) sg = -sg;
                if (d < 0) sg = -sg;
                la += Math.log(Math.abs(d));
                if (d == 0) sg = 0;
            }
            sign[b] = sg;
            logabs[b] = la;
        }
        return new double[][] {sign, logabs};
    }

    /** X with A X = B for equal batch shapes (A [.., n, n], B [.., n, k]). */
    static Tensor solve(String op, Tensor a, Tensor b) {
        int n = a.size(-1);
        int k = b.size(-1);
        double[] as = host(a);
        double[] bs = host(b);
        int nb = batch(a);
        for (int i = 0; i < nb && n > 0 && k > 0; i++) {
            double[] m = slice(as, i, n * n);
            double[] r = slice(bs, i, n * k);
            int info = lapack().gesv(n, k, m, new int[n], r);
            if (info > 0) {
                throw new IllegalArgumentException(op + ": " + (nb > 1 ? "(Batch element " + i + "): " : "") + "The solver failed because the input matrix is singular.");
            }
            System.arraycopy(r, 0, bs, i * n * k, n * k);
        }
        return tensor(bs, b.shape(), b);
    }

    /** The lower Cholesky factor (upper triangle zero). */
    static Tensor cholesky(String op, Tensor a) {
        int n = a.size(-1);
        double[] all = host(a);
        int nb = batch(a);
        for (int b = 0; b < nb && n > 0; b++) {
            double[] m = slice(all, b, n * n);
            int info = lapack().potrf(n, m);
            if (info > 0) {
                throw new IllegalArgumentException(op + ": " + (nb > 1 ? "(Batch element " + b + "): " : "") + "The factorization could not be completed because the input is not positive-definite (the leading minor of order "
                        + info + " is not positive-definite).");
            }
            for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) m[i * n + j] = 0;
            System.arraycopy(m, 0, all, b * n * n, n * n);
        }
        return tensor(all, a.shape(), a);
    }

    /** Reduced QR: {Q [.., m, k], R [.., k, n]}, k = min(m, n); complete: Q [.., m, m], R [.., m, n]. */
    static Tensor[] qr(Tensor a, boolean complete) {
        int m = a.size(-2);
        int n = a.size(-1);
        int k = Math.min(m, n);
        int qc = complete ? m : k;
        double[] all = host(a);
        int nb = batch(a);
        double[] qs = new double[nb * m * qc];
        double[] rs = new double[nb * qc * n];
        for (int b = 0; b < nb; b++) {
            double[] x = slice(all, b, m * n);
            double[] tau = new double[Math.max(1, k)];
            if (k > 0) lapack().geqrf(m, n, x, tau);
            for (int i = 0; i < qc; i++) for (int j = i; j < n; j++) if (i < m) rs[b * qc * n + i * n + j] = x[i * n + j];
            // orgqr needs the reflectors in an m x qc array
            double[] q = new double[m * qc];
            for (int i = 0; i < m; i++) for (int j = 0; j < Math.min(n, qc); j++) q[i * qc + j] = x[i * n + j];
            if (m > 0 && qc > 0) lapack().orgqr(m, qc, k, q, tau);
            System.arraycopy(q, 0, qs, b * m * qc, m * qc);
        }
        return new Tensor[] {tensor(qs, withLast2(a, m, qc), a), tensor(rs, withLast2(a, qc, n), a)};
    }

    /** {U, S, Vh}; thin unless full. */
    static Tensor[] svd(String op, Tensor a, boolean full) {
        int m = a.size(-2);
        int n = a.size(-1);
        int k = Math.min(m, n);
        int ur = full ? m : k;
        int vr = full ? n : k;
        double[] all = host(a);
        int nb = batch(a);
        double[] us = new double[nb * m * ur];
        double[] ss = new double[nb * k];
        double[] vs = new double[nb * vr * n];
        for (int b = 0; b < nb; b++) {
            double[] x = slice(all, b, m * n);
            double[] s = new double[k];
            double[] u = new double[m * ur];
            double[] vt = new double[vr * n];
            if (k > 0) {
                int info = lapack().gesdd(full, m, n, x, s, u, vt);
                if (info > 0) throw new IllegalArgumentException(op + ": The algorithm failed to converge because the input matrix is ill-conditioned or has too many repeated singular values");
            } else {
                for (int i = 0; i < Math.min(m, ur); i++) u[i * ur + i] = 1;
                for (int i = 0; i < Math.min(n, vr); i++) vt[i * n + i] = 1;
            }
            System.arraycopy(u, 0, us, b * m * ur, m * ur);
            System.arraycopy(s, 0, ss, b * k, k);
            System.arraycopy(vt, 0, vs, b * vr * n, vr * n);
        }
        return new Tensor[] {tensor(us, withLast2(a, m, ur), a), tensor(ss, batchShape(a, k), a), tensor(vs, withLast2(a, vr, n), a)};
    }

    /** {eigenvalues ascending [.., n], eigenvectors as columns [.., n, n]} from the lower triangle. */
    static Tensor[] eigh(String op, Tensor a) {
        int n = a.size(-1);
        double[] all = host(a);
        int nb = batch(a);
        double[] ws = new double[nb * n];
        for (int b = 0; b < nb && n > 0; b++) {
            double[] m = slice(all, b, n * n);
            double[] w = new double[n];
            int info = lapack().syevd(n, m, w);
            if (info > 0) throw new IllegalArgumentException(op + ": The algorithm failed to converge because the input matrix is ill-conditioned or has too many repeated eigenvalues");
            System.arraycopy(m, 0, all, b * n * n, n * n);
            System.arraycopy(w, 0, ws, b * n, n);
        }
        return new Tensor[] {tensor(ws, batchShape(a, n), a), tensor(all, a.shape(), a)};
    }

}
