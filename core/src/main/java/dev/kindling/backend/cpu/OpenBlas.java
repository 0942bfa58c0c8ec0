package dev.kindling.backend.cpu;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.bytedeco.javacpp.Loader;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Map;

/**
 * OpenBLAS called through Foreign Function &amp; Memory downcalls: sgemm, dgemm and thread control.
 *
 * <p>The natives come from bytedeco's {@code openblas} platform jar for the running OS and CPU
 * ({@code linux-x86_64}, {@code linux-arm64}, {@code macosx-arm64}, ...; the build picks it, see the
 * root POM's {@code javacpp.platform}). JavaCPP's {@link Loader} extracts and loads them, with their
 * gfortran/quadmath siblings, into its cache, which copes with concurrent executors and read-only
 * homes; Kindling then binds the same file through FFM, since JavaCPP's JNI wrappers cannot pass Java
 * arrays in place. {@code -Dkindling.openblas.path=FILE} loads another build instead. Where neither
 * loads (an OS/CPU without a platform jar), matmul falls back to {@link JavaGemm} and one log line
 * says which GEMM is in use. The GEMM handles are {@code critical} downcalls, which may read Java
 * arrays in place (no copy), measured as fast as native memory.
 *
 * <p>Kindling never touches the {@code OPENBLAS_*} environment: the kernel OpenBLAS picks is the
 * one the user's settings select, and the log line names it.
 */
public final class OpenBlas {
    private static final Logger LOG = LoggerFactory.getLogger(OpenBlas.class);
    private static final String VERSION = "0.3.31-1.5.13";
    /**
     * JavaCPP's keys for libopenblas in {@link Loader#getLoadedLibraries()}: "openblas@.0" on Linux and
     * macOS (link name @ version), "libopenblas" on Windows.
     */
    private static final java.util.regex.Pattern LIBRARY_KEY = java.util.regex.Pattern.compile("(lib)?openblas(@.*)?");

    static final int ROW_MAJOR = 101;
    static final int NO_TRANS = 111;
    static final int TRANS = 112;

    private static final MethodHandle SGEMM;
    private static final MethodHandle DGEMM;
    private static final MethodHandle SET_THREADS;
    private static final String CORE;
    private static final String FAILURE;
    private static final Path LIBRARY;

