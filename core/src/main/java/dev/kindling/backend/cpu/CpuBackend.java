package dev.kindling.backend.cpu;

import dev.kindling.backend.AdamStep;
import dev.kindling.backend.Backend;
import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.ReduceOp;
import dev.kindling.backend.UnaryOp;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Storage;
import dev.kindling.tensor.Tensor;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The CPU backend: routes each primitive to its kernel class after putting the operands in the
 * form kernels expect. Foreign-memory operands are staged into arrays ({@link ForeignMemory});
 * int32, uint8 and bool arithmetic runs in int64 and is converted back (these types are rare on the
 * hot path, and it keeps one integer loop per kernel); an input that aliases the output with a
 * different layout is copied first, so in-place ops never read what they already overwrote.
 */
public final class CpuBackend implements Backend {
    public static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {}

    @Override
    public Device device() { return Device.CPU; }

    @Override
    public Storage allocate(DType dtype, int numel) { return Storage.allocate(dtype, numel); }

    @Override
    public void copy(Tensor src, Tensor dst) {
        if (src.storage().isArrayBacked() && dst.storage().isArrayBacked()) {
            if (src.sharesStorageWith(dst) && !sameLayout(src, dst)) src = fresh(src, src.dtype());
            CopyKernels.copy(src, dst);
            return;
        }
        if (src.sharesStorageWith(dst) && !sameLayout(src, dst)) src = fresh(src, src.dtype());
        Tensor heapSrc = ForeignMemory.toHeap(src);
        if (dst.storage().isArrayBacked()) {
            CopyKernels.copy(heapSrc, dst);
            return;
        }
        Tensor tmp;
        if (heapSrc.dtype() == dst.dtype() && heapSrc.isContiguous() && Arrays.equals(heapSrc.shape(), dst.shape())
                && heapSrc.storageOffset() == 0 && heapSrc.numel() == heapSrc.storage().numel()) {
            tmp = heapSrc;
        } else {
            tmp = empty(dst.dtype(), dst.shape());
            CopyKernels.copy(heapSrc, tmp);
        }
        ForeignMemory.write(tmp, dst);
    }

    @Override
    public void fill(Tensor dst, double value) {
        writeTo(dst, dst.dtype(), t -> CopyKernels.fill(t, value));
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        DType compute = computeType(x.dtype());
        Tensor xh = heapAs(unalias(x, out), compute);
        DType result = op.kind().returnsBool() ? DType.BOOL : compute;
        writeTo(out, result, o -> ElementwiseKernels.unary(op, xh, o));
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        DType compute = computeType(DType.promote(a.dtype(), b.dtype()));
        Tensor ah = heapAs(unalias(a, out), compute);
        Tensor bh = heapAs(unalias(b, out), compute);
        DType result = op.kind().returnsBool() ? DType.BOOL : compute;
        writeTo(out, result, o -> ElementwiseKernels.binary(op, ah, bh, o));
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        Tensor ch = heapAs(unalias(cond, out), DType.BOOL);
        Tensor ah = heapAs(unalias(a, out), out.dtype());
        Tensor bh = heapAs(unalias(b, out), out.dtype());
        writeTo(out, out.dtype(), o -> ElementwiseKernels.where(ch, ah, bh, o));
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, int[] dims, Tensor out) {
        if (op == ReduceOp.ANY || op == ReduceOp.ALL) {
            Tensor nz = empty(DType.BOOL, x.shape());
            binary(BinaryOp.of(BinaryOp.Kind.NE), x, broadcastZero(x.dtype(), x.shape()), nz);
            reduce(op == ReduceOp.ANY ? ReduceOp.MAX : ReduceOp.MIN, nz, dims, out);
            return;
        }
        DType compute = computeType(x.dtype());
        Tensor xh = heapAs(x, compute);
        DType result = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN ? DType.INT64 : compute;
        writeTo(out, result, o -> ReduceKernels.reduce(op, xh, dims, o));
    }

    @Override
    public void cumsum(Tensor x, int dim, Tensor out) {
        DType compute = computeType(x.dtype());
        Tensor xh = heapAs(unalias(x, out), compute);
        writeTo(out, compute, o -> ReduceKernels.cumsum(xh, dim, o));
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        DType compute = computeType(out.dtype());
        Tensor ac = a.dtype() == compute ? a : heapAs(a, compute);
        Tensor bc = b.dtype() == compute ? b : heapAs(b, compute);
        if (out.dtype() == compute && !out.sharesStorageWith(ac) && !out.sharesStorageWith(bc)) {
            MatmulKernel.matmul(ac, bc, out);
        } else {
            Tensor tmp = empty(compute, out.shape());
            MatmulKernel.matmul(ac, bc, tmp);
            copy(tmp, out);
        }
    }

