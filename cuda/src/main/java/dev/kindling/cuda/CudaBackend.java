package dev.kindling.cuda;

import dev.kindling.backend.AdamStep;
import dev.kindling.backend.Backend;
import dev.kindling.backend.Backends;
import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.Conv2dGeometry;
import dev.kindling.backend.ReduceOp;
import dev.kindling.backend.SgdStep;
import dev.kindling.backend.StridedView;
import dev.kindling.backend.UnaryOp;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Storage;

import java.util.Arrays;

/**
 * The {@link Backend} of one CUDA device: every primitive launches a kernel of the shipped
 * fatbinary (src/main/cuda) on the calling thread's stream; matmul goes to the best
 * {@link GemmEngine} found. Host memory is only touched by {@link #copy} between devices. A
 * primitive or dtype without a GPU kernel fails with an {@link UnsupportedOperationException}
 * naming it: there is no silent CPU fallback, which would hide a device round trip per call.
 */
public final class CudaBackend implements Backend {
    static final int THREADS = 256;

    private final Device device;
    private final CudaDevice gpu;
    private final Copies copies;
    private final GemmEngine gemm;

    CudaBackend(Device device) {
        this.device = device;
        this.gpu = new CudaDevice(device.index());
        this.copies = new Copies(this, gpu);
        this.gemm = GemmEngine.select(this, gpu);
    }

    @Override
    public Device device() { return device; }

    /** The allocator's counters (torch.cuda.memory_stats). */
    public MemoryStats memoryStats() { return gpu.allocator().stats(); }

    /** Returns the cached blocks to the driver (torch.cuda.empty_cache). */
    public void emptyCache() { gpu.allocator().emptyCache(); }

    /** Waits for the calling thread's queued work (torch.cuda.synchronize). */
    public void synchronize() { gpu.synchronize(); }

    /** Milliseconds of device time work takes on the calling thread's stream (CUDA events). */
    public float time(Runnable work) { return gpu.time(work); }

    /** Which matmul implementation this device uses. */
    public String gemmEngine() { return gemm.description(); }

    @Override
    public Storage allocate(DType dtype, int numel) {
        CudaBuffer buffer = gpu.allocate((long) numel * dtype.itemSize());
        Storage s = Storage.onDevice(dtype, device, numel, buffer);
        if (numel > 0) fill(StridedView.of(s, numel), 0);
        return s;
    }

    /** Uninitialized contiguous device memory (for temporaries that are written at once). */
    StridedView empty(DType dtype, int[] shape) {
        int n = Math.toIntExact(Arrays.stream(shape).asLongStream().reduce(1, (x, y) -> x * y));
        return StridedView.of(Storage.onDevice(dtype, device, n, gpu.allocate((long) n * dtype.itemSize())), shape);
    }

    @Override
    public void copy(StridedView src, StridedView dst) { copies.copy(src, dst); }

    /** A device-to-device copy with cast, src and dst on this device. */
    void deviceCopy(StridedView src, StridedView dst) {
        if (src.sharesStorageWith(dst) && !src.sameLayoutAs(dst)) {
            StridedView tmp = empty(src.dtype(), src.shape());
            deviceCopy(src, tmp);
            src = tmp;
        }
        long n = dst.numel();
        if (n == 0) return;
        String kernel = "kd_copy_" + suffix(src.dtype()) + "_" + suffix(dst.dtype());
        Coalesced c = Coalesced.of(src, dst);
        gpu.launch(kernel, blocks(n), THREADS, new KernelArgs().data(src, c, 0).data(dst, c, 1)
                .i32(dst.dtype() == DType.BOOL ? 1 : 0).i64(n));
    }

    @Override
    public void fill(StridedView dst, double value) {
        long n = dst.numel();
        if (n == 0) return;
        gpu.launch("kd_fill_" + suffix(dst.dtype()), blocks(n), THREADS, new KernelArgs().data(dst, Coalesced.of(dst), 0).f64(value)
                .i32(dst.dtype() == DType.BOOL ? 1 : 0).i64(n));
    }

