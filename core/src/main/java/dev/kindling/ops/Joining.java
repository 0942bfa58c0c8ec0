package dev.kindling.ops;

import dev.kindling.autograd.GradMode;
import dev.kindling.autograd.Graph;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Joining and splitting: cat and stack copy into one new tensor (their gradients are slices of the
 * output's gradient); split, chunk and unbind return views; pad copies into a tensor filled with
 * a constant (negative padding crops).
 */
public final class Joining {
    private Joining() {}

    public static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("cat: expected a non-empty list of tensors");
        Tensor first = tensors.get(0);
        int nd = first.dim();
        if (nd == 0) throw new IllegalArgumentException("cat: zero-dimensional tensor (at position 0) cannot be concatenated");
        int d = Shapes.dim("cat", dim, nd);
        int[] shape = first.shape();
        int total = 0;
        DType dtype = first.dtype();
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t.dim() != nd) {
                throw new IllegalArgumentException("cat: tensors must have the same number of dimensions: got " + nd
                        + " and " + t.dim() + " (at position " + i + ")");
            }
            int[] s = t.shape();
            for (int k = 0; k < nd; k++) {
                if (k != d && s[k] != shape[k]) {
                    throw new IllegalArgumentException("cat: sizes of tensors must match except in dimension " + d
                            + ". Expected size " + shape[k] + " but got size " + s[k] + " for tensor number " + i + " in the list");
                }
            }
            Kernels.checkDevices("cat", first, t);
            dtype = DType.promote(dtype, t.dtype());
            total += s[d];
        }
        int[] outShape = shape.clone();
        outShape[d] = total;
        Tensor out = Kernels.empty(first, dtype, outShape);
        int[] offsets = new int[tensors.size()];
        int[] sizes = new int[tensors.size()];
        int off = 0;
        try (var scope = GradMode.noGrad()) {
            for (int i = 0; i < tensors.size(); i++) {
                Tensor t = tensors.get(i);
                offsets[i] = off;
                sizes[i] = t.shape()[d];
                if (sizes[i] > 0) out.backend().copy(t.strided(), out.narrow(d, off, sizes[i]).strided());
                off += sizes[i];
            }
        }
        Tensor[] inputs = tensors.toArray(new Tensor[0]);
        return Graph.record("CatBackward0", out, inputs, Graph.NO_TENSORS, g -> {
            Tensor[] grads = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++) grads[i] = inputs[i].requiresGrad() ? g.narrow(d, offsets[i], sizes[i]) : null;
            return grads;
        });
    }

    public static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("stack: expected a non-empty list of tensors");
        int[] shape = tensors.get(0).shape();
        int d = Shapes.dim("stack", dim, shape.length + 1);
        List<Tensor> expanded = new ArrayList<>(tensors.size());
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (!Arrays.equals(t.shape(), shape)) {
                throw new IllegalArgumentException("stack: expects each tensor to be equal size, but got " + Shapes.str(shape)
                        + " at entry 0 and " + Shapes.str(t.shape()) + " at entry " + i);
            }
            expanded.add(t.unsqueeze(d));
        }
        return cat(expanded, d);
    }

    public static List<Tensor> split(Tensor x, int splitSize, int dim) {
        if (splitSize <= 0) throw new IllegalArgumentException("split: split_size must be positive but got " + splitSize);
        int d = Shapes.dim("split", dim, x.dim());
        int size = x.shape()[d];
        List<Tensor> out = new ArrayList<>();
        for (int start = 0; start < size || (size == 0 && out.isEmpty()); start += splitSize) {
            out.add(x.narrow(d, start, Math.min(splitSize, size - start)));
            if (size == 0) break;
        }
        return out;
    }

    public static List<Tensor> split(Tensor x, int[] sizes, int dim) {
        int d = Shapes.dim("split", dim, x.dim());
        int sum = 0;
        for (int s : sizes) sum += s;
        if (sum != x.shape()[d]) {
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " sum to " + sum
                    + " but dim " + d + " has size " + x.shape()[d]);
        }
        List<Tensor> out = new ArrayList<>();
        int start = 0;
        for (int s : sizes) {
            out.add(x.narrow(d, start, s));
            start += s;
        }
        return out;
    }

    public static List<Tensor> chunk(Tensor x, int chunks, int dim) {
        if (chunks <= 0) throw new IllegalArgumentException("chunk: chunks must be positive but got " + chunks);
        int d = Shapes.dim("chunk", dim, x.dim());
        int size = x.shape()[d];
        int each = Math.max(1, (size + chunks - 1) / chunks);
        return split(x, each, d);
    }

    public static List<Tensor> unbind(Tensor x, int dim) {
        int d = Shapes.dim("unbind", dim, x.dim());
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < x.shape()[d]; i++) out.add(x.select(d, i));
        return out;
    }

    /**
     * Constant padding of the last dims, as {@code F.pad(x, pad, value=...)}: pad holds (left, right)
     * pairs starting from the last dim; negative amounts crop.
     */
    /**
     * pad with torch.nn.functional.pad's mode: "constant" (with value), "reflect" (mirror without
     * repeating the edge), "replicate" (repeat the edge) or "circular" (wrap around). The
     * non-constant modes gather each padded dim through an index, so their gradient is
     * index_select's: every output element adds its gradient to the input element it copies.
     */
    public static Tensor pad(Tensor x, int[] pad, String mode, double value) {
        if (mode.equals("constant")) return pad(x, pad, value);
        if (!mode.equals("reflect") && !mode.equals("replicate") && !mode.equals("circular")) {
            throw new IllegalArgumentException("pad: mode must be 'constant', 'reflect', 'replicate' or 'circular' but got '" + mode + "'");
        }
        if (pad.length % 2 != 0) throw new IllegalArgumentException("pad: padding length must be divisible by 2 but got " + pad.length);
        if (pad.length / 2 > x.dim()) {
            throw new IllegalArgumentException("pad: padding length " + pad.length + " is too large for a tensor of "
                    + x.dim() + " dims (at most " + 2 * x.dim() + ")");
        }
        Tensor out = x;
        for (int i = 0; i < pad.length / 2; i++) {
            int d = x.dim() - 1 - i;
            int left = pad[2 * i];
            int right = pad[2 * i + 1];
            int n = x.size(d);
            checkModePadding(mode, d, n, left, right);
            int outSize = n + left + right;
            if (outSize < 0) throw new IllegalArgumentException("pad: padding " + Arrays.toString(pad) + " leaves dim " + d + " with a negative size");
            long[] index = new long[outSize];
            for (int j = 0; j < outSize; j++) index[j] = source(mode, j - left, n);
            out = out.indexSelect(d, Tensors.fromArray(index, outSize));
        }
        return out;
    }

    private static void checkModePadding(String mode, int d, int n, int left, int right) {
        int most = mode.equals("reflect") ? n - 1 : n;
        if (mode.equals("replicate")) {
            if (n == 0 && (left > 0 || right > 0)) {
                throw new IllegalArgumentException("pad: replicate padding of dim " + d + " needs a non-empty dim but it has size 0");
            }
            return;
        }
        if (left > most || right > most) {
            throw new IllegalArgumentException("pad: " + mode + " padding of dim " + d + " must be at most " + most
                    + " (its size " + n + (mode.equals("reflect") ? " - 1" : "") + ") but got (" + left + ", " + right + ")");
        }
    }

    /** The input position an output position j (relative to the input's start) copies. */
    private static long source(String mode, int j, int n) {
        return switch (mode) {
            case "reflect" -> {
                int period = 2 * (n - 1);
                if (period == 0) yield 0;
                int k = Math.floorMod(j, period);
                yield k < n ? k : period - k;
            }
            case "replicate" -> Math.min(Math.max(j, 0), n - 1);
            default -> Math.floorMod(j, n);
        };
    }

    public static Tensor pad(Tensor x, int[] pad, double value) {
        if (pad.length % 2 != 0) throw new IllegalArgumentException("pad: padding length must be divisible by 2 but got " + pad.length);
        if (pad.length / 2 > x.dim()) {
            throw new IllegalArgumentException("pad: padding length " + pad.length + " is too large for a tensor of "
                    + x.dim() + " dims (at most " + 2 * x.dim() + ")");
        }
        int nd = x.dim();
        Tensor cropped = x;
        for (int i = 0; i < pad.length / 2; i++) {
            int d = nd - 1 - i;
            int left = pad[2 * i];
            int right = pad[2 * i + 1];
            int size = cropped.shape()[d];
            int start = Math.max(0, -left);
            int end = size - Math.max(0, -right);
            if (end < start) {
                throw new IllegalArgumentException("pad: negative padding " + Arrays.toString(pad) + " removes more than the "
                        + size + " elements of dim " + d);
            }
            if (start > 0 || end < size) cropped = cropped.narrow(d, start, end - start);
        }
        int[] outShape = cropped.shape();
        int[] starts = new int[nd];
        for (int i = 0; i < pad.length / 2; i++) {
            int d = nd - 1 - i;
            starts[d] = Math.max(0, pad[2 * i]);
            outShape[d] += Math.max(0, pad[2 * i]) + Math.max(0, pad[2 * i + 1]);
        }
        int[] inner = cropped.shape();
        UnaryOperator<Tensor> region = t -> {
            Tensor r = t;
            for (int d = 0; d < nd; d++) if (inner[d] != t.shape()[d]) r = r.narrow(d, starts[d], inner[d]);
            return r;
        };
        Tensor out = Tensors.full(value, cropped.dtype(), cropped.device(), outShape);
        try (var scope = GradMode.noGrad()) {
            out.backend().copy(cropped.strided(), region.apply(out).strided());
        }
        return Graph.record("ConstantPadNdBackward0", out, cropped, region);
    }
}
