package dev.kindling.backend.cpu;

import dev.kindling.backend.AdamStep;
import dev.kindling.backend.Backend;
import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.ComposedSteps;
import dev.kindling.backend.ReduceOp;
import dev.kindling.backend.SgdStep;
import dev.kindling.backend.StridedView;
import dev.kindling.backend.UnaryOp;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Storage;

import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The CPU backend: routes each primitive to its kernel class after putting the operands in the
 * form kernels expect. Foreign-memory operands are staged into arrays ({@link ForeignMemory});
 * int32, uint8 and bool arithmetic runs in int64 and is converted back (these types are rare on the
 * hot path, and it keeps one integer loop per kernel); an input that aliases the output with a
 * different layout is copied first, so in-place ops never read what they already overwrote.
 * The optimizer steps run their fused float32 kernels ({@link OptimizerKernels}) when every
 * operand is a contiguous float32 array at one offset, else the op-by-op definition
 * ({@link ComposedSteps}) on these same primitives.
 */
public final class CpuBackend implements Backend {
    public static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {}

    @Override
    public Device device() { return Device.CPU; }

    @Override
    public Storage allocate(DType dtype, int numel) { return Storage.allocate(dtype, numel); }

    @Override
    public Storage allocateUninitialized(DType dtype, int numel) { return Storage.allocateUninitialized(dtype, numel); }

    @Override
    public void copy(StridedView src, StridedView dst) {
        try {
            copyReachable(src, dst);
        } finally {
            keepAlive(src, dst, null);
        }
    }