    @Override
    public void unary(UnaryOp op, StridedView x, StridedView out) {
        DType t = x.dtype();
        boolean integerKernel = op.kind().returnsBool() ? t != DType.FLOAT32 && t != DType.FLOAT64
                : (t == DType.INT32 || t == DType.INT64) && OpCodes.integerUnary(op.kind());
        if (!t.isFloatingPoint() && !integerKernel) throw unsupported("unary " + op.kind(), t);
        long n = out.numel();
        if (n == 0) return;
        int code = OpCodes.unary(op.kind());
        Coalesced c = Coalesced.of(x, out);
        if (op.kind().returnsBool()) {
            gpu.launch("kd_unary_pred_" + suffix(x.dtype()), blocks(n), THREADS,
                    new KernelArgs().i32(code).data(x, c, 0).data(out, c, 1).i64(n));
        } else {
            gpu.launch("kd_unary_" + suffix(x.dtype()), blocks(n), THREADS,
                    new KernelArgs().i32(code).data(x, c, 0).data(out, c, 1).f64(op.p()).f64(op.q()).i64(n));
        }
    }

    @Override
    public void binary(BinaryOp op, StridedView a, StridedView b, StridedView out) {
        long n = out.numel();
        int code = OpCodes.binary(op.kind());
        DType t = a.dtype();
        String kernel;
        if (op.kind().returnsBool()) {
            kernel = "kd_compare_" + suffix(t);
        } else if (t.isFloatingPoint()) {
            kernel = "kd_binary_" + suffix(t);
        } else if ((t == DType.INT32 || t == DType.INT64) && OpCodes.integerBinary(op.kind())) {
            kernel = "kd_binary_" + suffix(t);
        } else {
            throw unsupported("binary " + op.kind(), t);
        }
        if (n == 0) return;
        Coalesced c = Coalesced.of(a, b, out);
        KernelArgs args = new KernelArgs().i32(code).data(a, c, 0).data(b, c, 1).data(out, c, 2);
        if (!op.kind().returnsBool()) args.f64(op.p()).f64(op.q());
        gpu.launch(kernel, blocks(n), THREADS, args.i64(n));
    }

    @Override
    public void where(StridedView cond, StridedView a, StridedView b, StridedView out) {
        long n = out.numel();
        if (n == 0) return;
        Coalesced c = Coalesced.of(cond, a, b, out);
        gpu.launch("kd_where_" + word(out.dtype()), blocks(n), THREADS,
                new KernelArgs().data(cond, c, 0).data(a, c, 1).data(b, c, 2).data(out, c, 3).i64(n));
    }

    @Override
    public void reduce(ReduceOp op, StridedView x, int[] dims, StridedView out) {
        Reduction r = Reduction.of(x, dims, out);
        if (r.outputs() == 0) return;
        DType t = x.dtype();
        String kernel = switch (op) {
            case ANY, ALL -> "kd_reduce_bool_" + suffix(t);
            case ARGMAX, ARGMIN -> { requireFloat("reduce " + op, t); yield "kd_argreduce_" + suffix(t); }
            case SUM -> t.isFloatingPoint() ? "kd_reduce_" + suffix(t) : "kd_sum_int_" + suffix(t);
            case PROD, MAX, MIN -> { requireFloat("reduce " + op, t); yield "kd_reduce_" + suffix(t); }
        };
        KernelArgs args = new KernelArgs();
        if (!kernel.startsWith("kd_sum_int_")) args.i32(OpCodes.reduce(op));
        args.pointer(CudaBuffer.of(x).address()).struct(r.kept()).struct(r.reduced()).data(out).i64(r.reducedCount());
        gpu.launch(kernel, (int) r.outputs(), THREADS, args);
    }

    @Override
    public void cumsum(StridedView x, int dim, StridedView out) {
        requireFloat("cumsum", x.dtype());
        Lines xl = Lines.of(x, dim);
        Lines ol = Lines.of(out, dim);
        if (xl.count() == 0 || xl.length() == 0) return;
        gpu.launch("kd_cumsum_" + suffix(x.dtype()), blocks(xl.count()), THREADS, new KernelArgs()
                .pointer(CudaBuffer.of(x).address()).struct(xl.view()).i32(xl.stride())
                .pointer(CudaBuffer.of(out).address()).struct(ol.view()).i32(ol.stride())
                .i32(xl.length()).i64(xl.count()));
    }

    /** One thread per line with a merge sort in scratch memory: stable and exact, not fast for long lines. */
    @Override
    public void sortIndices(StridedView x, int dim, boolean descending, StridedView indices) {
        Lines xl = Lines.of(x, dim);
        Lines il = Lines.of(indices, dim);
        if (xl.count() == 0 || xl.length() == 0) return;
        StridedView scratch = empty(DType.INT64, new int[] {Math.toIntExact(2 * xl.count() * xl.length())});
        gpu.launch("kd_sort_indices_" + suffix(x.dtype()), blocks(xl.count()), THREADS, new KernelArgs()
                .pointer(CudaBuffer.of(x).address()).struct(xl.view()).i32(xl.stride())
                .pointer(CudaBuffer.of(indices).address()).struct(il.view()).i32(il.stride())
                .pointer(CudaBuffer.of(scratch).address()).i32(xl.length()).i64(xl.count()).i32(descending ? 1 : 0));
    }

