package dev.kindling.ops;

import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.UnaryOp;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Storage;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.lang.ref.Reference;
import java.util.Arrays;

/**
 * Forward building blocks for the ops: allocate outputs on the input's device, cast, broadcast and
 * call backend primitives. Nothing here records autograd; the ops do that around these calls.
 */
public final class Kernels {
    private Kernels() {}

    /**
     * A new contiguous tensor on like's device with arbitrary contents (from the backend's buffer
     * pool, as {@code torch.empty}), for an output the caller's kernel overwrites entirely.
     */
    public static Tensor empty(Tensor like, DType dtype, int[] shape) {
        return Tensor.of(like.backend().allocateUninitialized(dtype, Shapes.numel(shape)), shape);
    }

    /**
     * A new tensor of like's shape with arbitrary contents (from the backend's buffer pool), for an
     * output the caller's kernel overwrites entirely; when like is a permutation of a contiguous
     * tensor (a transposed view, say), the new one gets the same memory order, as PyTorch's
     * elementwise ops do, so the kernel walks both in one contiguous run.
     */
    public static Tensor emptyLayoutOf(Tensor like, DType dtype, int[] shape) {
        Storage storage = like.backend().allocateUninitialized(dtype, Shapes.numel(shape));
        if (!Arrays.equals(like.shape(), shape) || !Shapes.isPermutedDense(like.shape(), like.strides())) {
            return Tensor.of(storage, shape);
        }
        return Tensor.of(storage, shape, Shapes.denseStridesLike(like.shape(), like.strides()), 0);
    }

    /** x converted to dtype (x itself when it has it already); no autograd. */
    public static Tensor cast(Tensor x, DType dtype) {
        if (x.dtype() == dtype) return x;
        Tensor out = emptyLayoutOf(x, dtype, x.shape());
        x.backend().copy(x.strided(), out.strided());
        return out;
    }

    /** A copy on another device; no autograd. */
    public static Tensor toDevice(Tensor x, Device device) {
        if (x.device().equals(device)) return x;
        Tensor out = Tensors.empty(x.dtype(), device, x.shape());
        // The non-CPU backend knows how to move data to and from host memory.
        if (device.isCpu()) x.backend().copy(x.strided(), out.strided());
        else out.backend().copy(x.strided(), out.strided());
        // Another device's backend reads x's raw array (a pooled one, maybe): keep x's storage alive until it is done.
        Reference.reachabilityFence(x);
        return out;
    }

    /** A view of x broadcast to shape (stride 0 along new and size-1 dims); no autograd, no checks. */
    public static Tensor broadcastView(Tensor x, int[] shape) {
        int[] xs = x.shape();
        int[] st = x.strides();
        if (Arrays.equals(xs, shape)) return x;
        int[] strides = new int[shape.length];
        int lead = shape.length - xs.length;
        for (int i = 0; i < xs.length; i++) strides[lead + i] = xs[i] == 1 && shape[lead + i] != 1 ? 0 : st[i];
        return x.viewOf(shape.clone(), strides, x.storageOffset()).detach();
    }

    /** A zero-dim tensor on like's device. */
    public static Tensor scalarLike(Tensor like, double value, DType dtype) {
        Tensor s = Tensors.empty(dtype, like.device());
        s.backend().fill(s.strided(), value);
        return s;
    }

    /** out = op(x), out of dtype outType (the backend computes in x's dtype, or int64 for narrow ints). */
    public static Tensor unary(UnaryOp op, Tensor x, DType outType) {
        Tensor out = emptyLayoutOf(x, outType, x.shape());
        x.backend().unary(op, x.strided(), out.strided());
        return out;
    }

    /** out = op(a, b) with a and b cast to compute and broadcast; out has dtype outType. */
    public static Tensor binary(String name, BinaryOp op, Tensor a, Tensor b, DType compute, DType outType) {
        checkDevices(name, a, b);
        int[] shape = Shapes.broadcast(name, a.shape(), b.shape());
        Tensor ac = broadcastView(cast(a, compute), shape);
        Tensor bc = broadcastView(cast(b, compute), shape);
        Tensor like = Arrays.equals(a.shape(), shape) ? a : b;
        Tensor out = emptyLayoutOf(like, outType, shape);
        out.backend().binary(op, ac.strided(), bc.strided(), out.strided());
        return out;
    }

    public static void checkDevices(String op, Tensor a, Tensor b) {
        if (!a.device().equals(b.device())) {
            throw new IllegalArgumentException(op + ": expected all tensors on the same device, but found "
                    + a.device() + " and " + b.device());
        }
    }

    /**
     * Sums a broadcast gradient back to the shape of the input it came from (differentiable):
     * leading dims are summed away, dims that were 1 are summed with keepdim.
     */
    public static Tensor sumToShape(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) return g;
        int lead = gs.length - shape.length;
        int count = 0;
        int[] dims = new int[gs.length];
        for (int i = 0; i < gs.length; i++) {
            boolean leading = i < lead;
            if (leading || (shape[i - lead] == 1 && gs[i] != 1)) dims[count++] = i;
        }
        Tensor s = count == 0 ? g : g.sum(Arrays.copyOf(dims, count), true);
        return s.reshape(shape);
    }

    /** PyTorch's default float type for integer inputs of float-only functions. */
    public static DType floatType(DType t) {
        return t.isFloatingPoint() ? t : DType.defaultFloat();
    }

    /** Result type of a tensor-tensor op under PyTorch's rules (zero-dim operands count less). */
    public static DType resultType(Tensor a, Tensor b) {
        boolean az = a.dim() == 0;
        boolean bz = b.dim() == 0;
        DType[] dims = az && bz ? new DType[0] : az ? new DType[] {b.dtype()} : bz ? new DType[] {a.dtype()}
                : new DType[] {a.dtype(), b.dtype()};
        DType[] zeros = az && bz ? new DType[] {a.dtype(), b.dtype()} : az ? new DType[] {a.dtype()}
                : bz ? new DType[] {b.dtype()} : new DType[0];
        return DType.resultType(dims, zeros, new DType.Category[0]);
    }

    /**
     * Result type of tensor op Java-scalar. A double with no fractional part counts as an integer
     * scalar (Java cannot tell 2 from 2.0 once both are doubles): int tensor + 2.0 stays int64,
     * int tensor + 0.5 becomes float32, float tensors keep their width.
     */
    public static DType resultType(Tensor a, double scalar) {
        DType.Category c = scalar == Math.rint(scalar) && !Double.isInfinite(scalar)
                ? DType.Category.INTEGER : DType.Category.FLOATING;
        DType[] dims = a.dim() == 0 ? new DType[0] : new DType[] {a.dtype()};
        DType[] zeros = a.dim() == 0 ? new DType[] {a.dtype()} : new DType[0];
        return DType.resultType(dims, zeros, new DType.Category[] {c});
    }
}
