package dev.kindling.ops;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.ArrayList;
import java.util.List;

/**
 * Order statistics beyond median: quantile (with PyTorch's five interpolation modes), nanmedian
 * and mode. Each finds positions (by sorting, or by counting on the host for mode) and gathers
 * the values there, so the gradient goes to the chosen elements (split by the interpolation
 * weights for quantile).
 */
public final class Quantiles {
    private Quantiles() {}

    /** The q-quantiles (q in [0, 1]) along dim (null: of all elements); see {@link #quantile(Tensor, Tensor, Integer, boolean, String)}. */
    public static Tensor quantile(Tensor x, double q, Integer dim, boolean keepdim, String interpolation) {
        return quantile(x, Kernels.scalarLike(x, q, x.dtype()), dim, keepdim, interpolation);
    }

    /**
     * torch.quantile: q a 0-d or 1-d tensor of x's dtype; a 1-d q prepends its length to the
     * result. The position q (n - 1) in the sorted line is read by "linear" (interpolated),
     * "lower", "higher", "nearest" (half to even) or "midpoint"; a line holding NaN gives NaN.
     */
    public static Tensor quantile(Tensor x, Tensor q, Integer dim, boolean keepdim, String interpolation) {
        return quantiles("quantile", x, q, dim, keepdim, interpolation, false);
    }

    /** torch.nanquantile: as quantile over each line's non-NaN values (NaN where there are none). */
    public static Tensor nanquantile(Tensor x, Tensor q, Integer dim, boolean keepdim, String interpolation) {
        return quantiles("nanquantile", x, q, dim, keepdim, interpolation, true);
    }

    public static Tensor nanquantile(Tensor x, double q, Integer dim, boolean keepdim, String interpolation) {
        return nanquantile(x, Kernels.scalarLike(x, q, x.dtype()), dim, keepdim, interpolation);
    }

    private static Tensor quantiles(String op, Tensor x, Tensor q, Integer dim, boolean keepdim, String interpolation, boolean ignoreNan) {
        if (!x.dtype().isFloatingPoint()) throw new IllegalArgumentException(op + ": input tensor must be either float or double dtype, got " + x.dtype());
        if (q.dtype() != x.dtype()) throw new IllegalArgumentException(op + ": q tensor must be same dtype as the input tensor, got " + q.dtype() + " and " + x.dtype());
        if (q.dim() > 1) throw new IllegalArgumentException(op + ": q must be a scalar or 1D tensor, got shape " + Shapes.str(q.shape()));
        if (x.numel() == 0) throw new IllegalArgumentException(op + ": input tensor must be non-empty");
        if (!List.of("linear", "lower", "higher", "nearest", "midpoint").contains(interpolation)) {
            throw new IllegalArgumentException(op + ": interpolation must be one of linear, lower, higher, midpoint or nearest. Got " + interpolation);
        }
        double[] qs = q.toDoubleArray();
        for (double v : qs) if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException(op + ": q values must be in the range [0, 1], got " + v);
        Tensor line = dim == null ? x.reshape(-1) : x.dim() == 0 ? x.reshape(1) : x;
        int d = dim == null ? 0 : Shapes.dim(op, dim, x.dim());
        int n = line.size(d);
        Tensor sorted = Sorting.sort(line, d, false).values(); // NaN sorts last
        Tensor valid = line.isnan().logicalNot().sum(new int[] {d}, true);
        long[] counts = valid.toLongArray();
        int[] lineShape = valid.shape();
        boolean f32 = x.dtype() == DType.FLOAT32;
        List<Tensor> results = new ArrayList<>();
        for (double qv : qs) {
            long[] lo = new long[counts.length];
            long[] hi = new long[counts.length];
            double[] w = new double[counts.length];
            for (int j = 0; j < counts.length; j++) {
                long m = ignoreNan ? counts[j] : n;
                // as PyTorch: a line with NaN (quantile) reads its last sorted element, an all-NaN line
                // (nanquantile) its first; both are NaN, and that element gets the gradient
                if (ignoreNan ? m == 0 : counts[j] < n) {
                    lo[j] = hi[j] = ignoreNan ? 0 : n - 1;
                    continue;
                }
                double rank = f32 ? (float) ((float) qv * (float) (m - 1)) : qv * (m - 1);
                lo[j] = (long) Math.floor(rank);
                hi[j] = (long) Math.ceil(rank);
                switch (interpolation) {
                    case "lower" -> hi[j] = lo[j];
                    case "higher" -> lo[j] = hi[j];
                    case "nearest" -> lo[j] = hi[j] = (long) Math.rint(rank);
                    case "midpoint" -> w[j] = 0.5;
                    default -> w[j] = f32 ? (float) (rank - lo[j]) : rank - lo[j];
                }
            }
            Tensor a = Indexing.gather(sorted, d, Tensors.fromArray(lo, lineShape).to(x.device()));
            Tensor b = Indexing.gather(sorted, d, Tensors.fromArray(hi, lineShape).to(x.device()));
            Tensor wt = Tensors.fromArray(w, lineShape).to(x.dtype()).to(x.device());
            // PyTorch's lerp: a + w (b - a) below w = 0.5, b - (1 - w)(b - a) from there, so w = 1 gives b exactly
            Tensor r = b.sub(b.sub(a).mul(wt.rsub(1.0))).where(wt.ge(0.5), a.add(b.sub(a).mul(wt)));
            results.add(shapeResult(r, x, dim, d, keepdim));
        }
        return q.dim() == 0 ? results.get(0) : Joining.stack(results, 0);
    }