    @Override
    public void matmul(StridedView a, StridedView b, StridedView out) {
        requireFloat("matmul", a.dtype());
        if (out.numel() == 0) return;
        if (a.shape()[2] == 0) { fill(out, 0); return; }
        gemm.multiply(a, b, out);
    }

    /** The fallback GEMM kernel, also used by {@link GemmEngine}s for layouts cuBLAS cannot take. */
    void kernelMatmul(StridedView a, StridedView b, StridedView out) {
        int[] as = a.strides(), bs = b.strides(), cs = out.strides();
        int batch = out.shape()[0], m = out.shape()[1], n = out.shape()[2], k = a.shape()[2];
        for (int b0 = 0; b0 < batch; b0 += 65535) {
            int nb = Math.min(65535, batch - b0);
            gpu.launch("kd_gemm_" + suffix(a.dtype()), (n + 63) / 64, (m + 63) / 64, nb, THREADS, new KernelArgs()
                    .pointer(elementAddress(a, b0 * as[0])).i32(as[0]).i32(as[1]).i32(as[2])
                    .pointer(elementAddress(b, b0 * bs[0])).i32(bs[0]).i32(bs[1]).i32(bs[2])
                    .pointer(elementAddress(out, b0 * cs[0])).i32(cs[0]).i32(cs[1]).i32(cs[2])
                    .i32(m).i32(n).i32(k));
        }
    }

    /** The device address of element (offset + extra) of v. */
    static long elementAddress(StridedView v, long extraElements) {
        return CudaBuffer.of(v).address() + (v.storageOffset() + extraElements) * v.dtype().itemSize();
    }

    @Override
    public void indexSelect(StridedView x, int dim, StridedView index, StridedView out) {
        long n = out.numel();
        if (n == 0) return;
        gpu.launch("kd_index_select_" + word(x.dtype()), blocks(n), THREADS, new KernelArgs()
                .data(x).i32(dim).data(index).data(out).i64(n));
    }

    @Override
    public void gather(StridedView x, int dim, StridedView index, StridedView out) {
        long n = out.numel();
        if (n == 0) return;
        gpu.launch("kd_gather_" + word(x.dtype()), blocks(n), THREADS, new KernelArgs()
                .data(x).i32(dim).data(index).data(out).i64(n));
    }

    @Override
    public void scatter(StridedView out, int dim, StridedView index, StridedView src, boolean accumulate) {
        if (index.numel() == 0) return;
        String kernel;
        if (accumulate) {
            requireAccumulable("scatter_add", out.dtype());
            kernel = "kd_scatter_add_" + suffix(out.dtype());
        } else {
            kernel = "kd_scatter_" + word(out.dtype());
        }
        int[] lineShape = index.shape();
        lineShape[dim] = 1;
        long lines = index.numel() / index.shape()[dim];
        gpu.launch(kernel, blocks(lines), THREADS, new KernelArgs().data(out).i32(dim).data(index).data(src)
                .view(lineShape, new int[lineShape.length], 0).i64(lines));
        out.bumpVersion();
    }

    @Override
    public void indexAdd(StridedView out, int dim, StridedView index, StridedView src) {
        requireAccumulable("index_add", out.dtype());
        if (src.numel() == 0) return;
        int[] lineShape = src.shape();
        lineShape[dim] = 1;
        long lines = src.numel() / src.shape()[dim];
        gpu.launch("kd_index_add_" + suffix(out.dtype()), blocks(lines), THREADS, new KernelArgs().data(out).i32(dim)
                .data(index).data(src).view(lineShape, new int[lineShape.length], 0).i64(lines));
        out.bumpVersion();
    }

