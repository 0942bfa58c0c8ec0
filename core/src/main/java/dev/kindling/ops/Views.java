package dev.kindling.ops;

import dev.kindling.autograd.Graph;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Ops that only change a tensor's metadata (shape, strides, offset) and share its storage, plus the
 * copies that look like them (clone, to). The gradient of a view maps the output's gradient back
 * onto the input's shape: reshape it, permute it back, sum what expand broadcast, or place it into
 * zeros where a slice came from.
 */
public final class Views {
    private Views() {}

    // ------------------------------------------------------------------ reshaping

    public static Tensor view(Tensor x, int[] shape) {
        int[] s = Shapes.infer("view", shape, x.numel(), x.shape());
        int[] strides = viewStrides(x.shape(), x.strides(), s);
        if (strides == null) {
            throw new IllegalArgumentException("view: size " + Shapes.str(s) + " is not compatible with input tensor's size "
                    + Shapes.str(x.shape()) + " and stride " + Arrays.toString(x.strides())
                    + " (at least one dimension spans across two contiguous subspaces). Use reshape(...) instead.");
        }
        return reshapeView(x, s, strides);
    }

    /** View when the strides allow it, else a contiguous copy. */
    public static Tensor reshape(Tensor x, int[] shape) {
        int[] s = Shapes.infer("reshape", shape, x.numel(), x.shape());
        int[] strides = viewStrides(x.shape(), x.strides(), s);
        if (strides == null) return view(clone(x), s);
        return reshapeView(x, s, strides);
    }

    private static Tensor reshapeView(Tensor x, int[] s, int[] strides) {
        int[] xs = x.shape();
        Tensor out = x.viewOf(s, strides, x.storageOffset());
        return Graph.record("ViewBackward0", out, x, g -> g.reshape(xs));
    }