    @Override
    public void indexSelect(Tensor x, int dim, Tensor index, Tensor out) {
        if (!x.storage().isArrayBacked() && x.isContiguous() && dim == 0 && x.dim() > 0) {
            // Rows of foreign memory (an Arrow batch): copy just the selected rows, not the whole tensor.
            Tensor ih = heapAs(index, DType.INT64).contiguous();
            writeContiguous(out, x.dtype(), o -> ForeignMemory.selectRows(x, (long[]) ih.storage().array(),
                    ih.storageOffset(), ih.numel(), o));
            return;
        }
        Tensor xh = ForeignMemory.toHeap(x);
        Tensor ih = heapAs(index, DType.INT64);
        writeTo(out, out.dtype(), o -> IndexKernels.indexSelect(xh, dim, ih, o));
    }

    @Override
    public void gather(Tensor x, int dim, Tensor index, Tensor out) {
        Tensor xh = ForeignMemory.toHeap(x);
        Tensor ih = heapAs(index, DType.INT64);
        writeTo(out, out.dtype(), o -> IndexKernels.gather(xh, dim, ih, o));
    }

    @Override
    public void scatter(Tensor out, int dim, Tensor index, Tensor src, boolean accumulate) {
        Tensor sh = heapAs(unalias(src, out), out.dtype());
        Tensor ih = heapAs(index, DType.INT64);
        readModifyWrite(out, o -> IndexKernels.scatter(o, dim, ih, sh, accumulate));
    }

    @Override
    public void indexAdd(Tensor out, int dim, Tensor index, Tensor src) {
        Tensor sh = heapAs(unalias(src, out), out.dtype());
        Tensor ih = heapAs(index, DType.INT64);
        readModifyWrite(out, o -> IndexKernels.indexAdd(o, dim, ih, sh));
    }

    @Override
    public Tensor nonzero(Tensor x) {
        return IndexKernels.nonzero(ForeignMemory.toHeap(x));
    }

    @Override
    public void random(RandomKind kind, Tensor out, Generator generator, double a, double b) {
        RandomKernels.random(kind, out, generator, a, b);
    }

    @Override
    public void bernoulli(Tensor p, Tensor out, Generator generator) {
        RandomKernels.bernoulli(p, out, generator);
    }

    @Override
    public void softmax(Tensor x, int dim, boolean log, Tensor out) {
        Tensor xh = heapAs(unalias(x, out), out.dtype());
        writeTo(out, out.dtype(), o -> SoftmaxKernels.softmax(xh, dim, log, o));
    }

    @Override
    public void softmaxBackward(Tensor grad, Tensor y, int dim, boolean log, Tensor out) {
        Tensor gh = heapAs(unalias(grad, out), out.dtype());
        Tensor yh = heapAs(unalias(y, out), out.dtype());
        writeTo(out, out.dtype(), o -> SoftmaxKernels.backward(gh, yh, dim, log, o));
    }

    @Override
    public void im2col(Tensor x, dev.kindling.backend.Conv2dGeometry geometry, Tensor cols) {
        Tensor xh = contiguousHeap(x);
        writeContiguous(cols, xh.dtype(), c -> ConvKernels.im2col(xh, geometry, c));
    }

    @Override
    public void col2im(Tensor cols, dev.kindling.backend.Conv2dGeometry geometry, Tensor x) {
        Tensor ch = contiguousHeap(cols);
        if (x.storage().isArrayBacked() && x.isContiguous()) {
            ConvKernels.col2im(ch, geometry, x);
        } else {
            Tensor tmp = fresh(x, x.dtype());
            ConvKernels.col2im(ch, geometry, tmp);
            copy(tmp, x);
        }
    }

    @Override
    public void maxPool2dIndices(Tensor x, dev.kindling.backend.Conv2dGeometry geometry, Tensor indices) {
        Tensor xh = contiguousHeap(x);
        writeContiguous(indices, DType.INT64, i -> ConvKernels.maxPool2d(xh, geometry, null, i));
    }

    @Override
    public void maxPool2d(Tensor x, dev.kindling.backend.Conv2dGeometry geometry, Tensor values, Tensor indices) {
        Tensor xh = contiguousHeap(x);
        if (!isContiguousHeap(values, xh.dtype()) || !isContiguousHeap(indices, DType.INT64)) {
            Backend.super.maxPool2d(x, geometry, values, indices);
            return;
        }
        ConvKernels.maxPool2d(xh, geometry, values, indices);
    }

    @Override
    public void maxPool2dBackward(Tensor grad, Tensor indices, dev.kindling.backend.Conv2dGeometry geometry, Tensor gradInput) {
        if (!isContiguousHeap(gradInput, grad.dtype()) || !isContiguousHeap(indices, DType.INT64)) {
            Backend.super.maxPool2dBackward(grad, indices, geometry, gradInput);
            return;
        }
        ConvKernels.maxPool2dBackward(contiguousHeap(grad), indices, geometry, gradInput);
    }

