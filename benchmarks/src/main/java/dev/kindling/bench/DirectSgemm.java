package dev.kindling.bench;

import dev.kindling.backend.cpu.OpenBlas;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * The OpenBLAS peer: {@code cblas_sgemm} called through our own FFM downcall into the very
 * {@code libopenblas.so.0} Kindling loaded ({@link OpenBlas#libraryPath()}), so both use the same
 * kernel, the same thread count and the same {@code OPENBLAS_*} settings. The handle is a
 * {@code critical} downcall, which lets OpenBLAS read the Java arrays in place: the floor Kindling's
 * matmul (tensor bookkeeping, output allocation, then this same call) is measured against.
 */
@SuppressWarnings("restricted") // native calls are the point; run-core.sh passes --enable-native-access
final class DirectSgemm {
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    private final MethodHandle sgemm;
    private final MethodHandle numThreads;
    private final MethodHandle config;
    private final Path library;

    DirectSgemm() {
        library = OpenBlas.libraryPath();
        if (library == null) {
            throw new IllegalStateException("Kindling did not load OpenBLAS (" + OpenBlas.failure()
                    + "), so there is no library to call directly");
        }
        // dlopen of a path already loaded returns the same handle: this is Kindling's library instance.
        SymbolLookup lookup = SymbolLookup.libraryLookup(library, Arena.global());
        Linker linker = Linker.nativeLinker();
        FunctionDescriptor d = FunctionDescriptor.ofVoid(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT);
        sgemm = linker.downcallHandle(lookup.find("cblas_sgemm").orElseThrow(), d, Linker.Option.critical(true));
        numThreads = linker.downcallHandle(lookup.find("openblas_get_num_threads").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT));
        config = linker.downcallHandle(lookup.find("openblas_get_config").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS));
    }

    Path library() { return library; }

    /** C[m,n] = A[m,k] * op(B) with row-major heap arrays; op(B) is B[n,k] transposed when transB. */
    void sgemm(float[] a, float[] b, boolean transB, float[] c, int m, int n, int k) {
        try {
            sgemm.invokeExact(ROW_MAJOR, NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k,
                    1f, MemorySegment.ofArray(a), k, MemorySegment.ofArray(b), transB ? k : n,
                    0f, MemorySegment.ofArray(c), n);
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_sgemm failed", e);
        }
    }

    /** OpenBLAS's thread count as seen from the calling thread. */
    int threads() {
        try {
            return (int) numThreads.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("openblas_get_num_threads failed", e);
        }
    }

    /** {@code openblas_get_config}: version, build options and the kernel in use. */
    String config() {
        try {
            return ((MemorySegment) config.invokeExact()).reinterpret(512).getString(0).trim();
        } catch (Throwable e) {
            throw new IllegalStateException("openblas_get_config failed", e);
        }
    }
}
