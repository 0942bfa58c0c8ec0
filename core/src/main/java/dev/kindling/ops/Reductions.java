package dev.kindling.ops;

import dev.kindling.autograd.Graph;
import dev.kindling.backend.ReduceOp;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/**
 * Reductions. sum, prod, amax/amin, argmax and cumsum are backend primitives with their own
 * gradients; mean, var, std and logsumexp are compositions of differentiable ops (so their
 * gradients, and their second derivatives, come from the parts); max(dim) returns values gathered
 * at the argmax, so its gradient is gather's.
 */
public final class Reductions {
    private Reductions() {}

    /** values and int64 indices, as PyTorch's {@code torch.return_types.max}. */
    public record ValuesIndices(Tensor values, Tensor indices) {}

    /** Reduces with one primitive into a fresh tensor; no autograd. */
    static Tensor reduceRaw(ReduceOp op, Tensor x, int[] dims, boolean keepdim, DType outType) {
        int[] keep = Shapes.reduced(x.shape(), dims, true);
        Tensor out = Kernels.empty(x, outType, keep);
        if (x.numel() == 0 && (op == ReduceOp.MAX || op == ReduceOp.MIN || op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN)) {
            throw new IllegalArgumentException(op.name().toLowerCase() + "(): expected reduction dim to have non-zero size "
                    + "but the input has shape " + Shapes.str(x.shape()));
        }
        if (x.numel() == 0) {
            out.backend().fill(out.strided(), op == ReduceOp.PROD || op == ReduceOp.ALL ? 1 : 0);
        } else {
            x.backend().reduce(op, x.strided(), dims, out.strided());
        }
        return keepdim ? out : out.reshape(Shapes.reduced(x.shape(), dims, false));
    }

    /** The gradient of a reduction, broadcast back over the reduced dims. */
    static Tensor expandBack(Tensor g, int[] shape, int[] dims, boolean keepdim) {
        Tensor gk = g;
        if (!keepdim) for (int d : dims) gk = gk.unsqueeze(d);
        return gk.expand(shape);
    }

    private static int[] dimsOf(String op, Tensor x, int[] dims) {
        return Shapes.dims(op, dims, x.dim());
    }

    public static Tensor sum(Tensor x, int[] dims, boolean keepdim) {
        int[] ds = dimsOf("sum", x, dims);
        DType outType = x.dtype().isFloatingPoint() ? x.dtype() : DType.INT64;
        Tensor out = reduceRaw(ReduceOp.SUM, x, ds, keepdim, outType);
        int[] shape = x.shape();
        return Graph.record(dims.length == 0 ? "SumBackward0" : "SumBackward1", out, x, g -> expandBack(g, shape, ds, keepdim));
    }

