package dev.kindling.ops;

import dev.kindling.autograd.Graph;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.Arrays;

/**
 * torch.scatter_reduce: src's elements reduced into a copy of self at index along dim with sum,
 * prod, mean, amax or amin, with or without self's own value. The forward is one pass over the
 * index on the host; the backward is composed of gather/scatter so it is itself differentiable:
 * amax/amin share the gradient evenly among the values equal to the result (as PyTorch), prod
 * divides out each factor and handles zeros exactly by counting them.
 */
public final class ScatterReduce {
    private ScatterReduce() {}

    /** The reductions of torch.scatter_reduce. */
    public enum Reduce {
        SUM, PROD, MEAN, AMAX, AMIN;

        public static Reduce parse(String name) {
            return switch (name) {
                case "sum" -> SUM;
                case "prod" -> PROD;
                case "mean" -> MEAN;
                case "amax" -> AMAX;
                case "amin" -> AMIN;
                default -> throw new IllegalArgumentException("scatter_reduce: reduce argument must be either sum, prod, mean, amax or amin, got " + name);
            };
        }
    }

    public static Tensor scatterReduce(Tensor self, int dim, Tensor index, Tensor src, String reduce, boolean includeSelf) {
        return scatterReduce(self, dim, index, src, Reduce.parse(reduce), includeSelf);
    }

    public static Tensor scatterReduce(Tensor self, int dim, Tensor index, Tensor src, Reduce reduce, boolean includeSelf) {
        int d = Shapes.dim("scatter_reduce", dim, self.dim());
        if (index.dtype() != DType.INT64) throw new IllegalArgumentException("scatter_reduce: expected an int64 index but got " + index.dtype());
        if (src.dtype() != self.dtype()) {
            throw new IllegalArgumentException("scatter_reduce: expected self (" + self.dtype() + ") and src (" + src.dtype() + ") to have the same dtype");
        }
        if (index.dim() != self.dim() || src.dim() != self.dim()) {
            throw new IllegalArgumentException("scatter_reduce: index " + Shapes.str(index.shape()) + ", self " + Shapes.str(self.shape())
                    + " and src " + Shapes.str(src.shape()) + " must have the same number of dims");
        }
        int[] is = index.shape();
        for (int k = 0; k < is.length; k++) {
            if (is[k] > src.shape()[k] || (k != d && is[k] > self.shape()[k])) {
                throw new IllegalArgumentException("scatter_reduce: index " + Shapes.str(is) + " does not fit self " + Shapes.str(self.shape())
                        + " and src " + Shapes.str(src.shape()) + " at dim " + k);
            }
        }
        Indexing.checkIndex("scatter_reduce", index, self.dim() == 0 ? 1 : self.shape()[d], "index");
        Tensor srcPart = src.dim() == 0 ? src : srcView(src, is);
        Tensor out = forward(self, d, index, srcPart, reduce, includeSelf);
        int[] srcShape = src.shape();
        return Graph.record("ScatterReduceBackward0", out, new Tensor[] {self, src}, new Tensor[] {self, srcPart, index, out}, g -> {
            Tensor[] gs = backward(g, self, d, index, srcPart, out, reduce, includeSelf);
            return new Tensor[] {self.requiresGrad() ? gs[0] : null, src.requiresGrad() ? fit(gs[1], srcShape) : null};
        });
    }

    /** The leading index-shaped block of src (a differentiable view). */
    private static Tensor srcView(Tensor src, int[] shape) {
        Tensor t = src;
        for (int k = 0; k < shape.length; k++) t = t.narrow(k, 0, shape[k]);
        return t;
    }

    /** A gradient of index's shape padded with zeros up to src's shape. */
    private static Tensor fit(Tensor g, int[] shape) {
        if (Arrays.equals(g.shape(), shape)) return g;
        int[] pad = new int[2 * shape.length];
        for (int i = 0; i < shape.length; i++) pad[2 * (shape.length - 1 - i) + 1] = shape[i] - g.shape()[i];
        return g.pad(pad, 0.0);
    }

