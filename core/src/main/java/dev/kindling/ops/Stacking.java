package dev.kindling.ops;

import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * numpy-style splitting and stacking (tensor_split, hsplit/vsplit/dsplit, hstack/vstack/dstack,
 * column_stack, atleast_Nd) and meshgrid. All are compositions of views (narrow, slice, reshape,
 * expand) and cat, so their gradients are those of the pieces.
 */
public final class Stacking {
    private Stacking() {}

    /** {@code sections} pieces along dim; the first size % sections pieces are one longer (torch.tensor_split). */
    public static List<Tensor> tensorSplit(Tensor x, int sections, int dim) {
        if (x.dim() == 0) throw new IllegalArgumentException("tensor_split: expected at least a 1-dimensional tensor, but got a 0-d tensor");
        if (sections <= 0) throw new IllegalArgumentException("tensor_split: number of sections must be larger than 0, got " + sections);
        int d = Shapes.dim("tensor_split", dim, x.dim());
        int size = x.shape()[d];
        int each = size / sections;
        int extra = size % sections;
        List<Tensor> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < sections; i++) {
            int len = each + (i < extra ? 1 : 0);
            out.add(x.narrow(d, start, len));
            start += len;
        }
        return out;
    }

    /**
     * Pieces between the split indices along dim, each taken with Python slice semantics
     * ({@code x[prev:idx]}: negative indices count from the end, a piece may be empty).
     */
    public static List<Tensor> tensorSplit(Tensor x, int[] indices, int dim) {
        if (x.dim() == 0) throw new IllegalArgumentException("tensor_split: expected at least a 1-dimensional tensor, but got a 0-d tensor");
        int d = Shapes.dim("tensor_split", dim, x.dim());
        List<Tensor> out = new ArrayList<>();
        int start = 0;
        for (int idx : indices) {
            out.add(x.slice(d, start, idx));
            start = idx;
        }
        out.add(x.slice(d, start, Integer.MAX_VALUE));
        return out;
    }

    private static int splitDim(String op, Tensor x, int minDims, int dim) {
        if (x.dim() < minDims) {
            throw new IllegalArgumentException(op + ": requires a tensor with at least " + minDims + " dimension(s), but got a tensor with "
                    + x.dim() + " dimensions");
        }
        return dim;
    }

    /** Equal sections along dim (numpy's split): the size must be divisible by sections. */
    private static List<Tensor> evenSplit(String op, Tensor x, int sections, int dim) {
        int size = x.shape()[dim];
        if (sections <= 0 || size % sections != 0) {
            throw new IllegalArgumentException(op + ": torch." + op + " attempted to split along dimension " + dim
                    + ", but the size of the dimension " + size + " is not divisible by the split_size " + sections + "!");
        }
        return tensorSplit(x, sections, dim);
    }

    public static List<Tensor> hsplit(Tensor x, int sections) {
        return evenSplit("hsplit", x, sections, splitDim("hsplit", x, 1, x.dim() == 1 ? 0 : 1));
    }

    public static List<Tensor> hsplit(Tensor x, int[] indices) {
        return tensorSplit(x, indices, splitDim("hsplit", x, 1, x.dim() == 1 ? 0 : 1));
    }

    public static List<Tensor> vsplit(Tensor x, int sections) { return evenSplit("vsplit", x, sections, splitDim("vsplit", x, 2, 0)); }

    public static List<Tensor> vsplit(Tensor x, int[] indices) { return tensorSplit(x, indices, splitDim("vsplit", x, 2, 0)); }

    public static List<Tensor> dsplit(Tensor x, int sections) { return evenSplit("dsplit", x, sections, splitDim("dsplit", x, 3, 2)); }

    public static List<Tensor> dsplit(Tensor x, int[] indices) { return tensorSplit(x, indices, splitDim("dsplit", x, 3, 2)); }

    /** 0-d becomes shape [1]; others unchanged. */
    public static Tensor atleast1d(Tensor x) { return x.dim() == 0 ? x.reshape(1) : x; }

    /** 0-d becomes [1, 1], 1-d [n] becomes [1, n]. */
    public static Tensor atleast2d(Tensor x) {
        return switch (x.dim()) {
            case 0 -> x.reshape(1, 1);
            case 1 -> x.unsqueeze(0);
            default -> x;
        };
    }

    /** 0-d becomes [1, 1, 1], [n] becomes [1, n, 1], [m, n] becomes [m, n, 1]. */
    public static Tensor atleast3d(Tensor x) {
        return switch (x.dim()) {
            case 0 -> x.reshape(1, 1, 1);
            case 1 -> x.reshape(1, x.size(0), 1);
            case 2 -> x.unsqueeze(2);
            default -> x;
        };
    }

    private static List<Tensor> each(List<Tensor> ts, java.util.function.UnaryOperator<Tensor> f) {
        if (ts.isEmpty()) throw new IllegalArgumentException("stack: expected a non-empty list of tensors");
        List<Tensor> out = new ArrayList<>(ts.size());
        for (Tensor t : ts) out.add(f.apply(t));
        return out;
    }

    /** Joined along dim 1, or dim 0 when every input is at most 1-D. */
    public static Tensor hstack(List<Tensor> ts) {
        List<Tensor> xs = each(ts, Stacking::atleast1d);
        return Joining.cat(xs, xs.get(0).dim() == 1 ? 0 : 1);
    }

    public static Tensor vstack(List<Tensor> ts) { return Joining.cat(each(ts, Stacking::atleast2d), 0); }

    public static Tensor dstack(List<Tensor> ts) { return Joining.cat(each(ts, Stacking::atleast3d), 2); }

    /** 0-d and 1-d inputs become columns [n, 1]; then joined along dim 1. */
    public static Tensor columnStack(List<Tensor> ts) {
        return Joining.cat(each(ts, t -> t.dim() <= 1 ? t.reshape(t.numel(), 1) : t), 1);
    }

    /**
     * Coordinate grids of 0-d or 1-d tensors, as expanded views. "ij" gives dim i the length of
     * input i; "xy" swaps the first two dims (numpy's Cartesian indexing).
     */
    public static List<Tensor> meshgrid(List<Tensor> ts, String indexing) {
        if (!indexing.equals("ij") && !indexing.equals("xy")) {
            throw new IllegalArgumentException("meshgrid: indexing must be one of \"xy\" or \"ij\", but received: " + indexing);
        }
        if (ts.isEmpty()) throw new IllegalArgumentException("meshgrid: expects a non-empty TensorList");
        int n = ts.size();
        for (int i = 0; i < n; i++) {
            Tensor t = ts.get(i);
            if (t.dim() > 1) {
                throw new IllegalArgumentException("meshgrid: expected 0D or 1D tensor in the tensor list but got shape "
                        + Shapes.str(t.shape()) + " at position " + i);
            }
            if (t.dtype() != ts.get(0).dtype()) {
                throw new IllegalArgumentException("meshgrid: expects all tensors to have the same dtype, but got "
                        + ts.get(0).dtype() + " and " + t.dtype());
            }
        }
        boolean swap = indexing.equals("xy") && n >= 2;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (swap) {
            order[0] = 1;
            order[1] = 0;
        }
        int[] shape = new int[n];
        for (int i = 0; i < n; i++) shape[i] = ts.get(order[i]).numel();
        List<Tensor> out = new ArrayList<>(Arrays.asList(new Tensor[n]));
        for (int i = 0; i < n; i++) {
            int[] view = new int[n];
            Arrays.fill(view, 1);
            view[i] = shape[i];
            out.set(order[i], ts.get(order[i]).reshape(view).expand(shape));
        }
        return out;
    }
}
