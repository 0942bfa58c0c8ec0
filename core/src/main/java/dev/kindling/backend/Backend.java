package dev.kindling.backend;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Storage;

/**
 * The closed set of primitive kernels a device implements (tinygrad's lesson): everything else in
 * Kindling is composed from these by {@code dev.kindling.ops}.
 *
 * <p>Operands are {@link StridedView}s, storage plus layout, never the autograd-aware tensor: a
 * backend needs to know nothing of autograd. A backend is registered for a device type through a
 * {@link BackendProvider} and found by {@link Backends}.
 *
 * <p>Conventions: outputs are passed in, already allocated with their final shape and dtype;
 * inputs of elementwise kernels arrive already broadcast (stride 0 along broadcast dims) and
 * already cast to a common dtype. Kernels never record autograd and never allocate graph state.
 * Version counters are the caller's business, except in the optimizer steps, which bump the
 * version of every view they update. Arguments are validated by the ops before they get here; a
 * backend may assume valid shapes.
 */
public interface Backend {

    Device device();

    /** Zero-filled storage of {@code numel} elements on this device. */
    Storage allocate(DType dtype, int numel);

    /**
     * Storage of {@code numel} elements with arbitrary contents, for an output the caller's kernel
     * overwrites entirely; a backend may reuse released memory here. Zero-filled by default.
     */
    default Storage allocateUninitialized(DType dtype, int numel) { return allocate(dtype, numel); }

    /** dst[...] = (dst.dtype) src[...]; same shape; src may be broadcast; dtypes may differ. */
    void copy(StridedView src, StridedView dst);

    /** Every element of dst = value (cast to dst's dtype). */
    void fill(StridedView dst, double value);

    /** out = op(x); same shape; out's dtype is x's, or bool for predicates. */
    void unary(UnaryOp op, StridedView x, StridedView out);

    /** out = op(a, b); a and b share a dtype and are broadcast to out's shape. */
    void binary(BinaryOp op, StridedView a, StridedView b, StridedView out);

    /** out = cond ? a : b; cond is bool; a and b share out's dtype; all broadcast to out's shape. */
    void where(StridedView cond, StridedView a, StridedView b, StridedView out);

    /**
     * Reduces x over the sorted dims into out, which has x's rank with size 1 at each reduced dim.
     * SUM/PROD of integers accumulate in int64; ARGMAX/ARGMIN write int64 indices into the flattened
     * reduced dims (first occurrence); ANY/ALL write bool; MAX/MIN propagate NaN.
     */
    void reduce(ReduceOp op, StridedView x, int[] dims, StridedView out);

    /** out = cumulative sum of x along dim. */
    void cumsum(StridedView x, int dim, StridedView out);

    /**
     * Writes into indices (int64, x's shape) the positions that sort each line of x along dim,
     * stably: ties keep their order. NaN sorts above every number (last ascending, first
     * descending) and -0.0 ties with 0.0, as torch.sort(stable=True).
     */
    void sortIndices(StridedView x, int dim, boolean descending, StridedView indices);

    /** Batched matrix product: a [B, M, K] times b [B, K, N] into out [B, M, N], any strides. */
    void matmul(StridedView a, StridedView b, StridedView out);

    /** out = x.index_select(dim, index) with int64 index, index values already checked. */
    void indexSelect(StridedView x, int dim, StridedView index, StridedView out);

    /** out = x.gather(dim, index). */
    void gather(StridedView x, int dim, StridedView index, StridedView out);

    /** In place: out.scatter_(dim, index, src) or, with accumulate, out.scatter_add_. */
    void scatter(StridedView out, int dim, StridedView index, StridedView src, boolean accumulate);

    /** In place: out.index_add_(dim, index, src). */
    void indexAdd(StridedView out, int dim, StridedView index, StridedView src);

    /** Indices of non-zero elements of x in new memory of this device, as a contiguous int64 [count, ndim] view. */
    StridedView nonzero(StridedView x);

    /** Fills out with random values of the given distribution from the generator. */
    void random(RandomKind kind, StridedView out, Generator generator, double a, double b);

    /** out[i] = 1 with probability p[i], else 0. */
    void bernoulli(StridedView p, StridedView out, Generator generator);

    /** Numerically stable log-softmax (or softmax) of x along dim, into out. */
    void softmax(StridedView x, int dim, boolean log, StridedView out);

    /** Gradient of (log-)softmax along dim given its output y and the upstream gradient. */
    void softmaxBackward(StridedView grad, StridedView y, int dim, boolean log, StridedView out);

