package dev.kindling.backend;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Storage;
import dev.kindling.tensor.Tensor;

/**
 * The closed set of primitive kernels a device implements (tinygrad's lesson): everything else in
 * Kindling is composed from these by {@code dev.kindling.ops}.
 *
 * <p>Conventions: outputs are passed in, already allocated with their final shape and dtype;
 * inputs of elementwise kernels arrive already broadcast (stride 0 along broadcast dims) and
 * already cast to a common dtype. Kernels never record autograd and never allocate graph state.
 * Arguments are validated by the ops before they get here; a backend may assume valid shapes.
 */
public interface Backend {

    Device device();

    /** Zero-filled storage of {@code numel} elements on this device. */
    Storage allocate(DType dtype, int numel);

    /** dst[...] = (dst.dtype) src[...]; same shape; src may be broadcast; dtypes may differ. */
    void copy(Tensor src, Tensor dst);

    /** Every element of dst = value (cast to dst's dtype). */
    void fill(Tensor dst, double value);

    /** out = op(x); same shape; out's dtype is x's, or bool for predicates. */
    void unary(UnaryOp op, Tensor x, Tensor out);

    /** out = op(a, b); a and b share a dtype and are broadcast to out's shape. */
    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out);

    /** out = cond ? a : b; cond is bool; a and b share out's dtype; all broadcast to out's shape. */
    void where(Tensor cond, Tensor a, Tensor b, Tensor out);

    /**
     * Reduces x over the sorted dims into out, which has x's rank with size 1 at each reduced dim.
     * SUM/PROD of integers accumulate in int64; ARGMAX/ARGMIN write int64 indices into the flattened
     * reduced dims (first occurrence); ANY/ALL write bool; MAX/MIN propagate NaN.
     */
    void reduce(ReduceOp op, Tensor x, int[] dims, Tensor out);

    /** out = cumulative sum of x along dim. */
    void cumsum(Tensor x, int dim, Tensor out);

    /** Batched matrix product: a [B, M, K] times b [B, K, N] into out [B, M, N], any strides. */
    void matmul(Tensor a, Tensor b, Tensor out);

    /** out = x.index_select(dim, index) with int64 index, index values already checked. */
    void indexSelect(Tensor x, int dim, Tensor index, Tensor out);

    /** out = x.gather(dim, index). */
    void gather(Tensor x, int dim, Tensor index, Tensor out);

    /** In place: out.scatter_(dim, index, src) or, with accumulate, out.scatter_add_. */
    void scatter(Tensor out, int dim, Tensor index, Tensor src, boolean accumulate);

    /** In place: out.index_add_(dim, index, src). */
    void indexAdd(Tensor out, int dim, Tensor index, Tensor src);

    /** Indices of non-zero elements of x as an int64 [count, ndim] tensor. */
    Tensor nonzero(Tensor x);

    /** Fills out with random values of the given distribution from the generator. */
    void random(RandomKind kind, Tensor out, Generator generator, double a, double b);

    /** out[i] = 1 with probability p[i], else 0. */
    void bernoulli(Tensor p, Tensor out, Generator generator);

    /** Numerically stable log-softmax (or softmax) of x along dim, into out. */
    void softmax(Tensor x, int dim, boolean log, Tensor out);

    /** Gradient of (log-)softmax along dim given its output y and the upstream gradient. */
    void softmaxBackward(Tensor grad, Tensor y, int dim, boolean log, Tensor out);

    /**
     * im2col: cols [N, C*kH*kW, outH*outW] gets the receptive field of every output position of
     * x [N, C, H, W] (zeros where the window covers padding).
     */
    void im2col(Tensor x, Conv2dGeometry geometry, Tensor cols);

    /** col2im: adds every column of cols back onto the input position it came from, into x (zeroed by the caller). */
    void col2im(Tensor cols, Conv2dGeometry geometry, Tensor x);

    /**
     * For each max-pooling window of x [N, C, H, W], the flat index (h * W + w) of its maximum
     * (first occurrence; NaN wins; padding never wins) into indices [N, C, outH, outW] (int64).
     */
    void maxPool2dIndices(Tensor x, Conv2dGeometry geometry, Tensor indices);

    /**
     * Max pooling in one go: as {@link #maxPool2dIndices}, plus the maximum itself (the element at
     * that index) into values [N, C, outH, outW] of x's dtype. values and indices are contiguous.
     * The default finds the indices, then gathers.
     */
    default void maxPool2d(Tensor x, Conv2dGeometry geometry, Tensor values, Tensor indices) {
        maxPool2dIndices(x, geometry, indices);
        Tensor xc = x;
        if (!x.isContiguous()) {
            xc = Tensor.of(allocate(x.dtype(), x.numel()), x.shape());
            copy(x, xc);
        }
        gather(planes(xc), 2, planes(indices), planes(values));
    }

    /**
     * Max pooling's gradient: adds grad [N, C, outH, outW] (contiguous) at the input positions in
     * indices into gradInput [N, C, H, W] (contiguous, zero-filled by the caller). The default
     * scatter-adds.
     */
    default void maxPool2dBackward(Tensor grad, Tensor indices, Conv2dGeometry geometry, Tensor gradInput) {
        scatter(planes(gradInput), 2, planes(indices), planes(grad), true);
    }

    /**
     * One Adam/AdamW update of param in place, from its gradient and its moment estimates expAvg
     * and expAvgSq (updated in place too; maxExpAvgSq, the running maximum of expAvgSq, only with
     * amsgrad, else null). All have param's shape. The default is PyTorch's single-tensor step,
     * op by op, which is the definition: a backend's fused kernel must give the same numbers.
     */
    default void adamStep(AdamStep s, Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq) {
        Tensor d = s.maximize() ? grad.neg() : grad;
        if (s.weightDecay() != 0) {
            if (s.decoupled()) param.mul_(1 - s.lr() * s.weightDecay());
            else d = d.add(param, s.weightDecay());
        }
        expAvg.mul_(s.beta1()).add_(d, 1 - s.beta1());
        expAvgSq.mul_(s.beta2()).addcmul_(d, d, 1 - s.beta2());
        Tensor second = expAvgSq;
        if (s.amsgrad()) {
            maxExpAvgSq.maximum_(expAvgSq);
            second = maxExpAvgSq;
        }
        Tensor denom = second.sqrt().div_(s.biasCorrection2Sqrt()).add_(s.eps());
        param.addcdiv_(expAvg, denom, -s.lr() / s.biasCorrection1());
    }

    /** A contiguous [N, C, ...] tensor viewed as [N, C, rest] (no autograd, no copy). */
    private static Tensor planes(Tensor t) {
        int n = t.shape()[0];
        int c = t.shape()[1];
        int rest = n * c == 0 ? 0 : t.numel() / (n * c);
        return t.detach().viewOf(new int[] {n, c, rest}, new int[] {c * rest, rest, 1}, t.storageOffset());
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
