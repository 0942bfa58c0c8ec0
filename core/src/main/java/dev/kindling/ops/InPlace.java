package dev.kindling.ops;

import dev.kindling.autograd.GradMode;
import dev.kindling.autograd.Graph;
import dev.kindling.backend.Backend;
import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.UnaryOp;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;

import java.util.Arrays;

/**
 * In-place ops (the trailing-underscore methods). Without autograd they write straight into the
 * tensor's memory and bump its version. When the op must be recorded, the out-of-place op runs and
 * its result is copied in, and the tensor takes over the result's history; tensors saved for an
 * earlier backward then fail their version check instead of giving silently wrong gradients.
 * Like PyTorch, they refuse to modify a leaf that requires grad while grad mode is on.
 */
public final class InPlace {
    private InPlace() {}

    public static Tensor unary(Tensor self, UnaryOp op) {
        if (recording(self, null)) return rebase(self, Elementwise.apply(op, savedCopy(self, op.kind() != UnaryOp.Kind.NEG)));
        self.backend().unary(op, self.strided(), self.strided());
        self.bumpVersion();
        return self;
    }

    public static Tensor binary(Tensor self, BinaryOp op, Tensor other) {
        int[] shape = Shapes.broadcast(op.kind().name().toLowerCase() + "_", self.shape(), other.shape());
        if (!Arrays.equals(shape, self.shape())) {
            throw new IllegalArgumentException(op.kind().name().toLowerCase() + "_: output with shape "
                    + Shapes.str(self.shape()) + " doesn't match the broadcast shape " + Shapes.str(shape));
        }
        DType result = Kernels.resultType(self, other);
        if (op.kind() == BinaryOp.Kind.DIV) result = Kernels.floatType(result);
        checkCast(op.kind().name().toLowerCase() + "_", result, self.dtype());
        if (recording(self, other)) {
            boolean saves = op.kind() != BinaryOp.Kind.ADD && op.kind() != BinaryOp.Kind.SUB;
            return rebase(self, Elementwise.apply(op, savedCopy(self, saves), other));
        }
        Kernels.checkDevices(op.kind().name().toLowerCase() + "_", self, other);
        Tensor b = Kernels.broadcastView(Kernels.cast(other, self.dtype()), shape);
        self.backend().binary(op, self.strided(), b.strided(), self.strided());
        self.bumpVersion();
        return self;
    }

    public static Tensor binaryScalar(Tensor self, BinaryOp op, double value) {
        DType result = Kernels.resultType(self, value);
        if (op.kind() == BinaryOp.Kind.DIV) result = Kernels.floatType(result);
        checkCast(op.kind().name().toLowerCase() + "_", result, self.dtype());
        if (recording(self, null)) return rebase(self, Elementwise.applyScalar(op, self, value));
        Tensor s = Kernels.scalarLike(self, value, self.dtype());
        self.backend().binary(op, self.strided(), Kernels.broadcastView(s, self.shape()).strided(), self.strided());
        self.bumpVersion();
        return self;
    }

    public static Tensor fill(Tensor self, double value) {
        if (self.isLeaf() && self.requiresGrad() && GradMode.isEnabled()) leafError("fill_");
        self.backend().fill(self.strided(), value);
        self.bumpVersion();
        if (!self.isLeaf() && GradMode.isEnabled()) {
            // The values no longer depend on anything: cut the history as PyTorch's fill_ does.
            Graph.rebaseHistory(self, Kernels.scalarLike(self, value, self.dtype()));
        }
        return self;
    }

    /** self[...] = src (broadcast and cast); differentiable with respect to src. */
    public static Tensor copy(Tensor self, Tensor src) {
        int[] shape = Shapes.broadcast("copy_", src.shape(), self.shape());
        if (!Arrays.equals(shape, self.shape())) {
            throw new IllegalArgumentException("copy_: source of shape " + Shapes.str(src.shape())
                    + " cannot be broadcast to " + Shapes.str(self.shape()));
        }
        if (recording(self, src)) {
            Tensor result = Views.to(src.expand(self.shape()), self.dtype());
            return rebase(self, Views.toDevice(result, self.device()));
        }
        Tensor s = Kernels.broadcastView(src, shape);
        if (s.device().equals(self.device())) self.backend().copy(s.strided(), self.strided());
        else self.backend().copy(Kernels.toDevice(s, self.device()).strided(), self.strided());
        self.bumpVersion();
        return self;
    }

    public static Tensor random(Tensor self, Backend.RandomKind kind, double a, double b, Generator g) {
        if (!self.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(kind.name().toLowerCase() + "_: expected a floating point tensor but got " + self.dtype());
        }
        try (var scope = GradMode.noGrad()) {
            self.backend().random(kind, self.strided(), g, a, b);
        }
        self.bumpVersion();
        return self;
    }

    /** True when the op must be recorded; throws for the cases PyTorch refuses. */
    private static boolean recording(Tensor self, Tensor other) {
        if (!GradMode.isEnabled()) return false;
        boolean needs = self.requiresGrad() || (other != null && other.requiresGrad());
        if (!needs) return false;
        if (self.isLeaf() && self.requiresGrad()) leafError("in-place operation");
        if (self.viewBase() != null) {
            throw new IllegalArgumentException("in-place operation on a view of another tensor while recording "
                    + "autograd is not supported; use the out-of-place op (e.g. x = x.add(y)) or wrap it in GradMode.noGrad()");
        }
        return true;
    }

    private static void leafError(String what) {
        throw new IllegalArgumentException("a leaf Variable that requires grad is being used in an " + what
                + "; wrap the update in GradMode.noGrad() (as optimizers do)");
    }

    /**
     * The input to record for an in-place op: when the op's backward saves its input, a copy, since
     * self is about to be overwritten (the copy's gradient flows into self's earlier history).
     */
    private static Tensor savedCopy(Tensor self, boolean opSavesInput) {
        return opSavesInput ? Views.clone(self) : self;
    }

    private static Tensor rebase(Tensor self, Tensor result) {
        try (var scope = GradMode.noGrad()) {
            self.backend().copy((result.dtype() == self.dtype() ? result : Kernels.cast(result, self.dtype())).strided(), self.strided());
        }
        self.bumpVersion();
        Graph.rebaseHistory(self, result);
        return self;
    }

    private static void checkCast(String op, DType from, DType to) {
        if (from.category().compareTo(to.category()) > 0) {
            throw new IllegalArgumentException(op + ": result type " + from + " can't be cast to the desired output type " + to);
        }
    }
}