    /** Counts on the device, reads the count back (the output's size depends on it), then writes the rows. */
    @Override
    public StridedView nonzero(StridedView x) {
        String kernel = "kd_nonzero_" + suffix(x.dtype());
        StridedView count = empty(DType.INT64, new int[] {1});
        gpu.launch(kernel, 1, THREADS, new KernelArgs().data(x).i64(x.numel()).pointer(CudaBuffer.of(count).address()).i32(1));
        StridedView host = StridedView.allocate(DType.INT64, 1);
        copy(count, host);
        int rows = Math.toIntExact(((long[]) host.storage().array())[0]);
        StridedView out = empty(DType.INT64, new int[] {rows, x.dim()});
        if (rows > 0 && x.dim() > 0) {
            gpu.launch(kernel, 1, THREADS, new KernelArgs().data(x).i64(x.numel()).pointer(CudaBuffer.of(out).address()).i32(0));
        }
        return out;
    }

    @Override
    public void random(RandomKind kind, StridedView out, Generator generator, double a, double b) {
        long n = out.numel();
        long start = generator.reserve(kind == RandomKind.NORMAL ? 2 * n : n);
        if (n == 0) return;
        int code = switch (kind) { case UNIFORM -> 0; case NORMAL -> 1; case RANDINT -> 2; case BERNOULLI -> 3; };
        gpu.launch("kd_random_" + suffix(out.dtype()), blocks(n), THREADS, new KernelArgs().i32(code)
                .i64(generator.seed()).i64(start).f64(a).f64(b).data(out, Coalesced.of(out), 0).i64(n));
    }

    @Override
    public void bernoulli(StridedView p, StridedView out, Generator generator) {
        requireFloat("bernoulli", p.dtype());
        long n = out.numel();
        long start = generator.reserve(n);
        if (n == 0) return;
        DType o = out.dtype();
        String outSuffix = o == p.dtype() ? suffix(o) : (o == DType.BOOL || o == DType.UINT8) ? "u8" : null;
        if (outSuffix == null) throw unsupported("bernoulli into " + o + " from", p.dtype());
        Coalesced c = Coalesced.of(p, out);
        gpu.launch("kd_bernoulli_" + suffix(p.dtype()) + "_" + outSuffix, blocks(n), THREADS, new KernelArgs()
                .i64(generator.seed()).i64(start).data(p, c, 0).data(out, c, 1).i64(n));
    }

    @Override
    public void softmax(StridedView x, int dim, boolean log, StridedView out) {
        requireFloat("softmax", x.dtype());
        Lines xl = Lines.of(x, dim);
        Lines ol = Lines.of(out, dim);
        if (xl.count() == 0 || xl.length() == 0) return;
        gpu.launch("kd_softmax_" + suffix(x.dtype()), (int) xl.count(), THREADS, new KernelArgs()
                .pointer(CudaBuffer.of(x).address()).struct(xl.view()).i32(xl.stride())
                .pointer(CudaBuffer.of(out).address()).struct(ol.view()).i32(ol.stride())
                .i32(xl.length()).i32(log ? 1 : 0));
    }

    @Override
    public void softmaxBackward(StridedView grad, StridedView y, int dim, boolean log, StridedView out) {
        requireFloat("softmaxBackward", y.dtype());
        Lines gl = Lines.of(grad, dim);
        Lines yl = Lines.of(y, dim);
        Lines ol = Lines.of(out, dim);
        if (gl.count() == 0 || gl.length() == 0) return;
        gpu.launch("kd_softmax_backward_" + suffix(y.dtype()), (int) gl.count(), THREADS, new KernelArgs()
                .pointer(CudaBuffer.of(grad).address()).struct(gl.view()).i32(gl.stride())
                .pointer(CudaBuffer.of(y).address()).struct(yl.view()).i32(yl.stride())
                .pointer(CudaBuffer.of(out).address()).struct(ol.view()).i32(ol.stride())
                .i32(gl.length()).i32(log ? 1 : 0));
    }

    @Override
    public void im2col(StridedView x, Conv2dGeometry g, StridedView cols) {
        requireFloat("im2col", x.dtype());
        long n = cols.numel();
        if (n == 0) return;
        gpu.launch("kd_im2col_" + suffix(x.dtype()), blocks(n), THREADS, new KernelArgs().data(x)
                .struct(geometry(g)).data(cols).i64(n));
    }

    @Override
    public void col2im(StridedView cols, Conv2dGeometry g, StridedView x) {
        requireFloat("col2im", x.dtype());
        long n = x.numel();
        if (n == 0) return;
        gpu.launch("kd_col2im_" + suffix(x.dtype()), blocks(n), THREADS, new KernelArgs().data(cols)
                .struct(geometry(g)).data(x).i64(n));
    }

