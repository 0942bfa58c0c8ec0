package dev.kindling.backend;

import java.util.ServiceLoader;

/**
 * The LAPACK routines behind {@code dev.kindling.linalg.Linalg}, on one row-major float64 matrix
 * per call (the caller loops over batches and converts float32). Each returns LAPACK's
 * {@code info}: 0 on success, {@code > 0} for a numerical failure (singular, not positive
 * definite, no convergence), {@code < 0} for a bad argument. Found with {@link ServiceLoader} like
 * a backend, so the facade does not depend on the CPU package; the CPU implementation binds the
 * LAPACKE functions of the OpenBLAS Kindling already loads. Separate from {@link Backend} on
 * purpose: a device backend need not implement it, linear algebra of other devices runs here on
 * host copies.
 */
public interface Lapack {
    /** LU with partial pivoting of the m x n matrix a, in place; ipiv (min(m, n)) gets 1-based pivot rows. */
    int getrf(int m, int n, double[] a, int[] ipiv);

    /** The inverse of an n x n matrix from its getrf factors, in place. */
    int getri(int n, double[] a, int[] ipiv);

    /** Solves a x = b for n x nrhs b in place (a is overwritten by its LU factors). */
    int gesv(int n, int nrhs, double[] a, int[] ipiv, double[] b);

    /** The lower Cholesky factor of a symmetric positive-definite n x n matrix, in place (the upper part is left as is). */
    int potrf(int n, double[] a);

    /** QR of the m x n matrix a in place: R above the diagonal, Householder vectors below, scalars in tau (min(m, n)). */
    int geqrf(int m, int n, double[] a, double[] tau);

    /** The first n columns of Q (m x n) from k reflectors of geqrf, in place. */
    int orgqr(int m, int n, int k, double[] a, double[] tau);

    /**
     * SVD by divide and conquer: s (k = min(m, n)); thin (full = false): u m x k, vt k x n; full:
     * u m x m, vt n x n. a is destroyed.
     */
    int gesdd(boolean full, int m, int n, double[] a, double[] s, double[] u, double[] vt);

    /** Eigenvalues (ascending, into w) and eigenvectors (columns of a, in place) of a symmetric matrix from its lower triangle. */
    int syevd(int n, double[] a, double[] w);

    /** The first implementation on the class path. */
    static Lapack get() {
        return Holder.INSTANCE;
    }

    /** Loads once. */
    final class Holder {
        private Holder() {}

        static final Lapack INSTANCE = ServiceLoader.load(Lapack.class).findFirst().orElseThrow(() ->
                new IllegalStateException("no LAPACK implementation (dev.kindling.backend.Lapack) on the class path"));
    }
}
