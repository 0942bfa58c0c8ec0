package dev.kindling.backend.cpu;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Storage;
import dev.kindling.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * Batched matrix product on the CPU: each [M, K] x [K, N] matrix goes to OpenBLAS (float32/float64)
 * as it lies in memory. A matrix whose rows are contiguous goes as is; one whose columns are
 * contiguous (a transposed view) goes with the transpose flag, never copied; only matrices with
 * neither layout (broadcast, negative or doubly strided) are copied first.
 */
final class MatmulKernel {
    /** Operands copied because BLAS could not take their layout (tests check transposes are not). */
    static final java.util.concurrent.atomic.AtomicLong OPERAND_COPIES = new java.util.concurrent.atomic.AtomicLong();

    private MatmulKernel() {}

    /** How one operand is handed to BLAS: transposed or not, and its leading dimension. */
    private record Layout(boolean trans, int ld) {}

    /** rows x cols matrix with strides (rs, cs); null when BLAS cannot take it as is. */
    private static Layout layout(int rows, int cols, int rs, int cs) {
        if ((cs == 1 || cols == 1) && (rows == 1 || rs >= Math.max(1, cols))) {
            return new Layout(false, rows == 1 ? Math.max(1, cols) : rs);
        }
        if ((rs == 1 || rows == 1) && (cols == 1 || cs >= Math.max(1, rows))) {
            return new Layout(true, cols == 1 ? Math.max(1, rows) : cs);
        }
        return null;
    }

    static void matmul(Tensor a, Tensor b, Tensor out) {
        int[] os = out.shape();
        int batch = os[0];
        int m = os[1];
        int n = os[2];
        int k = a.shape()[2];
        if (batch == 0 || m == 0 || n == 0) return;
        if (k == 0) {
            CpuBackend.INSTANCE.fill(out, 0.0);
            return;
        }
        DType dt = out.dtype();
        boolean blas = OpenBlas.available() && (dt == DType.FLOAT32 || dt == DType.FLOAT64);
        if (!blas) {
            javaMatmul(ForeignMemory.toHeap(a), ForeignMemory.toHeap(b), out);
            return;
        }
        Tensor target = layout(m, n, out.strides()[1], out.strides()[2]) instanceof Layout l && !l.trans()
                ? out : contiguous(out);
        if (layout(m, k, a.strides()[1], a.strides()[2]) == null) a = contiguous(a);
        if (layout(k, n, b.strides()[1], b.strides()[2]) == null) b = contiguous(b);
        Layout la = layout(m, k, a.strides()[1], a.strides()[2]);
        Layout lb = layout(k, n, b.strides()[1], b.strides()[2]);
        Layout lc = layout(m, n, target.strides()[1], target.strides()[2]);
        long item = dt.itemSize();
        MemorySegment sa = a.storage().segment();
        MemorySegment sb = b.storage().segment();
        MemorySegment sc = target.storage().segment();
        for (int i = 0; i < batch; i++) {
            long aOff = (a.storageOffset() + (long) i * a.strides()[0]) * item;
            long bOff = (b.storageOffset() + (long) i * b.strides()[0]) * item;
            long cOff = (target.storageOffset() + (long) i * target.strides()[0]) * item;
            MemorySegment ma = sa.asSlice(aOff);
            MemorySegment mb = sb.asSlice(bOff);
            MemorySegment mc = sc.asSlice(cOff);
            if (dt == DType.FLOAT32) {
                OpenBlas.sgemm(la.trans(), lb.trans(), m, n, k, 1f, ma, la.ld(), mb, lb.ld(), 0f, mc, lc.ld());
            } else {
                OpenBlas.dgemm(la.trans(), lb.trans(), m, n, k, 1.0, ma, la.ld(), mb, lb.ld(), 0.0, mc, lc.ld());
            }
        }
        if (target != out) CpuBackend.INSTANCE.copy(target, out);
    }

    private static Tensor contiguous(Tensor t) {
        OPERAND_COPIES.incrementAndGet();
        Tensor c = Tensor.of(Storage.allocate(t.dtype(), t.numel()), t.shape());
        CpuBackend.INSTANCE.copy(t, c);
        return c;
    }

    private static void javaMatmul(Tensor a, Tensor b, Tensor out) {
        Tensor target = out.storage().isArrayBacked() ? out : contiguous(out);
        int[] os = target.shape();
        int batch = os[0];
        int m = os[1];
        int n = os[2];
        int k = a.shape()[2];
        int[] as = a.strides();
        int[] bs = b.strides();
        int[] cs = target.strides();
        Tensor c = cs[2] == 1 ? target : contiguous(target);
        int[] ccs = c.strides();
        for (int i = 0; i < batch; i++) {
            int ao = a.storageOffset() + i * as[0];
            int bo = b.storageOffset() + i * bs[0];
            int co = c.storageOffset() + i * ccs[0];
            switch (a.storage().array()) {
                case float[] x -> JavaGemm.gemm(x, ao, as[1], as[2], (float[]) b.storage().array(), bo, bs[1], bs[2],
                        (float[]) c.storage().array(), co, ccs[1], m, n, k);
                case double[] x -> JavaGemm.gemm(x, ao, as[1], as[2], (double[]) b.storage().array(), bo, bs[1], bs[2],
                        (double[]) c.storage().array(), co, ccs[1], m, n, k);
                case long[] x -> JavaGemm.gemm(x, ao, as[1], as[2], (long[]) b.storage().array(), bo, bs[1], bs[2],
                        (long[]) c.storage().array(), co, ccs[1], m, n, k);
                default -> throw new IllegalStateException("matmul: unsupported array " + a.storage().array().getClass());
            }
        }
        if (c != target) CpuBackend.INSTANCE.copy(c, target);
        if (target != out) CpuBackend.INSTANCE.copy(target, out);
    }
}