    static {
        MethodHandle s = null, d = null, t = null;
        String core = null;
        String failure = null;
        Path lib = null;
        try {
            lib = locate();
            SymbolLookup lookup = SymbolLookup.libraryLookup(lib, Arena.global());
            Linker linker = Linker.nativeLinker();
            FunctionDescriptor sgemm = FunctionDescriptor.ofVoid(
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT);
            FunctionDescriptor dgemm = FunctionDescriptor.ofVoid(
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_DOUBLE, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_DOUBLE, ValueLayout.ADDRESS, ValueLayout.JAVA_INT);
            Linker.Option critical = Linker.Option.critical(true);
            s = linker.downcallHandle(lookup.find("cblas_sgemm").orElseThrow(), sgemm, critical);
            d = linker.downcallHandle(lookup.find("cblas_dgemm").orElseThrow(), dgemm, critical);
            t = linker.downcallHandle(lookup.find("openblas_set_num_threads").orElseThrow(),
                    FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
            MethodHandle corename = linker.downcallHandle(lookup.find("openblas_get_corename").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS));
            MemorySegment name = (MemorySegment) corename.invokeExact();
            core = name.reinterpret(256).getString(0);
        } catch (Throwable e) {
            s = null;
            d = null;
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        SGEMM = s;
        DGEMM = d;
        SET_THREADS = t;
        CORE = core;
        FAILURE = failure;
        LIBRARY = lib;
        if (SGEMM != null) {
            LOG.info("Kindling matmul: OpenBLAS {} via FFM, kernel {}, {} threads", VERSION, CORE, Parallel.threads());
        } else {
            LOG.warn("Kindling matmul: pure-Java fallback GEMM (OpenBLAS could not load: {})", FAILURE);
        }
    }

    private OpenBlas() {}

    /** True when the native library loaded; otherwise matmul uses {@link JavaGemm}. */
    public static boolean available() { return SGEMM != null; }

    /** The kernel OpenBLAS selected ({@code openblas_get_corename}), or null. */
    public static String coreName() { return CORE; }

    /** The libopenblas file Kindling loaded (benchmarks call it directly to compare), or null. */
    public static Path libraryPath() { return SGEMM != null ? LIBRARY : null; }

    /** Why loading failed, or null. */
    public static String failure() { return FAILURE; }

    /** One line describing the GEMM in use, as logged at start-up. */
    public static String describe() {
        return available() ? "OpenBLAS " + VERSION + " (kernel " + CORE + ")" : "pure-Java GEMM (" + FAILURE + ")";
    }

    /** The thread count of each BLAS call, set at the call (see {@link BlasThreadGate}). */
    private static final BlasThreadGate GATE = new BlasThreadGate(OpenBlas::setThreads);
    /** Nesting depth of {@link #singleThreaded} on this thread. */
    private static final ThreadLocal<int[]> SINGLE = ThreadLocal.withInitial(() -> new int[1]);

    private static void setThreads(int n) {
        try {
            SET_THREADS.invokeExact(n);
        } catch (Throwable e) {
            throw new IllegalStateException("openblas_set_num_threads failed", e);
        }
    }

    /** BLAS threads for a call from this thread: one inside {@link #singleThreaded}, else {@link Parallel#threads()}. */
    private static int callThreads() {
        return SINGLE.get()[0] > 0 ? 1 : Parallel.threads();
    }

    /** True when BLAS's thread count can be chosen per call (always, once the library loaded). */
    static boolean hasThreadLocalControl() { return SET_THREADS != null; }

    /**
     * Runs body with BLAS single-threaded for the calling thread's calls. For work that Kindling
     * already spreads over its own threads, each calling BLAS.
     */
    static void singleThreaded(Runnable body) {
        int[] depth = SINGLE.get();
        depth[0]++;
        try {
            body.run();
        } finally {
            depth[0]--;
        }
    }

    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, MemorySegment a, int lda,
                      MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        GATE.run(callThreads(), () -> {
            try {
                SGEMM.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k,
                        alpha, a, lda, b, ldb, beta, c, ldc);
            } catch (Throwable e) {
                throw new IllegalStateException("cblas_sgemm failed", e);
            }
        });
    }

    static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha, MemorySegment a, int lda,
                      MemorySegment b, int ldb, double beta, MemorySegment c, int ldc) {
        GATE.run(callThreads(), () -> {
            try {
                DGEMM.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k,
                        alpha, a, lda, b, ldb, beta, c, ldc);
            } catch (Throwable e) {
                throw new IllegalStateException("cblas_dgemm failed", e);
            }
        });
    }

    private static Path locate() throws IOException {
        String override = System.getProperty("kindling.openblas.path");
        if (override != null) return Path.of(override);
        String platform = Loader.getPlatform();
        try {
            Loader.load(org.bytedeco.openblas.global.openblas.class);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            throw new IOException("no OpenBLAS natives for platform " + platform
                    + " (add org.bytedeco:openblas:" + VERSION + ":" + platform + " to the classpath): " + e.getMessage(), e);
        }
        Map<String, String> loaded = Loader.getLoadedLibraries();
        String file = loaded.entrySet().stream().filter(e -> LIBRARY_KEY.matcher(e.getKey()).matches())
                .map(Map.Entry::getValue).findFirst().orElse(null);
        if (file == null) {
            throw new IOException("JavaCPP loaded OpenBLAS for " + platform + " but reported no " + LIBRARY_KEY
                    + " among " + loaded.keySet());
        }
        return Path.of(file);
    }
}
