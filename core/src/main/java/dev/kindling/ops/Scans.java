package dev.kindling.ops;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.ArrayList;
import java.util.List;

/**
 * Running products and running log-sum-exps along a dim. Each step is one differentiable op on
 * the previous result and the next slice, so the gradient is exact also where the input has zeros
 * (where cumprod's textbook formula out / x divides by zero); the price is one op per step, which
 * suits the short dims these are used on (sequence positions, a few hundred at most).
 */
public final class Scans {
    private Scans() {}

    /** Running product along dim; integer and bool inputs give int64, as torch.cumprod. */
    public static Tensor cumprod(Tensor x, int dim) {
        Tensor xt = x.dtype().isFloatingPoint() ? x : x.to(DType.INT64);
        return scan("cumprod", xt, dim, false);
    }

    /** log(cumsum(exp(x))) along dim, without overflow. */
    public static Tensor logcumsumexp(Tensor x, int dim) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("logcumsumexp: expected a floating-point tensor but got " + x.dtype());
        }
        return scan("logcumsumexp", x, dim, true);
    }

    /**
     * Running maximum (or minimum) along dim with the position it came from; on ties the later
     * position wins, and NaN, once seen, stays, as torch.cummax / torch.cummin.
     */
    public static Reductions.ValuesIndices cummax(Tensor x, int dim, boolean max) {
        String op = max ? "cummax" : "cummin";
        int d = Shapes.dim(op, dim, x.dim());
        if (x.dim() == 0) return new Reductions.ValuesIndices(x.clone(), Tensors.zeros(DType.INT64));
        int n = x.size(d);
        if (n == 0) return new Reductions.ValuesIndices(x.clone(), Tensors.zeros(DType.INT64, x.device(), x.shape()));
        List<Tensor> idx = new ArrayList<>(n);
        Tensor run = x.select(d, 0);
        Tensor at = Tensors.zeros(DType.INT64, x.device(), run.shape());
        idx.add(at);
        for (int i = 1; i < n; i++) {
            Tensor next = x.select(d, i);
            Tensor take = (max ? next.ge(run) : next.le(run)).logicalOr(next.isnan()).logicalAnd(run.isnan().logicalNot());
            run = next.where(take, run);
            at = Tensors.fullLike(at, i, DType.INT64).where(take, at);
            idx.add(at);
        }
        Tensor indices = Tensors.stack(idx, d);
        return new Reductions.ValuesIndices(Indexing.gather(x, d, indices), indices);
    }

    /** The n-th forward difference along dim: x[i + 1] - x[i], n times, as torch.diff (bool: xor). */
    public static Tensor diff(Tensor x, int n, int dim) {
        if (x.dim() == 0) throw new IllegalArgumentException("diff: expected at least 1-dimensional input but got a 0-d tensor");
        if (n < 0) throw new IllegalArgumentException("diff: order must be non-negative but got " + n);
        int d = Shapes.dim("diff", dim, x.dim());
        Tensor out = x;
        for (int i = 0; i < n && out.size(d) > 0; i++) {
            int len = out.size(d) - 1;
            Tensor hi = out.narrow(d, 1, len);
            Tensor lo = out.narrow(d, 0, len);
            out = out.dtype() == DType.BOOL ? hi.logicalXor(lo) : hi.sub(lo);
        }
        return out;
    }

    private static Tensor scan(String op, Tensor x, int dim, boolean logAddExp) {
        int d = Shapes.dim(op, dim, x.dim());
        if (x.dim() == 0 || x.size(d) == 0) return x.clone();
        int n = x.size(d);
        List<Tensor> steps = new ArrayList<>(n);
        Tensor run = x.select(d, 0);
        steps.add(run);
        for (int i = 1; i < n; i++) {
            Tensor next = x.select(d, i);
            run = logAddExp ? run.logaddexp(next) : run.mul(next);
            steps.add(run);
        }
        return Tensors.stack(steps, d);
    }
}
