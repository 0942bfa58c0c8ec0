package dev.kindling.ops;

import dev.kindling.autograd.Graph;
import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.SpecialFunctions;
import dev.kindling.backend.UnaryOp;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import static dev.kindling.autograd.Graph.NO_TENSORS;

/**
 * Elementwise ops: arithmetic with broadcasting, math functions, activations, comparisons and
 * where. Each method computes its forward with one backend primitive and records its backward in
 * a line or two of Tensor ops (teenygrad's mlops style). The hot activations' gradients use fused
 * primitives ({@code *_BACKWARD}) that are themselves differentiable ops, so second derivatives work.
 */
public final class Elementwise {
    private Elementwise() {}

    private static Tensor[] saved(Tensor... t) { return t; }

    // ------------------------------------------------------------------ arithmetic

    /** a + alpha * b. */
    public static Tensor add(Tensor a, Tensor b, double alpha) {
        String name = alpha >= 0 ? "AddBackward0" : "SubBackward0";
        DType dt = Kernels.resultType(a, b);
        if (alpha < 0 && dt == DType.BOOL) {
            throw new IllegalArgumentException("sub: subtraction with two bool tensors is not supported; use logicalXor()");
        }
        Tensor out = Kernels.binary(alpha >= 0 ? "add" : "sub", BinaryOp.of(BinaryOp.Kind.ADD, alpha), a, b, dt, dt);
        int[] as = a.shape();
        int[] bs = b.shape();
        return Graph.record(name, out, new Tensor[] {a, b}, NO_TENSORS, g -> new Tensor[] {
                a.requiresGrad() ? Kernels.sumToShape(g, as) : null,
                b.requiresGrad() ? Kernels.sumToShape(alpha == 1.0 ? g : g.mul(alpha), bs) : null});
    }

    public static Tensor addScalar(Tensor a, double s) {
        DType dt = Kernels.resultType(a, s);
        Tensor out = Kernels.binary("add", BinaryOp.of(BinaryOp.Kind.ADD, 1.0), a, Kernels.scalarLike(a, s, dt), dt, dt);
        return Graph.record("AddBackward1", out, a, g -> g);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        DType dt = Kernels.resultType(a, b);
        Tensor out = Kernels.binary("mul", BinaryOp.of(BinaryOp.Kind.MUL), a, b, dt, dt);
        int[] as = a.shape();
        int[] bs = b.shape();
        return Graph.record("MulBackward0", out, new Tensor[] {a, b}, saved(a, b), g -> new Tensor[] {
                a.requiresGrad() ? Kernels.sumToShape(g.mul(b), as) : null,
                b.requiresGrad() ? Kernels.sumToShape(g.mul(a), bs) : null});
    }

    public static Tensor mulScalar(Tensor a, double s) {
        DType dt = Kernels.resultType(a, s);
        Tensor out = Kernels.binary("mul", BinaryOp.of(BinaryOp.Kind.MUL), a, Kernels.scalarLike(a, s, dt), dt, dt);
        return Graph.record("MulBackward1", out, a, g -> g.mul(s));
    }

    /** True division: integer inputs give float32, as torch.div. */
    public static Tensor div(Tensor a, Tensor b) {
        DType dt = Kernels.floatType(Kernels.resultType(a, b));
        Tensor out = Kernels.binary("div", BinaryOp.of(BinaryOp.Kind.DIV), a, b, dt, dt);
        int[] as = a.shape();
        int[] bs = b.shape();
        return Graph.record("DivBackward0", out, new Tensor[] {a, b}, saved(a, b), g -> new Tensor[] {
                a.requiresGrad() ? Kernels.sumToShape(g.div(b), as) : null,
                b.requiresGrad() ? Kernels.sumToShape(g.neg().mul(a).div(b.square()), bs) : null});
    }

    public static Tensor divScalar(Tensor a, double s) {
        DType dt = Kernels.floatType(Kernels.resultType(a, s));
        Tensor out = Kernels.binary("div", BinaryOp.of(BinaryOp.Kind.DIV), a, Kernels.scalarLike(a, s, dt), dt, dt);
        return Graph.record("DivBackward1", out, a, g -> g.div(s));
    }

    /** Ops with a Java-scalar right operand and no gradient beyond identity (remainder) or zero. */
    public static Tensor binaryScalar(BinaryOp.Kind kind, Tensor a, double s) {
        DType dt = Kernels.resultType(a, s);
        Tensor out = Kernels.binary(kind.name().toLowerCase(), BinaryOp.of(kind), a, Kernels.scalarLike(a, s, dt), dt, dt);
        if (kind == BinaryOp.Kind.REMAINDER) return Graph.record("RemainderBackward0", out, a, g -> g);
        return Graph.record("FloorDivideBackward0", out, a, Tensors::zerosLike);
    }