    @Override
    public void adamStep(AdamStep s, Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq) {
        if (!fusable(param, grad, expAvg, expAvgSq, maxExpAvgSq)) {
            Backend.super.adamStep(s, param, grad, expAvg, expAvgSq, maxExpAvgSq);
            return;
        }
        OptimizerKernels.adam(s, (float[]) param.storage().array(), (float[]) grad.storage().array(),
                (float[]) expAvg.storage().array(), (float[]) expAvgSq.storage().array(),
                maxExpAvgSq == null ? null : (float[]) maxExpAvgSq.storage().array(), param.storageOffset(), param.numel());
        param.bumpVersion();
        expAvg.bumpVersion();
        expAvgSq.bumpVersion();
        if (maxExpAvgSq != null) maxExpAvgSq.bumpVersion();
    }

    /**
     * True when a fused elementwise kernel can run over these tensors as flat arrays: all float32,
     * array-backed, contiguous, of one shape and at one storage offset (nulls are skipped), and no
     * two of them in the same storage (the fused kernels read each operand once per element).
     */
    private static boolean fusable(Tensor first, Tensor... rest) {
        if (!isContiguousHeap(first, DType.FLOAT32)) return false;
        for (int i = 0; i < rest.length; i++) {
            Tensor t = rest[i];
            if (t == null) continue;
            if (!isContiguousHeap(t, DType.FLOAT32) || t.storageOffset() != first.storageOffset()
                    || !Arrays.equals(t.shape(), first.shape()) || t.sharesStorageWith(first)) {
                return false;
            }
            for (int j = 0; j < i; j++) if (rest[j] != null && t.sharesStorageWith(rest[j])) return false;
        }
        return true;
    }

    // ------------------------------------------------------------------ staging helpers

    /** True when t is contiguous, array-backed and of dtype. */
    private static boolean isContiguousHeap(Tensor t, DType dtype) {
        return t.storage().isArrayBacked() && t.isContiguous() && t.dtype() == dtype;
    }

    /** x as a contiguous array-backed tensor (x itself when it already is one). */
    static Tensor contiguousHeap(Tensor x) {
        return x.storage().isArrayBacked() && x.isContiguous() ? x : fresh(x, x.dtype());
    }

    /** float32, float64 and int64 have kernels; the narrower integer types compute in int64. */
    static DType computeType(DType t) {
        return t.isFloatingPoint() || t == DType.INT64 ? t : DType.INT64;
    }

    /** x as an array-backed tensor of dtype t (x itself when it already is one). */
    static Tensor heapAs(Tensor x, DType t) {
        if (x.storage().isArrayBacked() && x.dtype() == t) return x;
        return fresh(x, t);
    }

    /** A new contiguous array-backed copy of x converted to t. */
    static Tensor fresh(Tensor x, DType t) {
        Tensor c = empty(t, x.shape());
        INSTANCE.copy(x, c);
        return c;
    }

    static Tensor empty(DType t, int[] shape) {
        return Tensor.of(Storage.allocate(t, dev.kindling.tensor.Shapes.numel(shape)), shape);
    }

    /** A zero of dtype t broadcast (stride 0) to shape. */
    private static Tensor broadcastZero(DType t, int[] shape) {
        return empty(t, new int[0]).viewOf(shape, new int[shape.length], 0);
    }

    /** x, or a copy of it when it shares out's storage with a different layout. */
    private static Tensor unalias(Tensor x, Tensor out) {
        return x.sharesStorageWith(out) && !sameLayout(x, out) ? fresh(x, x.dtype()) : x;
    }

    private static boolean sameLayout(Tensor a, Tensor b) {
        return a.storageOffset() == b.storageOffset() && Arrays.equals(a.strides(), b.strides())
                && Arrays.equals(a.shape(), b.shape());
    }

    /** Runs a kernel that writes every element of out, through a temporary when out is foreign or of another dtype. */
    private void writeTo(Tensor out, DType kernelType, Consumer<Tensor> kernel) {
        if (out.storage().isArrayBacked() && out.dtype() == kernelType) {
            kernel.accept(out);
            return;
        }
        Tensor tmp = empty(kernelType, out.shape());
        kernel.accept(tmp);
        copy(tmp, out);
    }

    /** Like writeTo, for kernels that need a contiguous output. */
    private void writeContiguous(Tensor out, DType kernelType, Consumer<Tensor> kernel) {
        if (out.storage().isArrayBacked() && out.dtype() == kernelType && out.isContiguous()) {
            kernel.accept(out);
            return;
        }
        Tensor tmp = empty(kernelType, out.shape());
        kernel.accept(tmp);
        copy(tmp, out);
    }

    /** Runs a kernel that updates out in place, through a temporary holding out's values when needed. */
    private void readModifyWrite(Tensor out, Consumer<Tensor> kernel) {
        if (out.storage().isArrayBacked()) {
            kernel.accept(out);
            return;
        }
        Tensor tmp = fresh(out, out.dtype());
        kernel.accept(tmp);
        copy(tmp, out);
    }
}
