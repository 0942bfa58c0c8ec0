package dev.kindling.ops;

import dev.kindling.autograd.GradMode;
import dev.kindling.autograd.Graph;
import dev.kindling.backend.StridedView;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/**
 * Indexing ops. Index values are checked here, before any kernel runs, so a bad index is an
 * {@link IllegalArgumentException} naming the op, the value and the valid range, never an
 * exception from inside a kernel loop. Gradients pair up: indexSelect with indexAdd, gather with
 * scatterAdd.
 */
public final class Indexing {
    private Indexing() {}

    static void checkIndex(String op, Tensor index, int size, String what) {
        if (index.dtype() != DType.INT64 && index.dtype() != DType.INT32) {
            throw new IllegalArgumentException(op + ": expected " + what + " to be an int64 (or int32) tensor but got " + index.dtype());
        }
        if (index.numel() == 0) return;
        long[] v = index.toLongArray();
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] >= size) {
                throw new IllegalArgumentException(op + ": index " + v[i] + " (at position " + i + " of " + what
                        + ") is out of range for a dimension of size " + size + " (expected 0 <= index < " + size + ")");
            }
        }
    }

    public static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        if (index.dim() > 1) throw new IllegalArgumentException("indexSelect: index must be 0-D or 1-D but has shape " + Shapes.str(index.shape()));
        Tensor xs = x.dim() == 0 ? x.reshape(1) : x;
        int d = Shapes.dim("indexSelect", dim, xs.dim());
        if (x.dim() == 0 && index.numel() != 1) {
            throw new IllegalArgumentException("indexSelect: the index into a 0-d tensor must have exactly 1 value but has "
                    + index.numel());
        }
        checkIndex("indexSelect", index, xs.shape()[d], "index");
        Tensor idx = Kernels.cast(index.reshape(-1), DType.INT64);
        int[] shape = xs.shape();
        shape[d] = idx.numel();
        Tensor out = Kernels.empty(x, x.dtype(), shape);
        if (out.numel() > 0) x.backend().indexSelect(xs.strided(), d, idx.strided(), out.strided());
        if (x.dim() == 0) out = out.reshape(); // PyTorch: selecting from a 0-d tensor gives a 0-d tensor
        int[] xShape = x.shape();
        return Graph.record("IndexSelectBackward0", out, x, new Tensor[] {idx},
                g -> indexAdd(Tensors.zeros(g.dtype(), g.device(), xShape.length == 0 ? new int[] {1} : xShape), d, idx,
                        xShape.length == 0 ? g.reshape(-1) : g).reshape(xShape));
    }

    /** self with source's slices added at index along dim (differentiable in self and source). */
    public static Tensor indexAdd(Tensor self, int dim, Tensor index, Tensor source) {
        int d = Shapes.dim("indexAdd", dim, self.dim());
        checkIndex("indexAdd", index, self.shape()[d], "index");
        int[] expect = self.shape();
        expect[d] = index.numel();
        if (!java.util.Arrays.equals(expect, source.shape())) {
            throw new IllegalArgumentException("indexAdd: source should have shape " + Shapes.str(expect) + " but has "
                    + Shapes.str(source.shape()));
        }
        Tensor idx = Kernels.cast(index.reshape(-1), DType.INT64);
        Tensor out = Kernels.empty(self, self.dtype(), self.shape());
        self.backend().copy(self.strided(), out.strided());
        if (idx.numel() > 0) out.backend().indexAdd(out.strided(), d, idx.strided(), Kernels.cast(source, self.dtype()).strided());
        return Graph.record("IndexAddBackward0", out, new Tensor[] {self, source}, new Tensor[] {idx}, g -> new Tensor[] {
                self.requiresGrad() ? g : null,
                source.requiresGrad() ? indexSelect(g, d, idx) : null});
    }

    private static void checkGatherShapes(String op, Tensor x, int d, Tensor index, Tensor src) {
        if (index.dim() != x.dim()) {
            throw new IllegalArgumentException(op + ": index tensor must have the same number of dimensions as input ("
                    + x.dim() + ") but has " + index.dim() + " (shape " + Shapes.str(index.shape()) + ")");
        }
        int[] xs = x.shape();
        int[] is = index.shape();
        for (int k = 0; k < xs.length; k++) {
            if (k != d && is[k] > xs[k]) {
                throw new IllegalArgumentException(op + ": size of index " + Shapes.str(is) + " does not fit input "
                        + Shapes.str(xs) + " at dimension " + k);
            }
            if (src != null && is[k] > src.shape()[k]) {
                throw new IllegalArgumentException(op + ": size of index " + Shapes.str(is) + " does not fit src "
                        + Shapes.str(src.shape()) + " at dimension " + k);
            }
        }
    }

    public static Tensor gather(Tensor x, int dim, Tensor index) {
        if (x.dim() == 0) return x.clone();
        int d = Shapes.dim("gather", dim, x.dim());
        if (index.dtype() != DType.INT64) {
            throw new IllegalArgumentException("gather: expected dtype int64 for index but got " + index.dtype());
        }
        checkGatherShapes("gather", x, d, index, null);
        checkIndex("gather", index, x.shape()[d], "index");
        Tensor out = Kernels.empty(x, x.dtype(), index.shape());
        if (out.numel() > 0) x.backend().gather(x.strided(), d, index.strided(), out.strided());
        int[] xShape = x.shape();
        return Graph.record("GatherBackward0", out, x, new Tensor[] {index},
                g -> scatter(Tensors.zeros(g.dtype(), g.device(), xShape), d, index, g, true));
    }

    /** A copy of self with src written (or, with accumulate, added) at index along dim. */
    public static Tensor scatter(Tensor self, int dim, Tensor index, Tensor src, boolean accumulate) {
        String op = accumulate ? "scatterAdd" : "scatter";
        int d = Shapes.dim(op, dim, self.dim());
        if (index.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": expected dtype int64 for index but got " + index.dtype());
        }
        checkGatherShapes(op, self, d, index, src);
        checkIndex(op, index, self.shape()[d], "index");
        Tensor out = Kernels.empty(self, self.dtype(), self.shape());
        self.backend().copy(self.strided(), out.strided());
        Tensor srcView = src.detach().viewOf(index.shape(), src.strides(), src.storageOffset()).detach();
        if (index.numel() > 0) out.backend().scatter(out.strided(), d, index.strided(), Kernels.cast(srcView, self.dtype()).strided(), accumulate);
        int[] srcShape = src.shape();
        return Graph.record(accumulate ? "ScatterAddBackward0" : "ScatterBackward0", out, new Tensor[] {self, src},
                new Tensor[] {index}, g -> new Tensor[] {
                        self.requiresGrad() ? (accumulate ? g : scatter(g, d, index, Tensors.zerosLike(g), false)) : null,
                        src.requiresGrad() ? placeInto(gather(g, d, index), srcShape) : null});
    }

    /** g (of index's shape) placed at the front of zeros of src's shape, for src larger than index. */
    private static Tensor placeInto(Tensor g, int[] shape) {
        if (java.util.Arrays.equals(g.shape(), shape)) return g;
        int[] pad = new int[2 * shape.length];
        for (int i = 0; i < shape.length; i++) pad[2 * (shape.length - 1 - i) + 1] = shape[i] - g.shape()[i];
        return g.pad(pad, 0.0);
    }

    public static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        return maskedFill(x, mask, Kernels.scalarLike(x, value, x.dtype()));
    }

    /**
     * x where mask is false, value (a 0-dim tensor, differentiable) where it is true. x and mask
     * broadcast against each other, so the result may be larger than x (as torch.masked_fill; the
     * in-place masked_fill_ needs the mask to fit x).
     */
    public static Tensor maskedFill(Tensor x, Tensor mask, Tensor value) {
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("maskedFill: expected mask to be a bool tensor but got " + mask.dtype());
        }
        if (value.dim() != 0) {
            throw new IllegalArgumentException("maskedFill: only supports a 0-dimensional value tensor, but got one with "
                    + value.dim() + " dimension(s)");
        }
        Shapes.broadcast("maskedFill", x.shape(), mask.shape());
        return Elementwise.where(mask, value.to(x.dtype()), x);
    }

    /** The elements of x where mask is true, as a 1-D tensor (differentiable in x). */
    public static Tensor maskedSelect(Tensor x, Tensor mask) {
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("maskedSelect: expected mask to be a bool tensor but got " + mask.dtype());
        }
        int[] shape = Shapes.broadcast("maskedSelect", x.shape(), mask.shape());
        Tensor positions = nonzero(Kernels.broadcastView(mask, shape).reshape(-1)).reshape(-1);
        return x.expand(shape).reshape(-1).indexSelect(0, positions);
    }

    public static Tensor nonzero(Tensor x) {
        StridedView indices = x.backend().nonzero(x.strided());
        return Tensor.of(indices.storage(), indices.shape());
    }

    /** int64 one-hot rows; numClasses = -1 infers max + 1, as F.one_hot. */
    public static Tensor oneHot(Tensor index, int numClasses) {
        if (index.dtype() != DType.INT64) {
            throw new IllegalArgumentException("oneHot: class values must be an int64 tensor but got " + index.dtype());
        }
        int classes = numClasses;
        if (classes < 0) {
            if (index.numel() == 0) throw new IllegalArgumentException("oneHot: cannot infer the number of classes from an empty tensor");
            classes = (int) index.amax().itemLong() + 1;
        }
        checkIndex("oneHot", index, classes, "class values");
        int[] shape = java.util.Arrays.copyOf(index.shape(), index.dim() + 1);
        shape[index.dim()] = classes;
        Tensor out = Tensors.zeros(DType.INT64, index.device(), shape);
        try (var scope = GradMode.noGrad()) {
            out.backend().scatter(out.strided(), index.dim(), index.unsqueeze(-1).strided(), Tensors.ones(DType.INT64, index.device(), index.shape()).unsqueeze(-1).strided(), false);
        }
        return out;
    }

    /**
     * Rows of weight [V, D] at integer indices of any shape, giving [..., D]; the gradient adds into
     * the rows used, except the row {@code paddingIdx} (pass null for none), which gets none.
     */
    public static Tensor embedding(Tensor indices, Tensor weight, Integer paddingIdx) {
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("embedding: weight must be 2-D [num_embeddings, embedding_dim] but has shape "
                    + Shapes.str(weight.shape()));
        }
        if (indices.dtype() != DType.INT64 && indices.dtype() != DType.INT32) {
            throw new IllegalArgumentException("embedding: expected indices of type int64 (or int32) but got " + indices.dtype());
        }
        int v = weight.size(0);
        checkIndex("embedding", indices, v, "input");
        Integer pad = paddingIdx == null ? null : (paddingIdx < 0 ? paddingIdx + v : paddingIdx);
        if (pad != null && (pad < 0 || pad >= v)) {
            throw new IllegalArgumentException("embedding: paddingIdx " + paddingIdx + " must be within [-" + v + ", " + v + ")");
        }
        Tensor flat = Kernels.cast(indices.reshape(-1), DType.INT64);
        int[] shape = java.util.Arrays.copyOf(indices.shape(), indices.dim() + 1);
        shape[indices.dim()] = weight.size(1);
        Tensor out = Kernels.empty(weight, weight.dtype(), new int[] {flat.numel(), weight.size(1)});
        if (out.numel() > 0) weight.backend().indexSelect(weight.strided(), 0, flat.strided(), out.strided());
        int[] wShape = weight.shape();
        Tensor recorded = Graph.record("EmbeddingBackward0", out, weight, new Tensor[] {flat}, g -> {
            Tensor grad = g;
            if (pad != null) grad = grad.maskedFill(flat.eq((double) pad).unsqueeze(1), 0.0);
            return indexAdd(Tensors.zeros(g.dtype(), g.device(), wShape), 0, flat, grad);
        });
        return recorded.reshape(shape);
    }
}