    @Override
    public void maxPool2dIndices(StridedView x, Conv2dGeometry g, StridedView indices) {
        requireFloat("maxPool2dIndices", x.dtype());
        long n = indices.numel();
        if (n == 0) return;
        gpu.launch("kd_maxpool_indices_" + suffix(x.dtype()), blocks(n), THREADS, new KernelArgs().data(x)
                .struct(geometry(g)).data(indices).i64(n));
    }

    @Override
    public void adamStep(AdamStep s, StridedView param, StridedView grad, StridedView expAvg, StridedView expAvgSq,
                         StridedView maxExpAvgSq) {
        requireFloat("adamStep", param.dtype());
        long n = param.numel();
        if (n > 0) {
            byte[] args = KernelArgs.structBytes(1 - s.lr() * s.weightDecay(), s.weightDecay(), s.beta1(), 1 - s.beta1(),
                    s.beta2(), 1 - s.beta2(), s.biasCorrection2Sqrt(), s.eps(), -s.lr() / s.biasCorrection1(),
                    s.weightDecay() != 0 ? 1 : 0, s.decoupled() ? 1 : 0, s.maximize() ? 1 : 0, s.amsgrad() ? 1 : 0);
            StridedView max = maxExpAvgSq != null ? maxExpAvgSq : param;
            Coalesced c = Coalesced.of(param, grad, expAvg, expAvgSq, max);
            gpu.launch("kd_adam_" + suffix(param.dtype()), blocks(n), THREADS, new KernelArgs().struct(args)
                    .data(param, c, 0).data(grad, c, 1).data(expAvg, c, 2).data(expAvgSq, c, 3).data(max, c, 4).i64(n));
        }
        param.bumpVersion();
        expAvg.bumpVersion();
        expAvgSq.bumpVersion();
        if (maxExpAvgSq != null) maxExpAvgSq.bumpVersion();
    }

    @Override
    public void sgdStep(SgdStep s, StridedView param, StridedView grad, StridedView momentumBuffer, boolean firstStep) {
        requireFloat("sgdStep", param.dtype());
        long n = param.numel();
        if (n > 0) {
            byte[] args = KernelArgs.structBytes(s.weightDecay(), s.momentum(), 1 - s.dampening(), -s.lr(),
                    s.weightDecay() != 0 ? 1 : 0, s.maximize() ? 1 : 0, s.nesterov() ? 1 : 0,
                    momentumBuffer != null ? 1 : 0, firstStep ? 1 : 0);
            StridedView buf = momentumBuffer != null ? momentumBuffer : param;
            Coalesced c = Coalesced.of(param, grad, buf);
            gpu.launch("kd_sgd_" + suffix(param.dtype()), blocks(n), THREADS, new KernelArgs().struct(args)
                    .data(param, c, 0).data(grad, c, 1).data(buf, c, 2).i64(n));
        }
        param.bumpVersion();
        if (momentumBuffer != null) momentumBuffer.bumpVersion();
    }

    private static byte[] geometry(Conv2dGeometry g) {
        return KernelArgs.structBytes(g.channels(), g.height(), g.width(), g.kernelH(), g.kernelW(), g.strideH(),
                g.strideW(), g.padH(), g.padW(), g.dilationH(), g.dilationW(), g.outH(), g.outW());
    }

    static int blocks(long n) { return (int) Math.min((n + THREADS - 1) / THREADS, 1L << 20); }

    /** The kernel-name suffix of a dtype (bool and uint8 share the byte kernels). */
    static String suffix(DType t) {
        return switch (t) {
            case FLOAT32 -> "f32";
            case FLOAT64 -> "f64";
            case INT32 -> "i32";
            case INT64 -> "i64";
            case UINT8, BOOL -> "u8";
        };
    }

    /** The kernel-name suffix of the raw word kernels that move elements of t's size. */
    private static String word(DType t) { return "w" + (8 * t.itemSize()); }

    private static void requireFloat(String primitive, DType t) {
        if (!t.isFloatingPoint()) throw unsupported(primitive, t);
    }

    private static void requireAccumulable(String primitive, DType t) {
        if (!t.isFloatingPoint() && t != DType.INT64) throw unsupported(primitive, t);
    }

    private static UnsupportedOperationException unsupported(String primitive, DType t) {
        return new UnsupportedOperationException("CUDA backend: " + primitive + " has no GPU kernel for " + t);
    }

    /** The CPU backend, for the host side of copies. */
    static Backend cpu() { return Backends.of(Device.CPU); }
}
