package dev.kindling.backend.cpu;

import dev.kindling.backend.StridedView;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Storage;

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

    static void matmul(StridedView a, StridedView b, StridedView out) {
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
        StridedView target = layout(m, n, out.strides()[1], out.strides()[2]) instanceof Layout l && !l.trans()
                ? out : contiguous(out);
        if (layout(m, k, a.strides()[1], a.strides()[2]) == null) a = contiguous(a);
        if (layout(k, n, b.strides()[1], b.strides()[2]) == null) b = contiguous(b);
        Layout la = layout(m, k, a.strides()[1], a.strides()[2]);
        Layout lb = layout(k, n, b.strides()[1], b.strides()[2]);
        Layout lc = layout(m, n, target.strides()[1], target.strides()[2]);
        StridedView fa = a;
        StridedView fb = b;
        StridedView fc = target;
        Parallel.Range products = (from, to) -> {
            for (int i = (int) from; i < to; i++) gemm(fa, la, fb, lb, fc, lc, i, 0, m, 0, n, k);
        };
        long work = (long) m * n * k;
        if (splitBatch(batch, work)) {
            // Many small independent products (a convolution's images): one run of them per Kindling
            // thread, each with a single-threaded BLAS, since BLAS's threads cost more to wake than
            // such a product takes (BLAS itself runs products below ~2.6e5 multiply-adds on one thread).
            Parallel.forRange(batch, 1, (from, to) -> OpenBlas.singleThreaded(() -> products.run(from, to)));
        } else if (work < TEAM_MIN_WORK || Parallel.threads() <= 1 || !OpenBlas.hasThreadLocalControl()) {
            OpenBlas.singleThreaded(() -> products.run(0, batch));
        } else if (work < BLAS_THREADS_MIN_WORK) {
            for (int i = 0; i < batch; i++) panels(fa, la, fb, lb, fc, lc, i, m, n, k);
        } else {
            products.run(0, batch);
        }
        if (target != out) CpuBackend.INSTANCE.copy(target, out);
    }

    /**
     * Products of at most this many multiply-adds are split across Kindling's threads rather than
     * handed to a multi-threaded BLAS one by one. Measured on the 2-core development machine: a
     * LeNet convolution's products (1e5 to 2.4e5 multiply-adds, 64 of them) run 1.2-1.6x faster
     * split; a 32x32x28x28 3x3 convolution's (1.4e7 each) 5-15% slower, since two independent
     * single-threaded products there gain less from the second core than BLAS's own threads, which
     * share their packed panels.
     */
    static final long SPLIT_MAX_WORK = 1L << 21;

    /**
     * True when a batch is split across Kindling's threads: more than one thread, BLAS can be made
     * single-threaded per calling thread, small products, and they divide evenly (or are many
     * enough that an uneven split hardly matters).
     */
    private static boolean splitBatch(int batch, long work) {
        int t = Parallel.threads();
        return t > 1 && work <= SPLIT_MAX_WORK && batch >= t && (batch % t == 0 || batch >= 4 * t)
                && OpenBlas.hasThreadLocalControl();
    }

    /**
     * Products below this many multiply-adds run on a single-threaded BLAS (unless split across
     * Kindling's threads as a batch): tens of microseconds of work, too little to hand off.
     * Measured on the 2-core development machine, [64x400]x[400x120] took 850 us with two BLAS
     * threads and 110 us with one. (OpenBLAS's own switch to one thread is at 2.6e5.)
     */
    static final long TEAM_MIN_WORK = 1L << 20;

    /**
     * Products from {@link #TEAM_MIN_WORK} up to this many multiply-adds are cut into column (or row)
     * panels that Kindling's threads claim one by one, each on a single-threaded BLAS; only larger
     * ones get BLAS's own threads. BLAS splits a product statically, one part per thread, and its
     * caller waits for every part: on a machine with more runnable threads than cores (the shared
     * development machine, a Spark executor running other tasks) a BLAS worker that the OS has not
     * scheduled stalls the call for a scheduler time slice or more. Panels claimed one by one let
     * the caller do the work of a late worker itself. Also, a BLAS worker keeps spinning on a core
     * for a while after each call, which Kindling's threads then fight over.
     */
    static final long BLAS_THREADS_MIN_WORK = 1L << 27;

    /** Panels of the output per thread: more lets the caller take over more of a late worker's share. */
    private static final int PANELS_PER_THREAD = 2;
    /** Panel widths are multiples of this many rows or columns, so BLAS's micro-kernels see whole tiles. */
    private static final int PANEL_ALIGN = 16;

    /**
     * Product i of the batch as panels run on Kindling's threads: column panels of the output when
     * it is at least as wide as it is tall, else row panels. Each output element is computed by
     * one single-threaded BLAS call over the whole of k, so the result does not depend on which
     * thread ran which panel.
     */
    private static void panels(StridedView a, Layout la, StridedView b, Layout lb, StridedView c, Layout lc, int i, int m, int n, int k) {
        boolean byColumns = n >= m;
        int length = byColumns ? n : m;
        long units = (length + PANEL_ALIGN - 1) / PANEL_ALIGN;
        long unitWork = (long) PANEL_ALIGN * (byColumns ? m : n) * k;
        long grain = Math.max(1, (TEAM_MIN_WORK / 2) / Math.max(1, unitWork));
        Parallel.forChunks(units, grain, PANELS_PER_THREAD, (from, to) -> OpenBlas.singleThreaded(() -> {
            int lo = (int) from * PANEL_ALIGN;
            int hi = (int) Math.min(length, to * PANEL_ALIGN);
            if (byColumns) gemm(a, la, b, lb, c, lc, i, 0, m, lo, hi, k);
            else gemm(a, la, b, lb, c, lc, i, lo, hi, 0, n, k);
        }));
    }

    /**
     * Rows [r0, r1) and columns [c0, c1) of product i of the batch: out[i] = a[i] @ b[i] through
     * BLAS, operands as they lie in memory.
     */
    private static void gemm(StridedView a, Layout la, StridedView b, Layout lb, StridedView c, Layout lc, int i, int r0, int r1, int c0, int c1,
                             int k) {
        int m = r1 - r0;
        int n = c1 - c0;
        long item = c.dtype().itemSize();
        // Row r of op(A) starts at r * lda, or at r in a transposed A; column c of op(B) at c, or c * ldb.
        long aOff = (a.storageOffset() + (long) i * a.strides()[0] + (long) r0 * (la.trans() ? 1 : la.ld())) * item;
        long bOff = (b.storageOffset() + (long) i * b.strides()[0] + (long) c0 * (lb.trans() ? lb.ld() : 1)) * item;
        long cOff = (c.storageOffset() + (long) i * c.strides()[0] + (long) r0 * lc.ld() + c0) * item;
        MemorySegment ma = a.storage().segment().asSlice(aOff);
        MemorySegment mb = b.storage().segment().asSlice(bOff);
        MemorySegment mc = c.storage().segment().asSlice(cOff);
        if (c.dtype() == DType.FLOAT32) {
            OpenBlas.sgemm(la.trans(), lb.trans(), m, n, k, 1f, ma, la.ld(), mb, lb.ld(), 0f, mc, lc.ld());
        } else {
            OpenBlas.dgemm(la.trans(), lb.trans(), m, n, k, 1.0, ma, la.ld(), mb, lb.ld(), 0.0, mc, lc.ld());
        }
    }

    private static StridedView contiguous(StridedView t) {
        OPERAND_COPIES.incrementAndGet();
        StridedView c = StridedView.of(Storage.allocate(t.dtype(), t.numel()), t.shape());
        CpuBackend.INSTANCE.copy(t, c);
        return c;
    }

    private static void javaMatmul(StridedView a, StridedView b, StridedView out) {
        StridedView target = out.storage().isArrayBacked() ? out : contiguous(out);
        int[] os = target.shape();
        int batch = os[0];
        int m = os[1];
        int n = os[2];
        int k = a.shape()[2];
        int[] as = a.strides();
        int[] bs = b.strides();
        int[] cs = target.strides();
        StridedView c = cs[2] == 1 ? target : contiguous(target);
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