    public static Tensor mean(Tensor x, int[] dims, boolean keepdim) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("mean(): could not infer output dtype. Input dtype must be a floating point "
                    + "dtype, got " + x.dtype() + "; convert with to(DType.FLOAT32) first");
        }
        int[] ds = dimsOf("mean", x, dims);
        long count = 1;
        for (int d : ds) count *= x.shape()[d];
        return sum(x, dims, keepdim).div((double) count);
    }

    /** Product over one dim (or all dims); zeros in the input get the right gradient. */
    public static Tensor prod(Tensor x, int dim, boolean keepdim, boolean all) {
        int[] ds = all ? dimsOf("prod", x, new int[0]) : dimsOf("prod", x, new int[] {dim});
        boolean kd = !all && keepdim;
        DType outType = x.dtype().isFloatingPoint() ? x.dtype() : DType.INT64;
        Tensor out = reduceRaw(ReduceOp.PROD, x, ds, kd, outType);
        int[] shape = x.shape();
        return Graph.record("ProdBackward1", out, x, new Tensor[] {x, out}, g -> {
            // grad_i = g * prod_{j != i} x_j. With no zero in the slice that is g * out / x_i; with
            // one zero only the zero's position gets g * (product of the others); with two, none.
            Tensor isZero = x.eq(0.0);
            Tensor zeros = isZero.to(x.dtype()).sum(ds, true);
            Tensor safeX = x.where(isZero.logicalNot(), 1.0);
            Tensor outK = kd ? out : unsqueezeAll(out, ds);
            Tensor gk = expandBack(g, shape, ds, kd);
            Tensor noZero = gk.mul(outK).div(safeX);
            Tensor othersProduct = prodKeep(safeX, ds);
            Tensor oneZero = gk.mul(othersProduct).where(isZero, 0.0);
            return noZero.where(zeros.eq(0.0), Tensors.zerosLike(x)).add(oneZero.where(zeros.eq(1.0), 0.0));
        });
    }

    static Tensor unsqueezeAll(Tensor t, int[] dims) {
        Tensor r = t;
        for (int d : dims) r = r.unsqueeze(d);
        return r;
    }

    /** Product over several dims with keepdim, recorded (used inside prod's backward). */
    static Tensor prodKeep(Tensor x, int[] dims) {
        Tensor r = x;
        for (int d : dims) r = prod(r, d, true, false);
        return r;
    }

    /** amax/amin: ties share the gradient evenly. */
    public static Tensor amax(Tensor x, int[] dims, boolean keepdim, boolean max) {
        int[] ds = dimsOf(max ? "amax" : "amin", x, dims);
        Tensor out = reduceRaw(max ? ReduceOp.MAX : ReduceOp.MIN, x, ds, keepdim, x.dtype());
        int[] shape = x.shape();
        return Graph.record(max ? "AmaxBackward0" : "AminBackward0", out, x, new Tensor[] {x, out}, g -> {
            Tensor hit = x.eq(expandBack(out, shape, ds, keepdim)).to(g.dtype());
            Tensor count = hit.sum(ds, true);
            return expandBack(g, shape, ds, keepdim).mul(hit).div(count);
        });
    }

    /** max/min along a dim with indices; the gradient flows to the selected element only. */
    public static ValuesIndices maxWithIndices(Tensor x, int dim, boolean keepdim, boolean max) {
        int d = Shapes.dim(max ? "max" : "min", dim, x.dim());
        if (x.dim() == 0) return new ValuesIndices(x, Tensors.zeros(DType.INT64));
        Tensor idx = reduceRaw(max ? ReduceOp.ARGMAX : ReduceOp.ARGMIN, x, new int[] {d}, true, DType.INT64);
        Tensor values = Indexing.gather(x, d, idx);
        if (!keepdim) {
            values = values.squeeze(d);
            idx = idx.squeeze(d);
        }
        return new ValuesIndices(values, idx);
    }

    /** argmax/argmin along dim, or of the flattened tensor when dim is null. */
    public static Tensor argmax(Tensor x, Integer dim, boolean keepdim, boolean max) {
        ReduceOp op = max ? ReduceOp.ARGMAX : ReduceOp.ARGMIN;
        if (dim == null) {
            Tensor flat = x.reshape(-1);
            Tensor r = reduceRaw(op, flat, new int[] {0}, false, DType.INT64);
            return keepdim ? r.reshape(ones(x.dim())) : r;
        }
        int d = Shapes.dim(max ? "argmax" : "argmin", dim, x.dim());
        if (x.dim() == 0) return Tensors.zeros(DType.INT64);
        return reduceRaw(op, x, new int[] {d}, keepdim, DType.INT64);
    }

    private static int[] ones(int n) {
        int[] s = new int[n];
        java.util.Arrays.fill(s, 1);
        return s;
    }

    /** Variance with {@code correction} (1 = unbiased); two passes (mean, then squared deviations). */
    public static Tensor var(Tensor x, int[] dims, int correction, boolean keepdim) {
        requireFloat("var", x);
        int[] ds = dimsOf("var", x, dims);
        long n = 1;
        for (int d : ds) n *= x.shape()[d];
        Tensor diff = x.sub(x.mean(ds, true));
        return diff.square().sum(ds, keepdim).div((double) Math.max(0, n - correction));
    }

    /** sqrt(var); where the std is 0 the gradient is 0, not sqrt's infinity times 0 (PyTorch's std_backward). */
    public static Tensor std(Tensor x, int[] dims, int correction, boolean keepdim) {
        Tensor v = var(x, dims, correction, keepdim);
        Tensor s;
        try (var scope = dev.kindling.autograd.GradMode.noGrad()) {
            s = v.sqrt();
        }
        // the backward recomputes sqrt(v) as a recorded op, so that second derivatives see it
        return Graph.record("StdBackward0", s, v, new Tensor[] {v}, g -> {
            Tensor sd = v.sqrt();
            return g.div(sd.mul(2.0)).where(sd.ne(0.0), 0.0);
        });
    }

    /** log(sum(exp(x))) with the max subtracted first, so large logits do not overflow. */
    public static Tensor logsumexp(Tensor x, int[] dims, boolean keepdim) {
        requireFloat("logsumexp", x);
        int[] ds = dimsOf("logsumexp", x, dims);
        for (int d : ds) {
            // an empty sum is 0, its log -inf, and there is no max to subtract
            if (x.shape()[d] == 0) return x.exp().sum(ds, keepdim).log();
        }
        Tensor m = amax(x.detach(), ds, true, true);
        m = m.where(m.isinf().logicalNot(), 0.0);
        Tensor s = x.sub(m).exp().sum(ds, true).log().add(m);
        return keepdim ? s : squeezeAll(s, ds);
    }

    static Tensor squeezeAll(Tensor t, int[] dims) {
        Tensor r = t;
        for (int i = dims.length - 1; i >= 0; i--) r = r.squeeze(dims[i]);
        return r;
    }

    /** Vector p-norm over dims; p = 2 has a zero-safe gradient (0 where the norm is 0), as PyTorch. */
    public static Tensor norm(Tensor x, double p, int[] dims, boolean keepdim) {
        requireFloat("norm", x);
        int[] ds = dimsOf("norm", x, dims);
        if (p == 2.0) {
            Tensor out;
            try (var scope = dev.kindling.autograd.GradMode.noGrad()) {
                out = x.square().sum(ds, keepdim).sqrt();
            }
            int[] shape = x.shape();
            Tensor result = out;
            return Graph.record("NormBackward1", out, x, new Tensor[] {x, out}, g -> {
                Tensor outK = expandBack(result, shape, ds, keepdim);
                Tensor scale = expandBack(g, shape, ds, keepdim).div(outK).where(outK.ne(0.0), 0.0);
                return x.mul(scale);
            });
        }
        if (p == 1.0) return x.abs().sum(ds, keepdim);
        if (Double.isInfinite(p)) return p > 0 ? amax(x.abs(), ds, keepdim, true) : amax(x.abs(), ds, keepdim, false);
        if (p == 0.0) return x.ne(0.0).to(x.dtype()).sum(ds, keepdim);
        return x.abs().pow(p).sum(ds, keepdim).pow(1.0 / p);
    }

    public static Tensor cumsum(Tensor x, int dim) {
        if (x.dim() == 0) return x.clone();
        int d = Shapes.dim("cumsum", dim, x.dim());
        DType outType = x.dtype().isFloatingPoint() ? x.dtype() : DType.INT64;
        Tensor out = Kernels.empty(x, outType, x.shape());
        if (x.numel() > 0) x.backend().cumsum(x.strided(), d, out.strided());
        return Graph.record("CumsumBackward0", out, x, g -> g.flip(d).cumsum(d).flip(d));
    }

    /** any (true) / all (false) as bool. */
    public static Tensor any(Tensor x, int[] dims, boolean keepdim, boolean any) {
        int[] ds = dimsOf(any ? "any" : "all", x, dims);
        return reduceRaw(any ? ReduceOp.ANY : ReduceOp.ALL, x, ds, keepdim, DType.BOOL);
    }

    private static void requireFloat(String op, Tensor x) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expected a floating point tensor but got " + x.dtype());
        }
    }
}
