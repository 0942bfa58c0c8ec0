package dev.kindling.backend.cpu;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * OpenBLAS called through Foreign Function &amp; Memory downcalls: sgemm, dgemm and thread control.
 *
 * <p>The natives come from bytedeco's {@code openblas} jar on the classpath. They are extracted once
 * per version into {@code java.io.tmpdir/kindling-openblas-VERSION} (written to a temp name and
 * renamed, so concurrent executors never see half a file) and loaded from there; the library's
 * {@code RUNPATH=$ORIGIN} finds its gfortran/quadmath siblings. {@code -Dkindling.openblas.path=FILE}
 * loads another build instead. The GEMM handles are {@code critical} downcalls, which may read Java
 * arrays in place (no copy), measured as fast as native memory.
 *
 * <p>Kindling never touches the {@code OPENBLAS_*} environment: the kernel OpenBLAS picks is the
 * one the user's settings select, and the log line names it.
 */
public final class OpenBlas {
    private static final Logger LOG = LoggerFactory.getLogger(OpenBlas.class);
    private static final String VERSION = "0.3.31-1.5.13";
    private static final String RESOURCE_DIR = "org/bytedeco/openblas/linux-x86_64/";
    private static final String[] FILES = {"libgcc_s.so.1", "libquadmath.so.0", "libgfortran.so.5", "libopenblas.so.0"};

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
        if (OpenBlas.class.getClassLoader().getResource(RESOURCE_DIR + "libopenblas.so.0") == null) {
            throw new IOException("no " + RESOURCE_DIR + "libopenblas.so.0 on the classpath "
                    + "(add org.bytedeco:openblas:" + VERSION + ":linux-x86_64)");
        }
        Path dir = Path.of(System.getProperty("java.io.tmpdir"),
                "kindling-openblas-" + VERSION + "-" + System.getProperty("user.name", "user"));
        Files.createDirectories(dir);
        for (String f : FILES) {
            Path target = dir.resolve(f);
            try (InputStream in = OpenBlas.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + f)) {
                if (in == null) continue;
                byte[] bytes = in.readAllBytes();
                if (Files.exists(target) && Files.size(target) == bytes.length) continue;
                Path tmp = Files.createTempFile(dir, f, ".part");
                Files.write(tmp, bytes);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return dir.resolve("libopenblas.so.0");
    }
}