    public static Tensor pow(Tensor x, double p) {
        Tensor xf = Kernels.cast(x, p == Math.rint(p) && p >= 0 ? x.dtype() : Kernels.floatType(x.dtype()));
        Tensor out = Kernels.unary(UnaryOp.of(UnaryOp.Kind.POW_SCALAR, p), xf, xf.dtype());
        return Graph.record("PowBackward0", out, x, saved(x), g -> p == 0 ? Tensors.zerosLike(g)
                : p == 2 ? g.mul(x).mul(2.0) : g.mul(x.pow(p - 1)).mul(p));
    }

    public static Tensor pow(Tensor a, Tensor b) {
        DType dt = Kernels.floatType(Kernels.resultType(a, b));
        Tensor out = Kernels.binary("pow", BinaryOp.of(BinaryOp.Kind.POW), a, b, dt, dt);
        int[] as = a.shape();
        int[] bs = b.shape();
        return Graph.record("PowBackward1", out, new Tensor[] {a, b}, saved(a, b, out), g -> new Tensor[] {
                a.requiresGrad() ? Kernels.sumToShape(g.mul(b).mul(a.pow(b.sub(1.0))), as) : null,
                b.requiresGrad() ? Kernels.sumToShape(
                        g.mul(out).mul(a.log()).maskedFill(a.eq(0.0).logicalAnd(b.ge(0.0)), 0.0), bs) : null});
    }

    public static Tensor maximum(Tensor a, Tensor b) { return extremum(a, b, true); }

    public static Tensor minimum(Tensor a, Tensor b) { return extremum(a, b, false); }

    /** maximum/minimum; where the inputs tie, each gets half the gradient (PyTorch's rule). */
    private static Tensor extremum(Tensor a, Tensor b, boolean max) {
        DType dt = Kernels.resultType(a, b);
        Tensor out = Kernels.binary(max ? "maximum" : "minimum",
                BinaryOp.of(max ? BinaryOp.Kind.MAXIMUM : BinaryOp.Kind.MINIMUM), a, b, dt, dt);
        int[] as = a.shape();
        int[] bs = b.shape();
        return Graph.record(max ? "MaximumBackward0" : "MinimumBackward0", out, new Tensor[] {a, b}, saved(a, b), g -> {
            Tensor tie = a.eq(b);
            Tensor aWins = max ? a.gt(b) : a.lt(b);
            Tensor bWins = max ? b.gt(a) : b.lt(a);
            Tensor half = g.mul(0.5);
            return new Tensor[] {
                    a.requiresGrad() ? Kernels.sumToShape(g.where(aWins, 0.0).add(half.where(tie, 0.0)), as) : null,
                    b.requiresGrad() ? Kernels.sumToShape(g.where(bWins, 0.0).add(half.where(tie, 0.0)), bs) : null};
        });
    }

    // ------------------------------------------------------------------ unary math

    public static Tensor neg(Tensor x) {
        if (x.dtype() == DType.BOOL) throw new IllegalArgumentException("neg: negation of a bool tensor is not supported; use logicalNot()");
        Tensor out = Kernels.unary(UnaryOp.of(UnaryOp.Kind.NEG), x, x.dtype());
        return Graph.record("NegBackward0", out, x, Tensor::neg);
    }

    public static Tensor abs(Tensor x) {
        Tensor out = Kernels.unary(UnaryOp.of(UnaryOp.Kind.ABS), x, x.dtype());
        return Graph.record("AbsBackward0", out, x, saved(x), g -> g.mul(x.sign()));
    }

    public static Tensor sign(Tensor x) {
        Tensor out = Kernels.unary(UnaryOp.of(UnaryOp.Kind.SIGN), x, x.dtype());
        return Graph.record("SignBackward0", out, x, Tensors::zerosLike);
    }

    public static Tensor floor(Tensor x) { return rounding(x, UnaryOp.Kind.FLOOR, "FloorBackward0"); }

    public static Tensor ceil(Tensor x) { return rounding(x, UnaryOp.Kind.CEIL, "CeilBackward0"); }

    public static Tensor round(Tensor x) { return rounding(x, UnaryOp.Kind.ROUND, "RoundBackward0"); }