    /**
     * log(sum_j exp(x[i, j])) of each row of a contiguous x [M, C], into out [M]: the normaliser of
     * log-softmax, all that cross-entropy's forward needs from the [M, C] logits. The default takes
     * it from {@link #softmax}: x[i, 0] - logSoftmax(x)[i, 0].
     */
    default void logSumExpRows(StridedView x, StridedView out) {
        int m = x.shape()[0];
        int c = x.shape()[1];
        StridedView logp = StridedView.of(allocate(x.dtype(), m * c), m, c);
        softmax(x, 1, true, logp);
        binary(BinaryOp.of(BinaryOp.Kind.SUB), x.viewOf(new int[] {m}, new int[] {c}, x.storageOffset()),
                logp.viewOf(new int[] {m}, new int[] {c}, 0), out);
    }

    /**
     * The gradient of per-row cross-entropy, scale[i] * (softmax(x)[i, j] - (j == target[i])), into
     * a contiguous out [M, C], from a contiguous x [M, C], lse [M] ({@link #logSumExpRows}), int64
     * target [M] in [0, C) and scale [M] (the upstream gradient times the row's class weight). The
     * default composes exp, mul and a scatter-add.
     */
    default void crossEntropyBackward(StridedView x, StridedView lse, StridedView target, StridedView scale, StridedView out) {
        int m = x.shape()[0];
        int c = x.shape()[1];
        int[] rowsByClasses = {m, c};
        binary(BinaryOp.of(BinaryOp.Kind.SUB), x,
                lse.viewOf(rowsByClasses, new int[] {lse.strides()[0], 0}, lse.storageOffset()), out);
        unary(UnaryOp.of(UnaryOp.Kind.EXP), out, out);
        binary(BinaryOp.of(BinaryOp.Kind.MUL), out,
                scale.viewOf(rowsByClasses, new int[] {scale.strides()[0], 0}, scale.storageOffset()), out);
        StridedView negScale = StridedView.of(allocate(scale.dtype(), m), m, 1);
        unary(UnaryOp.of(UnaryOp.Kind.NEG), scale.viewOf(new int[] {m, 1}, new int[] {scale.strides()[0], 1}, scale.storageOffset()), negScale);
        scatter(out, 1, target.viewOf(new int[] {m, 1}, new int[] {target.strides()[0], 1}, target.storageOffset()), negScale, true);
    }

    /**
     * im2col: cols [N, C*kH*kW, outH*outW] gets the receptive field of every output position of
     * x [N, C, H, W] (zeros where the window covers padding).
     */
    void im2col(StridedView x, Conv2dGeometry geometry, StridedView cols);

    /** col2im: adds every column of cols back onto the input position it came from, into x (zeroed by the caller). */
    void col2im(StridedView cols, Conv2dGeometry geometry, StridedView x);

    /**
     * 2-D convolution with one group (cross-correlation, as PyTorch): out [N, O, outH, outW] gets x
     * [N, C, H, W] convolved with w [O, C, kH, kW], plus bias [O] when it is not null. x, w and out
     * are contiguous and share a floating-point dtype. The default is {@link #im2col} of the whole
     * batch and one batched GEMM; a backend may pick its algorithm per shape.
     */
    default void conv2d(StridedView x, StridedView w, StridedView bias, Conv2dGeometry geometry, StridedView out) {
        int n = x.shape()[0];
        int o = w.shape()[0];
        int k = geometry.columnRows();
        int l = geometry.columnCols();
        StridedView cols = StridedView.of(allocate(x.dtype(), n * k * l), n, k, l);
        im2col(x, geometry, cols);
        StridedView out3 = out.viewOf(new int[] {n, o, l}, new int[] {o * l, l, 1}, out.storageOffset());
        matmul(w.viewOf(new int[] {n, o, k}, new int[] {0, k, 1}, w.storageOffset()), cols, out3);
        if (bias != null) {
            StridedView b3 = bias.viewOf(new int[] {n, o, l}, new int[] {0, bias.strides()[0], 0}, bias.storageOffset());
            binary(BinaryOp.of(BinaryOp.Kind.ADD), out3, b3, out3);
        }
    }

    /**
     * The gradients of {@link #conv2d} with respect to its input, its weight and its bias:
     * gradInput [N, C, H, W], gradWeight [O, C, kH, kW] and gradBias [O] are overwritten; each may be
     * null when it is not wanted. All operands are contiguous. The default is GEMMs over the whole
     * batch's im2col columns, {@link #col2im} and a sum.
     */
    default void conv2dBackward(StridedView gradOut, StridedView x, StridedView w, Conv2dGeometry geometry,
                                StridedView gradInput, StridedView gradWeight, StridedView gradBias) {
        int n = x.shape()[0];
        int o = w.shape()[0];
        int k = geometry.columnRows();
        int l = geometry.columnCols();
        StridedView go3 = gradOut.viewOf(new int[] {n, o, l}, new int[] {o * l, l, 1}, gradOut.storageOffset());
        if (gradInput != null) {
            StridedView cols = StridedView.of(allocate(x.dtype(), n * k * l), n, k, l);
            matmul(w.viewOf(new int[] {n, k, o}, new int[] {0, 1, k}, w.storageOffset()), go3, cols);
            fill(gradInput, 0.0);
            col2im(cols, geometry, gradInput);
        }
        if (gradWeight != null) {
            StridedView cols = StridedView.of(allocate(x.dtype(), n * k * l), n, k, l);
            im2col(x, geometry, cols);
            StridedView perImage = StridedView.of(allocate(x.dtype(), n * o * k), n, o, k);
            matmul(go3, cols.viewOf(new int[] {n, l, k}, new int[] {k * l, 1, l}, 0), perImage);
            reduce(ReduceOp.SUM, perImage, new int[] {0},
                    gradWeight.viewOf(new int[] {1, o, k}, new int[] {o * k, k, 1}, gradWeight.storageOffset()));
        }
        if (gradBias != null) {
            reduce(ReduceOp.SUM, go3, new int[] {0, 2}, gradBias.viewOf(new int[] {1, o, 1}, new int[] {o, 1, 1},
                    gradBias.storageOffset()));
        }
    }