    private static Tensor forward(Tensor self, int d, Tensor index, Tensor src, Reduce reduce, boolean includeSelf) {
        int[] shape = self.shape();
        int[] strides = Shapes.contiguousStrides(shape);
        double[] out = self.toDoubleArray();
        double[] count = new double[out.length];
        boolean[] touched = new boolean[out.length];
        long[] idx = index.toLongArray();
        double[] s = src.toDoubleArray();
        int[] is = index.shape();
        int[] pos = new int[is.length];
        boolean integral = self.dtype().isIntegral();
        boolean f32 = self.dtype() == DType.FLOAT32;
        for (int n = 0; n < idx.length; n++) {
            int target = 0;
            for (int k = 0; k < is.length; k++) target += (k == d ? (int) idx[n] : pos[k]) * strides[k];
            if (!touched[target]) {
                touched[target] = true;
                count[target] = includeSelf ? 1 : 0;
                if (!includeSelf) out[target] = identity(reduce);
            }
            double v = s[n];
            double o = out[target];
            double r = switch (reduce) {
                case SUM, MEAN -> o + v;
                case PROD -> o * v;
                case AMAX -> Double.isNaN(o) || Double.isNaN(v) ? Double.NaN : Math.max(o, v);
                case AMIN -> Double.isNaN(o) || Double.isNaN(v) ? Double.NaN : Math.min(o, v);
            };
            out[target] = f32 ? (float) r : r; // accumulate in the tensor's own precision, as PyTorch's kernel
            count[target]++;
            for (int k = is.length - 1; k >= 0; k--) {
                if (++pos[k] < is[k]) break;
                pos[k] = 0;
            }
        }
        if (reduce == Reduce.MEAN) {
            for (int i = 0; i < out.length; i++) {
                if (touched[i] && count[i] > 0) out[i] = integral ? Math.floor(out[i] / count[i]) : out[i] / count[i];
            }
        }
        return Tensors.fromArray(out, shape).to(self.dtype()).to(self.device());
    }

    private static double identity(Reduce r) {
        return switch (r) {
            case SUM, MEAN -> 0.0;
            case PROD -> 1.0;
            case AMAX -> Double.NEGATIVE_INFINITY;
            case AMIN -> Double.POSITIVE_INFINITY;
        };
    }

    /** Gradients for self and for the index-shaped block of src. */
    private static Tensor[] backward(Tensor g, Tensor self, int d, Tensor index, Tensor src, Tensor out, Reduce reduce, boolean includeSelf) {
        Tensor ones = Tensors.onesLike(src).to(g.dtype());
        Tensor touched = Tensors.zerosLike(g).scatter(d, index, ones).gt(0.0);
        return switch (reduce) {
            case SUM -> new Tensor[] {includeSelf ? g : g.where(touched.logicalNot(), 0.0), g.gather(d, index)};
            case MEAN -> {
                Tensor cnt = (includeSelf ? Tensors.onesLike(g) : Tensors.zerosLike(g)).scatterAdd(d, index, ones).clampMin(1.0);
                Tensor share = g.div(cnt);
                yield new Tensor[] {includeSelf ? share : g.where(touched.logicalNot(), 0.0), share.gather(d, index)};
            }
            case AMAX, AMIN -> {
                Tensor result = out.detach();
                Tensor selfHit = includeSelf ? self.detach().eq(result) : touched.logicalNot();
                Tensor srcHit = src.detach().eq(result.gather(d, index));
                Tensor cnt = selfHit.to(g.dtype()).scatterAdd(d, index, srcHit.to(g.dtype()));
                Tensor share = g.div(cnt.clampMin(1.0));
                yield new Tensor[] {share.where(selfHit, 0.0), share.gather(d, index).where(srcHit, 0.0)};
            }
            case PROD -> {
                Tensor base = includeSelf ? self : Tensors.onesLike(self);
                Tensor srcZero = src.detach().eq(0.0);
                Tensor srcNz = src.where(srcZero.logicalNot(), 1.0);
                Tensor baseZero = base.detach().eq(0.0);
                Tensor baseNz = base.where(baseZero.logicalNot(), 1.0);
                Tensor zeros = baseZero.to(g.dtype()).scatterAdd(d, index, srcZero.to(g.dtype()));
                Tensor prodNz = scatterReduce(baseNz, d, index, srcNz, Reduce.PROD, true);
                Tensor result = scatterReduce(base, d, index, src, Reduce.PROD, true);
                Tensor ofSrcOnly = scatterReduce(Tensors.onesLike(self), d, index, src, Reduce.PROD, true);
                Tensor gSelf = includeSelf ? g.mul(ofSrcOnly) : g.where(touched.logicalNot(), 0.0);
                Tensor others = result.gather(d, index).div(srcNz)
                        .where(srcZero.logicalNot(), prodNz.where(zeros.eq(1.0), 0.0).gather(d, index));
                yield new Tensor[] {gSelf, g.gather(d, index).mul(others)};
            }
        };
    }
}
