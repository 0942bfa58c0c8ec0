package dev.kindling.backend;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Storage;

/**
 * The optimizer steps of {@link Backend#adamStep} and {@link Backend#sgdStep} written out op by op
 * with a backend's own primitives ({@code unary}, {@code binary}, {@code copy}) on views: PyTorch's
 * single-tensor update, one rounding per operation, in the parameter's dtype. This is the
 * definition a fused kernel must match bit for bit, and what a backend runs for operands its fused
 * kernel does not take (strided, foreign memory, float64). Temporaries come from
 * {@link Backend#allocate}, so it runs on any device.
 */
public final class ComposedSteps {
    private final Backend backend;
    private final DType dtype;
    private final int[] shape;

    private ComposedSteps(Backend backend, StridedView param) {
        this.backend = backend;
        this.dtype = param.dtype();
        this.shape = param.shape();
    }

    /** One Adam/AdamW step of param, op by op (see {@link Backend#adamStep}). */
    public static void adam(Backend backend, AdamStep s, StridedView param, StridedView grad, StridedView expAvg,
                            StridedView expAvgSq, StridedView maxExpAvgSq) {
        ComposedSteps c = new ComposedSteps(backend, param);
        StridedView d = s.maximize() ? c.unary(UnaryOp.Kind.NEG, grad) : c.as(grad);
        if (s.weightDecay() != 0) {
            if (s.decoupled()) c.mulScalar(param, 1 - s.lr() * s.weightDecay());
            else d = c.add(d, param, s.weightDecay());
        }
        c.mulScalar(expAvg, s.beta1());
        c.addInPlace(expAvg, d, 1 - s.beta1());
        c.mulScalar(expAvgSq, s.beta2());
        c.addInPlace(expAvgSq, c.binary(BinaryOp.of(BinaryOp.Kind.MUL), d, d), 1 - s.beta2());
        StridedView second = expAvgSq;
        if (s.amsgrad()) {
            backend.binary(BinaryOp.of(BinaryOp.Kind.MAXIMUM), maxExpAvgSq, expAvgSq, maxExpAvgSq);
            second = maxExpAvgSq;
        }
        StridedView denom = c.unary(UnaryOp.Kind.SQRT, second);
        c.binaryScalar(BinaryOp.of(BinaryOp.Kind.DIV), denom, s.biasCorrection2Sqrt());
        c.binaryScalar(BinaryOp.of(BinaryOp.Kind.ADD), denom, s.eps());
        c.addInPlace(param, c.binary(BinaryOp.of(BinaryOp.Kind.DIV), expAvg, denom), -s.lr() / s.biasCorrection1());
        bumpVersions(param, expAvg, expAvgSq, maxExpAvgSq);
    }

    /** One SGD step of param, op by op (see {@link Backend#sgdStep}). */
    public static void sgd(Backend backend, SgdStep s, StridedView param, StridedView grad, StridedView momentumBuffer,
                           boolean firstStep) {
        ComposedSteps c = new ComposedSteps(backend, param);
        StridedView d = s.maximize() ? c.unary(UnaryOp.Kind.NEG, grad) : c.as(grad);
        if (s.weightDecay() != 0) d = c.add(d, param, s.weightDecay());
        if (s.momentum() != 0) {
            if (firstStep) {
                backend.copy(d, momentumBuffer);
            } else {
                c.mulScalar(momentumBuffer, s.momentum());
                c.addInPlace(momentumBuffer, d, 1 - s.dampening());
            }
            d = s.nesterov() ? c.add(d, momentumBuffer, s.momentum()) : momentumBuffer;
            momentumBuffer.bumpVersion();
        }
        c.addInPlace(param, d, -s.lr());
        param.bumpVersion();
    }

    private static void bumpVersions(StridedView... views) {
        for (StridedView v : views) if (v != null) v.bumpVersion();
    }

    /** x itself when it has param's dtype, else a converted copy. */
    private StridedView as(StridedView x) {
        if (x.dtype() == dtype) return x;
        StridedView c = emptyLike(x);
        backend.copy(x, c);
        return c;
    }

    /**
     * New memory for a result computed from x, laid out as x when x is a permutation of a
     * contiguous layout, as the elementwise ops do: the kernels then take the same paths, and round
     * the same way, as the tensor ops this replaces.
     */
    private StridedView emptyLike(StridedView x) {
        Storage storage = backend.allocate(dtype, Shapes.numel(shape));
        if (!Shapes.isPermutedDense(x.shape(), x.strides())) return StridedView.of(storage, shape);
        return StridedView.of(storage, shape, Shapes.denseStridesLike(x.shape(), x.strides()), 0);
    }

    private StridedView unary(UnaryOp.Kind kind, StridedView x) {
        StridedView out = emptyLike(x);
        backend.unary(UnaryOp.of(kind), as(x), out);
        return out;
    }

    private StridedView binary(BinaryOp op, StridedView a, StridedView b) {
        StridedView out = emptyLike(a);
        backend.binary(op, as(a), as(b), out);
        return out;
    }

    /** a + alpha * b, new. */
    private StridedView add(StridedView a, StridedView b, double alpha) {
        return binary(BinaryOp.of(BinaryOp.Kind.ADD, alpha), a, b);
    }

    /** x += alpha * y, in place. */
    private void addInPlace(StridedView x, StridedView y, double alpha) {
        backend.binary(BinaryOp.of(BinaryOp.Kind.ADD, alpha), x, as(y), x);
    }

    private void mulScalar(StridedView x, double value) {
        binaryScalar(BinaryOp.of(BinaryOp.Kind.MUL), x, value);
    }

    /** x = op(x, value), in place, with value rounded to the dtype first (a 0-d tensor broadcast over x). */
    private void binaryScalar(BinaryOp op, StridedView x, double value) {
        StridedView scalar = StridedView.of(backend.allocate(dtype, 1));
        backend.fill(scalar, value);
        backend.binary(op, x, scalar.viewOf(x.shape(), new int[x.dim()], 0), x);
    }
}