    private void copyReachable(StridedView src, StridedView dst) {
        if (src.storage().isArrayBacked() && dst.storage().isArrayBacked()) {
            if (src.sharesStorageWith(dst) && !src.sameLayoutAs(dst)) src = fresh(src, src.dtype());
            CopyKernels.copy(src, dst);
            return;
        }
        if (src.sharesStorageWith(dst) && !src.sameLayoutAs(dst)) src = fresh(src, src.dtype());
        StridedView heapSrc = ForeignMemory.toHeap(src);
        if (dst.storage().isArrayBacked()) {
            CopyKernels.copy(heapSrc, dst);
            return;
        }
        StridedView tmp;
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
    public void fill(StridedView dst, double value) {
        writeTo(dst, dst.dtype(), t -> CopyKernels.fill(t, value));
        keepAlive(dst, null, null);
    }

    @Override
    public void unary(UnaryOp op, StridedView x, StridedView out) {
        DType compute = computeType(x.dtype());
        StridedView xh = heapAs(unalias(x, out), compute);
        DType result = op.kind().returnsBool() ? DType.BOOL : compute;
        writeTo(out, result, o -> ElementwiseKernels.unary(op, xh, o));
        keepAlive(x, out, null);
    }

    @Override
    public void binary(BinaryOp op, StridedView a, StridedView b, StridedView out) {
        DType compute = computeType(DType.promote(a.dtype(), b.dtype()));
        StridedView ah = heapAs(unalias(a, out), compute);
        StridedView bh = heapAs(unalias(b, out), compute);
        DType result = op.kind().returnsBool() ? DType.BOOL : compute;
        writeTo(out, result, o -> ElementwiseKernels.binary(op, ah, bh, o));
        keepAlive(a, b, out);
    }

    @Override
    public void where(StridedView cond, StridedView a, StridedView b, StridedView out) {
        StridedView ch = heapAs(unalias(cond, out), DType.BOOL);
        StridedView ah = heapAs(unalias(a, out), out.dtype());
        StridedView bh = heapAs(unalias(b, out), out.dtype());
        writeTo(out, out.dtype(), o -> ElementwiseKernels.where(ch, ah, bh, o));
        keepAlive(cond, a, b);
        keepAlive(out, null, null);
    }

    @Override
    public void reduce(ReduceOp op, StridedView x, int[] dims, StridedView out) {
        if (op == ReduceOp.ANY || op == ReduceOp.ALL) {
            StridedView nz = empty(DType.BOOL, x.shape());
            binary(BinaryOp.of(BinaryOp.Kind.NE), x, broadcastZero(x.dtype(), x.shape()), nz);
            reduce(op == ReduceOp.ANY ? ReduceOp.MAX : ReduceOp.MIN, nz, dims, out);
            return;
        }
        DType compute = computeType(x.dtype());
        StridedView xh = heapAs(x, compute);
        DType result = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN ? DType.INT64 : compute;
        writeTo(out, result, o -> ReduceKernels.reduce(op, xh, dims, o));
        keepAlive(x, out, null);
    }

    @Override
    public void cumsum(StridedView x, int dim, StridedView out) {
        DType compute = computeType(x.dtype());
        StridedView xh = heapAs(unalias(x, out), compute);
        writeTo(out, compute, o -> ReduceKernels.cumsum(xh, dim, o));
        keepAlive(x, out, null);
    }

    @Override
    public void sortIndices(StridedView x, int dim, boolean descending, StridedView indices) {
        StridedView xh = heapAs(x, x.dtype().isFloatingPoint() || x.dtype() == DType.BOOL ? DType.FLOAT64 : DType.INT64);
        writeTo(indices, DType.INT64, o -> SortKernels.sortIndices(xh, dim, descending, o));
    }

    @Override
    public void matmul(StridedView a, StridedView b, StridedView out) {
        try {
            matmulReachable(a, b, out);
        } finally {
            keepAlive(a, b, out);
        }
    }

    private void matmulReachable(StridedView a, StridedView b, StridedView out) {
        DType compute = computeType(out.dtype());
        StridedView ac = a.dtype() == compute ? a : heapAs(a, compute);
        StridedView bc = b.dtype() == compute ? b : heapAs(b, compute);
        if (out.dtype() == compute && !out.sharesStorageWith(ac) && !out.sharesStorageWith(bc)) {
            MatmulKernel.matmul(ac, bc, out);
        } else {
            StridedView tmp = empty(compute, out.shape());
            MatmulKernel.matmul(ac, bc, tmp);
            copy(tmp, out);
        }
    }

    @Override
    public void indexSelect(StridedView x, int dim, StridedView index, StridedView out) {
        if (!x.storage().isArrayBacked() && x.isContiguous() && dim == 0 && x.dim() > 0) {
            // Rows of foreign memory (an Arrow batch): copy just the selected rows, not the whole tensor.
            StridedView ih = contiguousHeap(heapAs(index, DType.INT64));
            writeContiguous(out, x.dtype(), o -> ForeignMemory.selectRows(x, (long[]) ih.storage().array(),
                    ih.storageOffset(), ih.numel(), o));
            return;
        }
        StridedView xh = ForeignMemory.toHeap(x);
        StridedView ih = heapAs(index, DType.INT64);
        writeTo(out, out.dtype(), o -> IndexKernels.indexSelect(xh, dim, ih, o));
    }

    @Override
    public void gather(StridedView x, int dim, StridedView index, StridedView out) {
        StridedView xh = ForeignMemory.toHeap(x);
        StridedView ih = heapAs(index, DType.INT64);
        writeTo(out, out.dtype(), o -> IndexKernels.gather(xh, dim, ih, o));
        keepAlive(x, index, out);
    }

    @Override
    public void scatter(StridedView out, int dim, StridedView index, StridedView src, boolean accumulate) {
        StridedView sh = heapAs(unalias(src, out), out.dtype());
        StridedView ih = heapAs(index, DType.INT64);
        readModifyWrite(out, o -> IndexKernels.scatter(o, dim, ih, sh, accumulate));
    }

    @Override
    public void indexAdd(StridedView out, int dim, StridedView index, StridedView src) {
        StridedView sh = heapAs(unalias(src, out), out.dtype());
        StridedView ih = heapAs(index, DType.INT64);
        readModifyWrite(out, o -> IndexKernels.indexAdd(o, dim, ih, sh));
    }

    @Override
    public StridedView nonzero(StridedView x) {
        return IndexKernels.nonzero(ForeignMemory.toHeap(x));
    }

    @Override
    public void random(RandomKind kind, StridedView out, Generator generator, double a, double b) {
        RandomKernels.random(kind, out, generator, a, b);
    }

    @Override
    public void bernoulli(StridedView p, StridedView out, Generator generator) {
        RandomKernels.bernoulli(p, out, generator);
    }

    @Override
    public void softmax(StridedView x, int dim, boolean log, StridedView out) {
        StridedView xh = heapAs(unalias(x, out), out.dtype());
        writeTo(out, out.dtype(), o -> SoftmaxKernels.softmax(xh, dim, log, o));
        keepAlive(x, out, null);
    }

    @Override
    public void softmaxBackward(StridedView grad, StridedView y, int dim, boolean log, StridedView out) {
        StridedView gh = heapAs(unalias(grad, out), out.dtype());
        StridedView yh = heapAs(unalias(y, out), out.dtype());
        writeTo(out, out.dtype(), o -> SoftmaxKernels.backward(gh, yh, dim, log, o));
        keepAlive(grad, y, out);
    }

    @Override
    public void logSumExpRows(StridedView x, StridedView out) {
        StridedView xh = heapAs(contiguousHeap(x), out.dtype());
        writeTo(out, out.dtype(), o -> CrossEntropyKernels.logSumExpRows(xh, o));
        keepAlive(x, out, null);
    }

    @Override
    public void crossEntropyBackward(StridedView x, StridedView lse, StridedView target, StridedView scale, StridedView out) {
        DType t = out.dtype();
        StridedView xh = heapAs(contiguousHeap(x), t);
        StridedView lh = heapAs(lse, t);
        StridedView th = heapAs(target, DType.INT64);
        StridedView sh = heapAs(scale, t);
        writeContiguous(out, t, o -> CrossEntropyKernels.backward(xh, lh, th, sh, o));
        keepAlive(x, lse, out);
        keepAlive(target, scale, null);
    }

    @Override
    public void im2col(StridedView x, dev.kindling.backend.Conv2dGeometry geometry, StridedView cols) {
        StridedView xh = contiguousHeap(x);
        writeContiguous(cols, xh.dtype(), c -> ConvKernels.im2col(xh, geometry, c));
    }

    @Override
    public void col2im(StridedView cols, dev.kindling.backend.Conv2dGeometry geometry, StridedView x) {
        StridedView ch = contiguousHeap(cols);
        if (x.storage().isArrayBacked() && x.isContiguous()) {
            ConvKernels.col2im(ch, geometry, x);
        } else {
            StridedView tmp = fresh(x, x.dtype());
            ConvKernels.col2im(ch, geometry, tmp);
            copy(tmp, x);
        }
    }

    @Override
    public void conv2d(StridedView x, StridedView w, StridedView bias, dev.kindling.backend.Conv2dGeometry geometry, StridedView out) {
        if (WinogradConvKernel.supports(geometry, w, x, bias, out)) WinogradConvKernel.forward(x, w, bias, geometry, out);
        else if (DirectConvKernel.supports(geometry, w, x, bias, out)) DirectConvKernel.forward(x, w, bias, geometry, out);
        else if (ConvGemmKernel.supports(x, w, bias, out)) ConvGemmKernel.forward(x, w, bias, geometry, out);
        else Backend.super.conv2d(x, w, bias, geometry, out);
    }

    @Override
    public void conv2dBackward(StridedView gradOut, StridedView x, StridedView w, dev.kindling.backend.Conv2dGeometry geometry,
                               StridedView gradInput, StridedView gradWeight, StridedView gradBias) {
        if (DirectConvKernel.supportsBackward(geometry, w, gradOut, x, gradInput, gradWeight, gradBias)
                && (gradInput == null || DirectConvKernel.supportsInputGradient(geometry) || ConvGemmKernel.supports(gradOut, w, gradInput))) {
            // The weight and bias gradients by the direct kernel; the input gradient by it too
            // where its stride-1 transposed form applies, else by W^T gradOut and col2im.
            if (gradWeight != null || gradBias != null) DirectConvKernel.weightGradient(gradOut, x, w, geometry, gradWeight, gradBias);
            if (gradInput != null && WinogradConvKernel.supportsInputGradient(geometry, w)) {
                WinogradConvKernel.inputGradient(gradOut, w, geometry, gradInput);
            } else if (gradInput != null && DirectConvKernel.supportsInputGradient(geometry)) {
                DirectConvKernel.inputGradient(gradOut, w, geometry, gradInput);
            } else if (gradInput != null) {
                ConvGemmKernel.backward(gradOut, x, w, geometry, gradInput, null, null);
            }
        } else if (ConvGemmKernel.supports(gradOut, x, w, gradInput, gradWeight, gradBias)) {
            ConvGemmKernel.backward(gradOut, x, w, geometry, gradInput, gradWeight, gradBias);
        } else {
            Backend.super.conv2dBackward(gradOut, x, w, geometry, gradInput, gradWeight, gradBias);
        }
    }

    @Override
    public void maxPool2dIndices(StridedView x, dev.kindling.backend.Conv2dGeometry geometry, StridedView indices) {
        StridedView xh = contiguousHeap(x);
        writeContiguous(indices, DType.INT64, i -> ConvKernels.maxPool2d(xh, geometry, null, i));
    }

    @Override
    public void maxPool2d(StridedView x, dev.kindling.backend.Conv2dGeometry geometry, StridedView values, StridedView indices) {
        StridedView xh = contiguousHeap(x);
        if (!isContiguousHeap(values, xh.dtype()) || !isContiguousHeap(indices, DType.INT64)) {
            Backend.super.maxPool2d(x, geometry, values, indices);
            return;
        }
        ConvKernels.maxPool2d(xh, geometry, values, indices);
    }

    @Override
    public void maxPool2dBackward(StridedView grad, StridedView indices, dev.kindling.backend.Conv2dGeometry geometry, StridedView gradInput) {
        if (!isContiguousHeap(gradInput, grad.dtype()) || !isContiguousHeap(indices, DType.INT64)) {
            Backend.super.maxPool2dBackward(grad, indices, geometry, gradInput);
            return;
        }
        ConvKernels.maxPool2dBackward(contiguousHeap(grad), indices, geometry, gradInput);
    }

    @Override
    public void adamStep(AdamStep s, StridedView param, StridedView grad, StridedView expAvg, StridedView expAvgSq,
                         StridedView maxExpAvgSq) {
        requireFloatingPoint("adamStep", param);
        if (!fusable(param, grad, expAvg, expAvgSq, maxExpAvgSq)) {
            ComposedSteps.adam(this, s, param, grad, expAvg, expAvgSq, maxExpAvgSq);
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

    @Override
    public void sgdStep(SgdStep s, StridedView param, StridedView grad, StridedView momentumBuffer, boolean firstStep) {
        requireFloatingPoint("sgdStep", param);
        if (!fusable(param, grad, momentumBuffer)) {
            ComposedSteps.sgd(this, s, param, grad, momentumBuffer, firstStep);
            return;
        }
        OptimizerKernels.sgd(s, (float[]) param.storage().array(), (float[]) grad.storage().array(),
                momentumBuffer == null ? null : (float[]) momentumBuffer.storage().array(), firstStep,
                param.storageOffset(), param.numel());
        param.bumpVersion();
        if (momentumBuffer != null) momentumBuffer.bumpVersion();
    }

    private static void requireFloatingPoint(String step, StridedView param) {
        if (!param.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(step + ": expected a floating-point parameter but got " + param.dtype());
        }
    }

    /**
     * True when a fused elementwise kernel can run over these tensors as flat arrays: all float32,
     * array-backed, contiguous, of one shape and at one storage offset (nulls are skipped), and no
     * two of them in the same storage (the fused kernels read each operand once per element).
     */
    private static boolean fusable(StridedView first, StridedView... rest) {
        if (!isContiguousHeap(first, DType.FLOAT32)) return false;
        for (int i = 0; i < rest.length; i++) {
            StridedView t = rest[i];
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

    /**
     * Keeps the operands' storage reachable until the kernel that read their raw arrays returned:
     * without it the JIT may treat a tensor as dead once its array is loaded, and the garbage
     * collector could then hand a pooled array to another tensor while this kernel still uses it
     * (see {@link Storage#allocateUninitialized}).
     */
    private static void keepAlive(StridedView a, StridedView b, StridedView c) {
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
        Reference.reachabilityFence(c);
    }

    /** True when t is contiguous, array-backed and of dtype. */
    private static boolean isContiguousHeap(StridedView t, DType dtype) {
        return t.storage().isArrayBacked() && t.isContiguous() && t.dtype() == dtype;
    }

    /** x as a contiguous array-backed tensor (x itself when it already is one). */
    static StridedView contiguousHeap(StridedView x) {
        return x.storage().isArrayBacked() && x.isContiguous() ? x : fresh(x, x.dtype());
    }

    /** float32, float64 and int64 have kernels; the narrower integer types compute in int64. */
    static DType computeType(DType t) {
        return t.isFloatingPoint() || t == DType.INT64 ? t : DType.INT64;
    }

    /** x as an array-backed tensor of dtype t (x itself when it already is one). */
    static StridedView heapAs(StridedView x, DType t) {
        if (x.storage().isArrayBacked() && x.dtype() == t) return x;
        return fresh(x, t);
    }

    /** A new contiguous array-backed copy of x converted to t. */
    static StridedView fresh(StridedView x, DType t) {
        StridedView c = empty(t, x.shape());
        INSTANCE.copy(x, c);
        return c;
    }

    static StridedView empty(DType t, int[] shape) {
        return StridedView.of(Storage.allocate(t, Shapes.numel(shape)), shape);
    }

    /** A zero of dtype t broadcast (stride 0) to shape. */
    private static StridedView broadcastZero(DType t, int[] shape) {
        return empty(t, new int[0]).viewOf(shape, new int[shape.length], 0);
    }

    /** x, or a copy of it when it shares out's storage with a different layout. */
    private static StridedView unalias(StridedView x, StridedView out) {
        return x.sharesStorageWith(out) && !x.sameLayoutAs(out) ? fresh(x, x.dtype()) : x;
    }

    /** Runs a kernel that writes every element of out, through a temporary when out is foreign or of another dtype. */
    private void writeTo(StridedView out, DType kernelType, Consumer<StridedView> kernel) {
        if (out.storage().isArrayBacked() && out.dtype() == kernelType) {
            kernel.accept(out);
            return;
        }
        StridedView tmp = empty(kernelType, out.shape());
        kernel.accept(tmp);
        copy(tmp, out);
    }

    /** Like writeTo, for kernels that need a contiguous output. */
    private void writeContiguous(StridedView out, DType kernelType, Consumer<StridedView> kernel) {
        if (out.storage().isArrayBacked() && out.dtype() == kernelType && out.isContiguous()) {
            kernel.accept(out);
            return;
        }
        StridedView tmp = empty(kernelType, out.shape());
        kernel.accept(tmp);
        copy(tmp, out);
    }

    /** Runs a kernel that updates out in place, through a temporary holding out's values when needed. */
    private void readModifyWrite(StridedView out, Consumer<StridedView> kernel) {
        if (out.storage().isArrayBacked()) {
            kernel.accept(out);
            return;
        }
        StridedView tmp = fresh(out, out.dtype());
        kernel.accept(tmp);
        copy(tmp, out);
    }
}