    private static Tensor shapeResult(Tensor r, Tensor x, Integer dim, int d, boolean keepdim) {
        if (dim == null) {
            if (!keepdim) return r.reshape();
            int[] ones = new int[x.dim()];
            java.util.Arrays.fill(ones, 1);
            return r.reshape(ones);
        }
        if (x.dim() == 0) return r.reshape();
        return keepdim ? r : r.squeeze(d);
    }

    /** The lower median of the non-NaN values along dim with its position (NaN where a line is all NaN). */
    public static Reductions.ValuesIndices nanmedian(Tensor x, int dim, boolean keepdim) {
        int d = Shapes.dim("nanmedian", dim, x.dim());
        if (x.dim() == 0) return new Reductions.ValuesIndices(x.clone(), Tensors.zeros(DType.INT64));
        if (x.size(d) == 0) throw new IllegalArgumentException("nanmedian: expected reduction dim " + dim + " to have non-zero size");
        Tensor order = Sorting.argsort(x, d, false); // NaN sorts last
        Tensor numbers = x.isnan().logicalNot().sum(new int[] {d}, true);
        Tensor pos = numbers.sub(1.0).clampMin(0.0).floorDivide(2.0).to(DType.INT64);
        Tensor idx = Indexing.gather(order, d, pos);
        Tensor values = Indexing.gather(x, d, idx);
        return keepdim ? new Reductions.ValuesIndices(values, idx) : new Reductions.ValuesIndices(values.squeeze(d), idx.squeeze(d));
    }

    /** The lower median of all non-NaN elements. */
    public static Tensor nanmedian(Tensor x) {
        if (x.numel() == 0) throw new IllegalArgumentException("nanmedian: expected a non-empty tensor");
        return nanmedian(x.reshape(-1), 0, false).values();
    }

    /**
     * The most frequent value along dim (the smallest among equally frequent ones) with the
     * position of its last occurrence, as torch.mode on CPU.
     */
    public static Reductions.ValuesIndices mode(Tensor x, int dim, boolean keepdim) {
        int d = Shapes.dim("mode", dim, x.dim());
        if (x.dim() == 0) return new Reductions.ValuesIndices(x.clone(), Tensors.zeros(DType.INT64));
        int n = x.size(d);
        if (n == 0) throw new IllegalArgumentException("mode: expected reduction dim " + dim + " to have non-zero size");
        Tensor moved = x.movedim(d, -1).contiguous();
        double[] v = moved.toDoubleArray();
        int lines = v.length / n;
        long[] idx = new long[lines];
        Integer[] order = new Integer[n];
        for (int l = 0; l < lines; l++) {
            int base = l * n;
            for (int i = 0; i < n; i++) order[i] = i;
            java.util.Arrays.sort(order, (a, b) -> {
                int c = Double.compare(v[base + a], v[base + b]);
                return c != 0 ? c : Integer.compare(a, b);
            });
            int bestCount = 0;
            int best = 0;
            for (int i = 0; i < n; ) {
                int j = i;
                while (j + 1 < n && Double.compare(v[base + order[j + 1]], v[base + order[i]]) == 0) j++;
                if (j - i + 1 > bestCount) {
                    bestCount = j - i + 1;
                    best = order[j]; // the last occurrence of this value
                }
                i = j + 1;
            }
            idx[l] = best;
        }
        int[] shape = moved.shape();
        shape[shape.length - 1] = 1;
        Tensor index = Tensors.fromArray(idx, shape).to(x.device()).movedim(-1, d).contiguous();
        Tensor values = Indexing.gather(x, d, index);
        return keepdim ? new Reductions.ValuesIndices(values, index) : new Reductions.ValuesIndices(values.squeeze(d), index.squeeze(d));
    }
}
