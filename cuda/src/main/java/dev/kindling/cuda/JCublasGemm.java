package dev.kindling.cuda;

import dev.kindling.backend.StridedView;
import dev.kindling.tensor.DType;
import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasMath;
import jcuda.jcublas.cublasOperation;
import jcuda.jcublas.cublasStatus;
import jcuda.runtime.cudaStream_t;

/**
 * cuBLAS through JCublas 12.6 (its natives link {@code libcublas.so.12}): one handle per device,
 * set to the calling thread's stream before each call, default math mode (no TF32).
 */
final class JCublasGemm extends GemmEngine {
    private final CudaDevice gpu;
    private final cublasHandle handle = new cublasHandle();

    JCublasGemm(CudaBackend backend, CudaDevice gpu) {
        super(backend);
        this.gpu = gpu;
        gpu.makeCurrent();
        check(JCublas2.cublasCreate(handle), "cublasCreate");
        check(JCublas2.cublasSetMathMode(handle, cublasMath.CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
    }

    @Override
    String description() { return "cuBLAS 12 through JCublas (TF32 off)"; }

    @Override
    synchronized void blas(BlasLayout p, StridedView a, StridedView b, StridedView out) {
        gpu.makeCurrent();
        check(JCublas2.cublasSetStream(handle, new cudaStream_t(gpu.stream())), "cublasSetStream");
        int opB = p.transB() ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        int opA = p.transA() ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        Pointer pa = DevicePointers.at(CudaBackend.elementAddress(a, 0));
        Pointer pb = DevicePointers.at(CudaBackend.elementAddress(b, 0));
        Pointer pc = DevicePointers.at(CudaBackend.elementAddress(out, 0));
        int rc;
        if (a.dtype() == DType.FLOAT32) {
            rc = JCublas2.cublasSgemmStridedBatched(handle, opB, opA, p.m(), p.n(), p.k(), Pointer.to(new float[] {1f}),
                    pb, p.ldb(), p.strideB(), pa, p.lda(), p.strideA(), Pointer.to(new float[] {0f}), pc, p.ldc(),
                    p.strideC(), p.batch());
        } else {
            rc = JCublas2.cublasDgemmStridedBatched(handle, opB, opA, p.m(), p.n(), p.k(), Pointer.to(new double[] {1}),
                    pb, p.ldb(), p.strideB(), pa, p.lda(), p.strideA(), Pointer.to(new double[] {0}), pc, p.ldc(),
                    p.strideC(), p.batch());
        }
        check(rc, "cublas" + (a.dtype() == DType.FLOAT32 ? "S" : "D") + "gemmStridedBatched");
    }

    private static void check(int status, String call) {
        if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new CudaException(call + " failed: " + cublasStatus.stringFor(status));
        }
    }
}