    /**
     * For each max-pooling window of x [N, C, H, W], the flat index (h * W + w) of its maximum
     * (first occurrence; NaN wins; padding never wins) into indices [N, C, outH, outW] (int64).
     */
    void maxPool2dIndices(StridedView x, Conv2dGeometry geometry, StridedView indices);

    /**
     * Max pooling in one go: as {@link #maxPool2dIndices}, plus the maximum itself (the element at
     * that index) into values [N, C, outH, outW] of x's dtype. values and indices are contiguous.
     * The default finds the indices, then gathers.
     */
    default void maxPool2d(StridedView x, Conv2dGeometry geometry, StridedView values, StridedView indices) {
        maxPool2dIndices(x, geometry, indices);
        StridedView xc = x;
        if (!x.isContiguous()) {
            xc = StridedView.of(allocate(x.dtype(), x.numel()), x.shape());
            copy(x, xc);
        }
        gather(planes(xc), 2, planes(indices), planes(values));
    }

    /**
     * Max pooling's gradient: adds grad [N, C, outH, outW] (contiguous) at the input positions in
     * indices into gradInput [N, C, H, W] (contiguous, zero-filled by the caller). The default
     * scatter-adds.
     */
    default void maxPool2dBackward(StridedView grad, StridedView indices, Conv2dGeometry geometry, StridedView gradInput) {
        scatter(planes(gradInput), 2, planes(indices), planes(grad), true);
    }

    /**
     * One Adam/AdamW update of param in place, from its gradient and its moment estimates expAvg
     * and expAvgSq (updated in place too; maxExpAvgSq, the running maximum of expAvgSq, only with
     * amsgrad, else null). All have param's shape and a floating-point dtype. The definition is
     * PyTorch's single-tensor step, op by op, in param's dtype:
     * <pre>
     * d = maximize ? -grad : grad;  weight decay: param *= 1 - lr wd (decoupled) or d = d + wd param
     * expAvg = expAvg * beta1 + (1 - beta1) d;  expAvgSq = expAvgSq * beta2 + (1 - beta2) (d d)
     * amsgrad: maxExpAvgSq = maximum(maxExpAvgSq, expAvgSq) (NaN wins), used in place of expAvgSq
     * param = param + (-lr / biasCorrection1) (expAvg / (sqrt(expAvgSq) / biasCorrection2Sqrt + eps))
     * </pre>
     * each operation rounded to the dtype as it happens; a backend's fused kernel must give the same
     * numbers.
     */
    void adamStep(AdamStep step, StridedView param, StridedView grad, StridedView expAvg, StridedView expAvgSq,
                  StridedView maxExpAvgSq);

    /**
     * One SGD update of param in place from its gradient, as PyTorch's single-tensor step, op by op
     * in param's dtype:
     * <pre>
     * d = maximize ? -grad : grad;  with weight decay d = d + wd param
     * with momentum: buf = firstStep ? d : buf * momentum + (1 - dampening) d;  d = nesterov ? d + momentum buf : buf
     * param = param + (-lr) d
     * </pre>
     * momentumBuffer (param's shape) is updated in place; it is null when momentum is 0. A backend's
     * fused kernel must give the same numbers.
     */
    void sgdStep(SgdStep step, StridedView param, StridedView grad, StridedView momentumBuffer, boolean firstStep);

    /** A contiguous [N, C, ...] view as [N, C, rest] (no copy). */
    private static StridedView planes(StridedView t) {
        int n = t.shape()[0];
        int c = t.shape()[1];
        int rest = n * c == 0 ? 0 : t.numel() / (n * c);
        return t.viewOf(new int[] {n, c, rest}, new int[] {c * rest, rest, 1}, t.storageOffset());
    }

    /** The random distributions {@link #random} draws from; a and b are its two parameters. */
    enum RandomKind {
        /** uniform on [a, b). */
        UNIFORM,
        /** normal with mean a and standard deviation b. */
        NORMAL,
        /** integers uniform on [a, b). */
        RANDINT,
        /** 1 with probability a. */
        BERNOULLI
    }
}
