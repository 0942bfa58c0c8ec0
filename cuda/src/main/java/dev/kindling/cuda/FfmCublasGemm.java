package dev.kindling.cuda;

import dev.kindling.backend.StridedView;
import dev.kindling.tensor.DType;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * cuBLAS called directly through FFM downcalls, for machines whose cuBLAS is newer than JCublas's
 * ({@code libcublas.so.13} with CUDA 13): cublasCreate_v2, cublasSetStream_v2, cublasSetMathMode
 * and cublas[SD]gemmStridedBatched, whose C signatures have been stable since CUDA 8.
 */
final class FfmCublasGemm extends GemmEngine {
    static final String LIBRARY = "libcublas.so.13";
    /** Where to look, in order: -Dkindling.cuda.cublas=/path/libcublas.so.13, the loader's path, the toolkit. */
    private static final String[] CANDIDATES = {System.getProperty("kindling.cuda.cublas", ""), LIBRARY,
            "/usr/local/cuda/lib64/" + LIBRARY, "/usr/local/cuda/targets/x86_64-linux/lib/" + LIBRARY};
    private static final int CUBLAS_DEFAULT_MATH = 0;

    private final CudaDevice gpu;
    private final MemorySegment handle;
    private final MethodHandle setStream;
    private final MethodHandle sgemm;
    private final MethodHandle dgemm;

    FfmCublasGemm(CudaBackend backend, CudaDevice gpu) throws Throwable {
        super(backend);
        this.gpu = gpu;
        SymbolLookup lib = load();
        Linker linker = Linker.nativeLinker();
        MethodHandle create = linker.downcallHandle(lib.findOrThrow("cublasCreate_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle mathMode = linker.downcallHandle(lib.findOrThrow("cublasSetMathMode"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        setStream = linker.downcallHandle(lib.findOrThrow("cublasSetStream_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        FunctionDescriptor gemm = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT);
        sgemm = linker.downcallHandle(lib.findOrThrow("cublasSgemmStridedBatched"), gemm);
        dgemm = linker.downcallHandle(lib.findOrThrow("cublasDgemmStridedBatched"), gemm);
        gpu.makeCurrent();
        MemorySegment out = Arena.global().allocate(ADDRESS);
        check((int) create.invokeExact(out), "cublasCreate_v2");
        handle = out.get(ADDRESS, 0);
        check((int) mathMode.invokeExact(handle, CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
    }

    private static SymbolLookup load() {
        IllegalArgumentException last = null;
        for (String candidate : CANDIDATES) {
            if (candidate.isEmpty()) continue;
            try {
                return SymbolLookup.libraryLookup(candidate, Arena.global());
            } catch (IllegalArgumentException e) {
                last = e;
            }
        }
        throw new IllegalArgumentException(LIBRARY + " not found (tried " + String.join(", ", CANDIDATES).replaceFirst("^, ", "")
                + "; set -Dkindling.cuda.cublas=/path/to/" + LIBRARY + ")", last);
    }

    @Override
    String description() { return "cuBLAS (" + LIBRARY + ") through FFM (TF32 off)"; }

    @Override
    synchronized void blas(BlasLayout p, StridedView a, StridedView b, StridedView out) {
        gpu.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            check((int) setStream.invokeExact(handle, MemorySegment.ofAddress(gpu.streamAddress())), "cublasSetStream_v2");
            boolean f32 = a.dtype() == DType.FLOAT32;
            MemorySegment alpha = f32 ? arena.allocateFrom(ValueLayout.JAVA_FLOAT, 1f) : arena.allocateFrom(ValueLayout.JAVA_DOUBLE, 1);
            MemorySegment beta = f32 ? arena.allocateFrom(ValueLayout.JAVA_FLOAT, 0f) : arena.allocateFrom(ValueLayout.JAVA_DOUBLE, 0);
            MemorySegment pa = MemorySegment.ofAddress(CudaBackend.elementAddress(a, 0));
            MemorySegment pb = MemorySegment.ofAddress(CudaBackend.elementAddress(b, 0));
            MemorySegment pc = MemorySegment.ofAddress(CudaBackend.elementAddress(out, 0));
            MethodHandle gemm = f32 ? sgemm : dgemm;
            int rc = (int) gemm.invokeExact(handle, p.transB() ? 1 : 0, p.transA() ? 1 : 0, p.m(), p.n(), p.k(), alpha,
                    pb, p.ldb(), p.strideB(), pa, p.lda(), p.strideA(), beta, pc, p.ldc(), p.strideC(), p.batch());
            check(rc, f32 ? "cublasSgemmStridedBatched" : "cublasDgemmStridedBatched");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaException("cuBLAS call through FFM failed: " + t);
        }
    }

    private static void check(int status, String call) {
        if (status != 0) throw new CudaException(call + " failed with cublasStatus_t " + status);
    }
}
