package dev.kindling.backend.cpu;

import dev.kindling.backend.Lapack;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@link Lapack} through the LAPACKE functions (row-major C interface, 32-bit integers) of the
 * OpenBLAS that {@link OpenBlas} loads, as FFM downcalls. The handles are {@code critical}, so the
 * Java arrays are passed in place. Fails on first use, naming the reason, where OpenBLAS did not load.
 */
public final class OpenBlasLapack implements Lapack {
    private static final int ROW_MAJOR = 101;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfByte C = ValueLayout.JAVA_BYTE;
    private static final java.lang.foreign.AddressLayout P = ValueLayout.ADDRESS;

    private final MethodHandle getrf, getri, gesv, potrf, geqrf, orgqr, gesdd, syevd;

    public OpenBlasLapack() {
        if (OpenBlas.libraryPath() == null) {
            throw new IllegalStateException("LAPACK needs OpenBLAS, which did not load: " + OpenBlas.failure());
        }
        SymbolLookup lookup = SymbolLookup.libraryLookup(OpenBlas.libraryPath(), Arena.global());
        getrf = bind(lookup, "LAPACKE_dgetrf", I, I, I, P, I, P);
        getri = bind(lookup, "LAPACKE_dgetri", I, I, P, I, P);
        gesv = bind(lookup, "LAPACKE_dgesv", I, I, I, P, I, P, P, I);
        potrf = bind(lookup, "LAPACKE_dpotrf", I, C, I, P, I);
        geqrf = bind(lookup, "LAPACKE_dgeqrf", I, I, I, P, I, P);
        orgqr = bind(lookup, "LAPACKE_dorgqr", I, I, I, I, P, I, P);
        gesdd = bind(lookup, "LAPACKE_dgesdd", I, C, I, I, P, I, P, P, I, P, I);
        syevd = bind(lookup, "LAPACKE_dsyevd", I, C, C, I, P, I, P);
    }

    private static MethodHandle bind(SymbolLookup lookup, String name, java.lang.foreign.MemoryLayout... args) {
        MemorySegment fn = lookup.find(name).orElseThrow(() -> new IllegalStateException("OpenBLAS has no " + name));
        return Linker.nativeLinker().downcallHandle(fn, FunctionDescriptor.of(I, args), Linker.Option.critical(true));
    }

    private static MemorySegment seg(double[] a) { return MemorySegment.ofArray(a); }

    private static MemorySegment seg(int[] a) { return MemorySegment.ofArray(a); }

    private static int call(String name, ThrowingCall c) {
        try {
            return c.run();
        } catch (Throwable e) {
            throw new IllegalStateException(name + " failed", e);
        }
    }

    private interface ThrowingCall {
        int run() throws Throwable;
    }

    @Override
    public int getrf(int m, int n, double[] a, int[] ipiv) {
        return call("dgetrf", () -> (int) getrf.invokeExact(ROW_MAJOR, m, n, seg(a), Math.max(1, n), seg(ipiv)));
    }

    @Override
    public int getri(int n, double[] a, int[] ipiv) {
        return call("dgetri", () -> (int) getri.invokeExact(ROW_MAJOR, n, seg(a), Math.max(1, n), seg(ipiv)));
    }

    @Override
    public int gesv(int n, int nrhs, double[] a, int[] ipiv, double[] b) {
        return call("dgesv", () -> (int) gesv.invokeExact(ROW_MAJOR, n, nrhs, seg(a), Math.max(1, n), seg(ipiv), seg(b), Math.max(1, nrhs)));
    }

    @Override
    public int potrf(int n, double[] a) {
        return call("dpotrf", () -> (int) potrf.invokeExact(ROW_MAJOR, (byte) 'L', n, seg(a), Math.max(1, n)));
    }

    @Override
    public int geqrf(int m, int n, double[] a, double[] tau) {
        return call("dgeqrf", () -> (int) geqrf.invokeExact(ROW_MAJOR, m, n, seg(a), Math.max(1, n), seg(tau)));
    }

    @Override
    public int orgqr(int m, int n, int k, double[] a, double[] tau) {
        return call("dorgqr", () -> (int) orgqr.invokeExact(ROW_MAJOR, m, n, k, seg(a), Math.max(1, n), seg(tau)));
    }

    @Override
    public int gesdd(boolean full, int m, int n, double[] a, double[] s, double[] u, double[] vt) {
        int k = Math.min(m, n);
        return call("dgesdd", () -> (int) gesdd.invokeExact(ROW_MAJOR, (byte) (full ? 'A' : 'S'), m, n, seg(a), Math.max(1, n), seg(s),
                seg(u), Math.max(1, full ? m : k), seg(vt), Math.max(1, n)));
    }

    @Override
    public int syevd(int n, double[] a, double[] w) {
        return call("dsyevd", () -> (int) syevd.invokeExact(ROW_MAJOR, (byte) 'V', (byte) 'L', n, seg(a), Math.max(1, n), seg(w)));
    }
}
