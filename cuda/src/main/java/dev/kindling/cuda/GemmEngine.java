package dev.kindling.cuda;

import dev.kindling.backend.StridedView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * Who multiplies matrices on a device, chosen once per device in this order: cuBLAS through JCublas
 * (which needs {@code libcublas.so.12}), else the installed cuBLAS ({@code libcublas.so.13}) through
 * FFM downcalls, else Kindling's own tiled GEMM kernel. One log line says which and why the better
 * ones were not taken. The system property {@code kindling.cuda.gemm} ({@code jcublas}, {@code ffm},
 * {@code kernel}) forces one, for comparisons. cuBLAS runs with CUBLAS_DEFAULT_MATH: no TF32, as
 * PyTorch's default for float32 matmul.
 */
abstract class GemmEngine {
    private static final Logger LOG = LoggerFactory.getLogger(GemmEngine.class);

    protected final CudaBackend backend;

    GemmEngine(CudaBackend backend) { this.backend = backend; }

    abstract String description();

    /** out = a x b for a [B, M, K], b [B, K, N], out [B, M, N], K > 0, float dtypes. */
    final void multiply(StridedView a, StridedView b, StridedView out) {
        if (!usesBlas()) {
            backend.kernelMatmul(a, b, out);
            return;
        }
        BlasLayout plan = BlasLayout.plan(a, b, out);
        if (plan != null) {
            blas(plan, a, b, out);
            return;
        }
        // Some operand has no unit stride: multiply contiguous copies, then copy the result.
        StridedView ca = contiguous(a);
        StridedView cb = contiguous(b);
        StridedView cc = out.isContiguous() ? out : backend.empty(out.dtype(), out.shape());
        blas(BlasLayout.plan(ca, cb, cc), ca, cb, cc);
        if (cc != out) backend.deviceCopy(cc, out);
    }

    private StridedView contiguous(StridedView v) {
        if (v.isContiguous()) return v;
        StridedView c = backend.empty(v.dtype(), v.shape());
        backend.deviceCopy(v, c);
        return c;
    }

    boolean usesBlas() { return true; }

    abstract void blas(BlasLayout plan, StridedView a, StridedView b, StridedView out);

    static GemmEngine select(CudaBackend backend, CudaDevice gpu) {
        String forced = System.getProperty("kindling.cuda.gemm", "").toLowerCase(Locale.ROOT);
        StringBuilder why = new StringBuilder();
        GemmEngine engine = null;
        if (forced.isEmpty() || forced.equals("jcublas")) {
            try {
                engine = new JCublasGemm(backend, gpu);
            } catch (Throwable e) {
                why.append("JCublas unavailable (").append(e).append("); ");
            }
        }
        if (engine == null && (forced.isEmpty() || forced.equals("ffm"))) {
            try {
                engine = new FfmCublasGemm(backend, gpu);
            } catch (Throwable e) {
                why.append("cuBLAS through FFM unavailable (").append(e).append("); ");
            }
        }
        if (engine == null) engine = new KernelGemm(backend);
        LOG.info("cuda:{} matmul: {}{}", gpu.index(), engine.description(), why.isEmpty() ? "" : " (" + why.toString().trim() + ")");
        return engine;
    }

    /** Kindling's own kd_gemm kernel. */
    static final class KernelGemm extends GemmEngine {
        KernelGemm(CudaBackend backend) { super(backend); }

        @Override
        String description() { return "Kindling's tiled GEMM kernel"; }

        @Override
        boolean usesBlas() { return false; }

        @Override
        void blas(BlasLayout plan, StridedView a, StridedView b, StridedView out) { throw new AssertionError(); }
    }
}