    /**
     * Strides that let a tensor of shape/strides be viewed as newShape without copying, or null.
     * (PyTorch's computeStride: each run of dims that is contiguous in memory may be re-split.)
     */
    static int[] viewStrides(int[] shape, int[] strides, int[] newShape) {
        int numel = Shapes.numel(shape);
        if (numel == 0 || shape.length == 0) return Shapes.contiguousStrides(newShape);
        int[] newStrides = new int[newShape.length];
        int viewD = newShape.length - 1;
        long chunkBase = strides[strides.length - 1];
        long tensorNumel = 1;
        long viewNumel = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            tensorNumel *= shape[d];
            if (d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    newStrides[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0) {
                    chunkBase = strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? newStrides : null;
    }

    public static Tensor flatten(Tensor x, int start, int end) {
        if (x.dim() == 0) return reshape(x, new int[] {1});
        int s = Shapes.dim("flatten", start, x.dim());
        int e = Shapes.dim("flatten", end, x.dim());
        if (s > e) throw new IllegalArgumentException("flatten: start_dim " + start + " cannot come after end_dim " + end);
        int[] shape = x.shape();
        int[] out = new int[shape.length - (e - s)];
        int j = 0;
        for (int i = 0; i < s; i++) out[j++] = shape[i];
        int prod = 1;
        for (int i = s; i <= e; i++) prod *= shape[i];
        out[j++] = prod;
        for (int i = e + 1; i < shape.length; i++) out[j++] = shape[i];
        return reshape(x, out);
    }

    public static Tensor unflatten(Tensor x, int dim, int[] sizes) {
        int d = Shapes.dim("unflatten", dim, x.dim());
        int[] shape = x.shape();
        int[] inner = Shapes.infer("unflatten", sizes, shape[d], new int[] {shape[d]});
        int[] out = new int[shape.length - 1 + inner.length];
        System.arraycopy(shape, 0, out, 0, d);
        System.arraycopy(inner, 0, out, d, inner.length);
        System.arraycopy(shape, d + 1, out, d + inner.length, shape.length - d - 1);
        return view(x, out);
    }

    public static Tensor squeeze(Tensor x) {
        int[] shape = x.shape();
        int n = 0;
        for (int s : shape) if (s != 1) n++;
        int[] out = new int[n];
        int j = 0;
        for (int s : shape) if (s != 1) out[j++] = s;
        return Arrays.equals(out, shape) ? x : reshape(x, out);
    }

    public static Tensor squeeze(Tensor x, int dim) {
        if (x.dim() == 0) return x;
        int d = Shapes.dim("squeeze", dim, x.dim());
        if (x.shape()[d] != 1) return x;
        int[] shape = x.shape();
        int[] out = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != d) out[j++] = shape[i];
        return reshape(x, out);
    }

    public static Tensor unsqueeze(Tensor x, int dim) {
        int d = Shapes.dim("unsqueeze", dim, x.dim() + 1);
        int[] shape = x.shape();
        int[] strides = x.strides();
        int[] out = new int[shape.length + 1];
        int[] st = new int[shape.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) {
            if (i == d) {
                out[i] = 1;
                st[i] = d < shape.length ? strides[d] * shape[d] : 1;
            } else {
                out[i] = shape[j];
                st[i] = strides[j];
                j++;
            }
        }
        return reshapeView(x, out, st);
    }

    // ------------------------------------------------------------------ reordering

    public static Tensor permute(Tensor x, int[] dims) {
        int n = x.dim();
        if (dims.length != n) {
            throw new IllegalArgumentException("permute: number of dims don't match: tensor has " + n + " dims but "
                    + Arrays.toString(dims) + " has " + dims.length);
        }
        int[] p = new int[n];
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            p[i] = Shapes.dim("permute", dims[i], n);
            if (seen[p[i]]) throw new IllegalArgumentException("permute: dim " + p[i] + " repeats in " + Arrays.toString(dims));
            seen[p[i]] = true;
        }
        int[] shape = x.shape();
        int[] strides = x.strides();
        int[] s = new int[n];
        int[] st = new int[n];
        int[] inverse = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = shape[p[i]];
            st[i] = strides[p[i]];
            inverse[p[i]] = i;
        }
        Tensor out = x.viewOf(s, st, x.storageOffset());
        return Graph.record("PermuteBackward0", out, x, g -> g.permute(inverse));
    }

    public static Tensor transpose(Tensor x, int dim0, int dim1) {
        int n = x.dim();
        if (n == 0) return x;
        int a = Shapes.dim("transpose", dim0, n);
        int b = Shapes.dim("transpose", dim1, n);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        p[a] = b;
        p[b] = a;
        int[] shape = x.shape();
        int[] strides = x.strides();
        int[] s = new int[n];
        int[] st = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = shape[p[i]];
            st[i] = strides[p[i]];
        }
        Tensor out = x.viewOf(s, st, x.storageOffset());
        return Graph.record("TransposeBackward0", out, x, g -> g.transpose(a, b));
    }

    public static Tensor movedim(Tensor x, int source, int destination) {
        int n = x.dim();
        int s = Shapes.dim("movedim", source, n);
        int d = Shapes.dim("movedim", destination, n);
        int[] order = new int[n];
        int j = 0;
        for (int i = 0; i < n; i++) if (i != s) order[j++] = i;
        int[] perm = new int[n];
        for (int i = 0, k = 0; i < n; i++) perm[i] = i == d ? s : order[k++];
        return permute(x, perm);
    }

    /**
     * Reversal along dims as a view: negative strides, offset moved to the last element. An empty
     * dims list flips nothing, as torch.flip(x, []).
     */
    public static Tensor flip(Tensor x, int[] dims) {
        int[] ds = dims.length == 0 ? dims : Shapes.dims("flip", dims, x.dim());
        int[] shape = x.shape();
        int[] strides = x.strides();
        int offset = x.storageOffset();
        for (int d : ds) {
            if (shape[d] > 0) offset += (shape[d] - 1) * strides[d];
            strides[d] = -strides[d];
        }
        Tensor out = x.viewOf(shape, strides, offset);
        return Graph.record("FlipBackward0", out, x, g -> g.flip(ds));
    }

    /** Broadcast to sizes (-1 keeps a dim); new dims may be added in front. */
    public static Tensor expand(Tensor x, int[] sizes) {
        int[] shape = x.shape();
        int[] strides = x.strides();
        if (sizes.length < shape.length) {
            throw new IllegalArgumentException("expand: the number of sizes provided (" + sizes.length
                    + ") must be greater or equal to the number of dimensions in the tensor (" + shape.length + ")");
        }
        int lead = sizes.length - shape.length;
        int[] s = new int[sizes.length];
        int[] st = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            int want = sizes[i];
            if (i < lead) {
                if (want < 0) throw new IllegalArgumentException("expand: -1 is not allowed in a leading, non-existing dimension " + i);
                s[i] = want;
                st[i] = 0;
                continue;
            }
            int have = shape[i - lead];
            if (want == -1) want = have;
            if (have == want) {
                s[i] = have;
                st[i] = strides[i - lead];
            } else if (have == 1) {
                s[i] = want;
                st[i] = 0;
            } else {
                throw new IllegalArgumentException("expand: the expanded size of the tensor (" + want
                        + ") must match the existing size (" + have + ") at non-singleton dimension " + i
                        + ". Target sizes: " + Arrays.toString(sizes) + ". Tensor sizes: " + Shapes.str(shape));
            }
        }
        if (Arrays.equals(s, shape)) return x;
        Tensor out = x.viewOf(s, st, x.storageOffset());
        return Graph.record("ExpandBackward0", out, x, g -> Kernels.sumToShape(g, shape));
    }

    // ------------------------------------------------------------------ slicing

    public static Tensor narrow(Tensor x, int dim, int start, int length) {
        if (x.dim() == 0) throw new IllegalArgumentException("narrow: cannot be applied to a 0-dim tensor");
        int d = Shapes.dim("narrow", dim, x.dim());
        int size = x.shape()[d];
        int s = start < 0 ? start + size : start;
        if (s < 0 || s > size) {
            throw new IllegalArgumentException("narrow: start (" + start + ") is out of range for dim " + d + " of size " + size);
        }
        if (length < 0 || s + length > size) {
            throw new IllegalArgumentException("narrow: start (" + s + ") + length (" + length + ") exceeds dimension size (" + size + ")");
        }
        return sliceView(x, d, s, s + length, 1);
    }

    /** Python slice semantics: negative bounds count from the end, out-of-range bounds are clamped. */
    public static Tensor slice(Tensor x, int dim, int start, int end, int step) {
        if (x.dim() == 0) throw new IllegalArgumentException("slice: cannot be applied to a 0-dim tensor");
        if (step <= 0) throw new IllegalArgumentException("slice: step must be positive but got " + step);
        int d = Shapes.dim("slice", dim, x.dim());
        int size = x.shape()[d];
        int s = start < 0 ? Math.max(0, start + size) : Math.min(start, size);
        int e = end < 0 ? Math.max(0, end + size) : Math.min(end, size);
        if (e < s) e = s;
        return sliceView(x, d, s, e, step);
    }

    private static Tensor sliceView(Tensor x, int d, int start, int end, int step) {
        int[] shape = x.shape();
        int[] strides = x.strides();
        int len = (end - start + step - 1) / step;
        int offset = x.storageOffset() + start * strides[d];
        shape[d] = len;
        strides[d] *= step;
        Tensor out = x.viewOf(shape, strides, offset);
        int[] xs = x.shape();
        return Graph.record("SliceBackward0", out, x, g -> embed("SliceBackward0Backward", g, xs,
                t -> t.slice(d, start, end, step)));
    }

    public static Tensor select(Tensor x, int dim, int index) {
        if (x.dim() == 0) throw new IllegalArgumentException("select: cannot be applied to a 0-dim tensor");
        int d = Shapes.dim("select", dim, x.dim());
        int size = x.shape()[d];
        int i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            throw new IllegalArgumentException("select: index " + index + " out of range for tensor of size "
                    + Shapes.str(x.shape()) + " at dimension " + d);
        }
        int[] shape = x.shape();
        int[] strides = x.strides();
        int[] s = new int[shape.length - 1];
        int[] st = new int[shape.length - 1];
        for (int k = 0, j = 0; k < shape.length; k++) {
            if (k == d) continue;
            s[j] = shape[k];
            st[j] = strides[k];
            j++;
        }
        Tensor out = x.viewOf(s, st, x.storageOffset() + i * strides[d]);
        return Graph.record("SelectBackward0", out, x, g -> embed("SelectBackwardBackward0", g, shape, t -> t.select(d, i)));
    }

    /**
     * Zeros of {@code shape} with {@code g} written into {@code region(zeros)}: the gradient of a
     * slice-like view. Its own gradient is the same region of the incoming gradient.
     */
    static Tensor embed(String name, Tensor g, int[] shape, UnaryOperator<Tensor> region) {
        Tensor out = Tensors.zeros(g.dtype(), g.device(), shape);
        Tensor target;
        try (var scope = dev.kindling.autograd.GradMode.noGrad()) {
            target = region.apply(out);
        }
        out.backend().copy(g.strided(), target.strided());
        return Graph.record(name, out, g, region);
    }

    /** A view with explicit sizes, strides and storage offset (checked against the storage). */
    public static Tensor asStrided(Tensor x, int[] size, int[] stride, int storageOffset) {
        Tensor.of(x.storage(), size, stride, storageOffset); // validates bounds
        Tensor out = x.viewOf(size.clone(), stride.clone(), storageOffset);
        int[] xShape = x.shape();
        int[] xStrides = x.strides();
        int xOffset = x.storageOffset();
        long storageSize = x.storage().numel();
        return Graph.record("AsStridedBackward0", out, x, g -> {
            // Scatter-add the gradient onto the storage positions the view read, then read back the
            // positions x occupies: correct even when the view's elements overlap.
            int n = Math.toIntExact(storageSize);
            Tensor positions = Tensors.arange(n).asStrided(size, stride, storageOffset).reshape(-1);
            Tensor flat = Tensors.zeros(g.dtype(), g.device(), n).indexAdd(0, positions, g.reshape(-1));
            return flat.asStrided(xShape, xStrides, xOffset);
        });
    }

    // ------------------------------------------------------------------ copies

    public static Tensor clone(Tensor x) {
        Tensor out = Kernels.empty(x, x.dtype(), x.shape());
        x.backend().copy(x.strided(), out.strided());
        return Graph.record("CloneBackward0", out, x, g -> g);
    }

    public static Tensor to(Tensor x, DType dtype) {
        if (x.dtype() == dtype) return x;
        Tensor out = Kernels.cast(x, dtype);
        DType from = x.dtype();
        return Graph.record("ToCopyBackward0", out, x, g -> g.to(from));
    }

    public static Tensor toDevice(Tensor x, Device device) {
        if (x.device().equals(device)) return x;
        Tensor out = Kernels.toDevice(x, device);
        Device from = x.device();
        return Graph.record("ToCopyBackward0", out, x, g -> g.to(from));
    }
}