    private static Tensor rounding(Tensor x, UnaryOp.Kind kind, String name) {
        Tensor out = Kernels.unary(UnaryOp.of(kind), x, x.dtype());
        return Graph.record(name, out, x, Tensors::zerosLike);
    }

    public static Tensor square(Tensor x) {
        Tensor out = Kernels.unary(UnaryOp.of(UnaryOp.Kind.SQUARE), x, x.dtype() == DType.BOOL ? DType.INT64 : x.dtype());
        return Graph.record("PowBackward0", out, x, saved(x), g -> g.mul(x).mul(2.0));
    }

    /** A float-only function of one tensor; integer inputs are computed in float32. */
    static Tensor floatUnary(UnaryOp op, Tensor x) {
        DType dt = Kernels.floatType(x.dtype());
        return Kernels.unary(op, Kernels.cast(x, dt), dt);
    }

    public static Tensor exp(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.EXP), x);
        return Graph.record("ExpBackward0", y, x, saved(y), g -> g.mul(y));
    }

    public static Tensor log(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.LOG), x);
        return Graph.record("LogBackward0", y, x, saved(x), g -> g.div(x));
    }

    public static Tensor log1p(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.LOG1P), x);
        return Graph.record("Log1PBackward0", y, x, saved(x), g -> g.div(x.add(1.0)));
    }

    public static Tensor expm1(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.EXPM1), x);
        return Graph.record("Expm1Backward0", y, x, saved(y), g -> g.mul(y.add(1.0)));
    }

    public static Tensor sqrt(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.SQRT), x);
        return Graph.record("SqrtBackward0", y, x, saved(y), g -> g.div(y.mul(2.0)));
    }

    public static Tensor rsqrt(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.RSQRT), x);
        return Graph.record("RsqrtBackward0", y, x, saved(y), g -> g.mul(y.pow(3)).mul(-0.5));
    }

    public static Tensor reciprocal(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.RECIPROCAL), x);
        return Graph.record("ReciprocalBackward0", y, x, saved(y), g -> g.mul(y.square()).neg());
    }

    public static Tensor sin(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.SIN), x);
        return Graph.record("SinBackward0", y, x, saved(x), g -> g.mul(x.cos()));
    }

    public static Tensor cos(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.COS), x);
        return Graph.record("CosBackward0", y, x, saved(x), g -> g.mul(x.sin()).neg());
    }

    public static Tensor erf(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.ERF), x);
        return Graph.record("ErfBackward0", y, x, saved(x),
                g -> g.mul(x.square().neg().exp()).mul(2.0 / Math.sqrt(Math.PI)));
    }

    /** clamp(min, max): the gradient passes where min <= x <= max. NaN bounds mean none. */
    public static Tensor clamp(Tensor x, double min, double max) {
        if (!Double.isNaN(min) && !Double.isNaN(max) && min > max) {
            // PyTorch allows it and returns max everywhere; keep that but say nothing silently wrong happens.
            min = max;
        }
        double lo = min;
        double hi = max;
        DType dt = x.dtype().isIntegral() && (lo != Math.rint(lo) && !Double.isNaN(lo) || hi != Math.rint(hi) && !Double.isNaN(hi))
                ? DType.defaultFloat() : x.dtype();
        Tensor out = Kernels.unary(UnaryOp.of(UnaryOp.Kind.CLAMP, lo, hi), Kernels.cast(x, dt), dt);
        return Graph.record("ClampBackward1", out, x, saved(x), g -> {
            Tensor keep = Double.isNaN(lo) ? x.le(hi) : Double.isNaN(hi) ? x.ge(lo) : x.ge(lo).logicalAnd(x.le(hi));
            return g.where(keep, 0.0);
        });
    }

    // ------------------------------------------------------------------ activations

    public static Tensor relu(Tensor x) {
        Tensor y = Kernels.unary(UnaryOp.of(UnaryOp.Kind.RELU), x, x.dtype());
        return Graph.record("ReluBackward0", y, x, saved(y),
                g -> activationGrad(BinaryOp.Kind.THRESHOLD_BACKWARD, g, y, 0, 0));
    }

    public static Tensor sigmoid(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.SIGMOID), x);
        return Graph.record("SigmoidBackward0", y, x, saved(y),
                g -> activationGrad(BinaryOp.Kind.SIGMOID_BACKWARD, g, y, 0, 0));
    }

    public static Tensor tanh(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.TANH), x);
        return Graph.record("TanhBackward0", y, x, saved(y),
                g -> activationGrad(BinaryOp.Kind.TANH_BACKWARD, g, y, 0, 0));
    }

    public static Tensor gelu(Tensor x, boolean tanhApproximation) {
        Tensor y = floatUnary(UnaryOp.of(tanhApproximation ? UnaryOp.Kind.GELU_TANH : UnaryOp.Kind.GELU), x);
        BinaryOp.Kind grad = tanhApproximation ? BinaryOp.Kind.GELU_TANH_BACKWARD : BinaryOp.Kind.GELU_BACKWARD;
        return Graph.record("GeluBackward0", y, x, saved(x), g -> activationGrad(grad, g, x, 0, 0));
    }

    public static Tensor silu(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.SILU), x);
        return Graph.record("SiluBackward0", y, x, saved(x), g -> activationGrad(BinaryOp.Kind.SILU_BACKWARD, g, x, 0, 0));
    }

    public static Tensor softplus(Tensor x, double beta, double threshold) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.SOFTPLUS, beta, threshold), x);
        return Graph.record("SoftplusBackward0", y, x, saved(x),
                g -> activationGrad(BinaryOp.Kind.SOFTPLUS_BACKWARD, g, x, beta, threshold));
    }

    public static Tensor leakyRelu(Tensor x, double slope) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.LEAKY_RELU, slope), x);
        return Graph.record("LeakyReluBackward0", y, x, saved(x),
                g -> activationGrad(BinaryOp.Kind.LEAKY_RELU_BACKWARD, g, x, slope, 0));
    }

    public static Tensor elu(Tensor x, double alpha) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.ELU, alpha), x);
        return Graph.record("EluBackward0", y, x, saved(x), g -> activationGrad(BinaryOp.Kind.ELU_BACKWARD, g, x, alpha, 0));
    }

    /**
     * A fused activation gradient g * f'(s) (s is the saved input or output, per kind), recorded
     * with its own backward so that second derivatives flow through it.
     */
    static Tensor activationGrad(BinaryOp.Kind kind, Tensor g, Tensor s, double p, double q) {
        DType dt = g.dtype();
        Tensor out = Kernels.binary(kind.name().toLowerCase(), BinaryOp.of(kind, p, q), g, s, dt, dt);
        return Graph.record(camel(kind), out, new Tensor[] {g, s}, saved(g, s), gg -> new Tensor[] {
                g.requiresGrad() ? activationGrad(kind, gg, s, p, q) : null,
                s.requiresGrad() ? secondDerivative(kind, gg, g, s, p, q) : null});
    }

    private static String camel(BinaryOp.Kind kind) {
        StringBuilder sb = new StringBuilder();
        for (String part : kind.name().split("_")) sb.append(part.charAt(0)).append(part.substring(1).toLowerCase());
        return sb.append("Backward0").toString();
    }

    /** gg * g * f''(s), composed of differentiable ops; null where f'' is zero almost everywhere. */
    private static Tensor secondDerivative(BinaryOp.Kind kind, Tensor gg, Tensor g, Tensor s, double p, double q) {
        Tensor gg2 = gg.mul(g);
        return switch (kind) {
            case THRESHOLD_BACKWARD, LEAKY_RELU_BACKWARD -> Tensors.zerosLike(s);
            case SIGMOID_BACKWARD -> gg2.mul(s.mul(-2.0).add(1.0));
            case TANH_BACKWARD -> gg2.mul(s).mul(-2.0);
            case GELU_BACKWARD -> gg2.mul(s.square().neg().mul(0.5).exp().mul(SpecialFunctions.INV_SQRT_2PI))
                    .mul(s.square().neg().add(2.0));
            case GELU_TANH_BACKWARD -> {
                double k = SpecialFunctions.SQRT_2_OVER_PI;
                double c = 0.044715;
                Tensor u = s.add(s.pow(3).mul(c)).mul(k);
                Tensor t = u.tanh();
                Tensor sech2 = t.square().neg().add(1.0);
                Tensor du = s.square().mul(3 * c).add(1.0).mul(k);
                Tensor ddu = s.mul(6 * k * c);
                Tensor f2 = sech2.mul(du).add(s.mul(0.5).mul(sech2).mul(ddu.sub(t.mul(du.square()).mul(2.0))));
                yield gg2.mul(f2);
            }
            case SILU_BACKWARD -> {
                Tensor sg = s.sigmoid();
                yield gg2.mul(sg.mul(sg.rsub(1.0))).mul(s.mul(sg.mul(-2.0).add(1.0)).add(2.0));
            }
            case ELU_BACKWARD -> gg2.mul(s.exp().mul(p)).where(s.le(0.0), 0.0);
            case SOFTPLUS_BACKWARD -> {
                Tensor sg = s.mul(p).sigmoid();
                yield gg2.mul(sg.mul(sg.rsub(1.0)).mul(p)).where(s.mul(p).le(q), 0.0);
            }
            default -> throw new IllegalStateException("no second derivative for " + kind);
        };
    }

    // ------------------------------------------------------------------ comparisons, logic, where

    public static Tensor compare(BinaryOp.Kind kind, Tensor a, Tensor b) {
        DType dt = Kernels.resultType(a, b);
        return Kernels.binary(kind.name().toLowerCase(), BinaryOp.of(kind), a, b, dt, DType.BOOL);
    }

    public static Tensor compare(BinaryOp.Kind kind, Tensor a, double s) {
        DType dt = Kernels.resultType(a, s);
        return Kernels.binary(kind.name().toLowerCase(), BinaryOp.of(kind), a, Kernels.scalarLike(a, s, dt), dt, DType.BOOL);
    }

    public static Tensor predicate(UnaryOp.Kind kind, Tensor x) {
        return Kernels.unary(UnaryOp.of(kind), x, DType.BOOL);
    }

    /** cond ? a : b with broadcasting; gradients flow to the chosen side. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        if (cond.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("where: expected condition to be a bool tensor but got " + cond.dtype());
        }
        Kernels.checkDevices("where", a, b);
        Kernels.checkDevices("where", cond, a);
        DType dt = Kernels.resultType(a, b);
        int[] shape = Shapes.broadcast("where", cond.shape(), a.shape(), b.shape());
        Tensor out = Kernels.empty(a, dt, shape);
        out.backend().where(Kernels.broadcastView(cond, shape).strided(), Kernels.broadcastView(Kernels.cast(a, dt), shape).strided(),
                Kernels.broadcastView(Kernels.cast(b, dt), shape).strided(), out.strided());
        int[] as = a.shape();
        int[] bs = b.shape();
        return Graph.record("WhereBackward0", out, new Tensor[] {a, b}, saved(cond), g -> new Tensor[] {
                a.requiresGrad() ? Kernels.sumToShape(g.where(cond, 0.0), as) : null,
                b.requiresGrad() ? Kernels.sumToShape(Tensors.zerosLike(g).where(cond, g), bs) : null});
    }

    public static Tensor where(Tensor cond, Tensor a, double b) {
        DType dt = Kernels.resultType(a, b);
        return where(cond, a, Kernels.scalarLike(a, b, dt));
    }

    // ------------------------------------------------------------------ dispatch for in-place ops

    /** The recorded out-of-place form of a unary op (used by in-place ops under autograd). */
    static Tensor apply(UnaryOp op, Tensor x) {
        return switch (op.kind()) {
            case NEG -> neg(x);
            case ABS -> abs(x);
            case EXP -> exp(x);
            case LOG -> log(x);
            case SQRT -> sqrt(x);
            case SQUARE -> square(x);
            case TANH -> tanh(x);
            case SIGMOID -> sigmoid(x);
            case RELU -> relu(x);
            case CLAMP -> clamp(x, op.p(), op.q());
            case POW_SCALAR -> pow(x, op.p());
            default -> throw new IllegalArgumentException("in-place " + op.kind() + " is not supported with autograd");
        };
    }

    /** The recorded out-of-place form of a binary op with a Java-scalar operand (saves nothing). */
    static Tensor applyScalar(BinaryOp op, Tensor a, double s) {
        return switch (op.kind()) {
            case ADD -> addScalar(a, op.p() * s);
            case SUB -> addScalar(a, -op.p() * s);
            case MUL -> mulScalar(a, s);
            case DIV -> divScalar(a, s);
            default -> throw new IllegalArgumentException("in-place " + op.kind() + " is not supported with autograd");
        };
    }

    /** The recorded out-of-place form of a binary op. */
    static Tensor apply(BinaryOp op, Tensor a, Tensor b) {
        return switch (op.kind()) {
            case ADD -> add(a, b, op.p());
            case SUB -> add(a, b, -op.p());
            case MUL -> mul(a, b);
            case DIV -> div(a, b);
            case MAXIMUM -> maximum(a, b);
            case MINIMUM -> minimum(a, b);
            default -> throw new IllegalArgumentException("in-place " + op.kind() + " is not supported with autograd");
        };
    }
}
