package dev.kindling.ops;

import dev.kindling.autograd.GradMode;
import dev.kindling.autograd.Graph;
import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.SpecialFunctions;
import dev.kindling.backend.UnaryOp;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.function.Supplier;

import static dev.kindling.ops.Elementwise.floatUnary;

/**
 * The rest of torch's pointwise math: inverse and hyperbolic trigonometry, other logarithm bases,
 * rounding toward zero, C- and Python-style remainders, and the fused forms (logaddexp, xlogy,
 * lerp, addcmul...). Each computes its forward with one primitive, or a short composition run
 * without recording, and records the derivative PyTorch documents for it (derivatives.yaml).
 */
public final class MathFunctions {
    private MathFunctions() {}

    private static Tensor[] saved(Tensor... t) { return t; }

    /** Runs a composed forward without recording it, so that only the op's own node is recorded. */
    private static Tensor untracked(Supplier<Tensor> forward) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return forward.get();
        }
    }

    // ------------------------------------------------------------------ special functions

    /** The inverse error function; its derivative is sqrt(pi)/2 exp(erfinv(x)^2). */
    public static Tensor erfinv(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.ERFINV), x);
        return Graph.record("ErfinvBackward0", y, x, saved(y), g -> g.mul(y.square().exp().mul(Math.sqrt(Math.PI) / 2)));
    }

    /** log|Gamma(x)|; its derivative is digamma. */
    public static Tensor lgamma(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.LGAMMA), x);
        return Graph.record("LgammaBackward0", y, x, saved(x), g -> g.mul(digamma(x)));
    }

    public static Tensor digamma(Tensor x) { return polygamma(0, x); }

    /** The n-th derivative of digamma; its derivative is polygamma(n + 1). */
    public static Tensor polygamma(int n, Tensor x) {
        if (n < 0) throw new IllegalArgumentException("polygamma: n must be non-negative but got " + n);
        Tensor y = floatUnary(UnaryOp.of(n == 0 ? UnaryOp.Kind.DIGAMMA : UnaryOp.Kind.POLYGAMMA, n), x);
        return Graph.record(n == 0 ? "DigammaBackward0" : "PolygammaBackward0", y, x, saved(x), g -> g.mul(polygamma(n + 1, x)));
    }

    // ------------------------------------------------------------------ unary

    public static Tensor tan(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.TAN), x);
        return Graph.record("TanBackward0", y, x, saved(y), g -> g.mul(y.square().add(1.0)));
    }

    public static Tensor asin(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.ASIN), x);
        return Graph.record("AsinBackward0", y, x, saved(x), g -> g.mul(x.square().rsub(1.0).rsqrt()));
    }

    public static Tensor acos(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.ACOS), x);
        return Graph.record("AcosBackward0", y, x, saved(x), g -> g.mul(x.square().rsub(1.0).rsqrt()).neg());
    }

    public static Tensor atan(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.ATAN), x);
        return Graph.record("AtanBackward0", y, x, saved(x), g -> g.div(x.square().add(1.0)));
    }

    public static Tensor sinh(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.SINH), x);
        return Graph.record("SinhBackward0", y, x, saved(x), g -> g.mul(x.cosh()));
    }

    public static Tensor cosh(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.COSH), x);
        return Graph.record("CoshBackward0", y, x, saved(x), g -> g.mul(x.sinh()));
    }

    public static Tensor asinh(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.ASINH), x);
        return Graph.record("AsinhBackward0", y, x, saved(x), g -> g.mul(x.square().add(1.0).rsqrt()));
    }

    public static Tensor acosh(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.ACOSH), x);
        return Graph.record("AcoshBackward0", y, x, saved(x), g -> g.mul(x.square().sub(1.0).rsqrt()));
    }

    public static Tensor atanh(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.ATANH), x);
        return Graph.record("AtanhBackward0", y, x, saved(x), g -> g.div(x.square().rsub(1.0)));
    }

    public static Tensor log2(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.LOG2), x);
        return Graph.record("Log2Backward0", y, x, saved(x), g -> g.div(x.mul(SpecialFunctions.LN2)));
    }

    public static Tensor log10(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.LOG10), x);
        return Graph.record("Log10Backward0", y, x, saved(x), g -> g.div(x.mul(Math.log(10.0))));
    }

    public static Tensor exp2(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.EXP2), x);
        return Graph.record("Exp2Backward0", y, x, saved(y), g -> g.mul(y).mul(SpecialFunctions.LN2));
    }

    public static Tensor erfc(Tensor x) {
        Tensor y = floatUnary(UnaryOp.of(UnaryOp.Kind.ERFC), x);
        return Graph.record("ErfcBackward0", y, x, saved(x),
                g -> g.mul(x.square().neg().exp()).mul(-2.0 / Math.sqrt(Math.PI)));
    }

    /** Rounds toward zero; integer tensors keep their dtype. The gradient is zero, as PyTorch's. */
    public static Tensor trunc(Tensor x) {
        Tensor y = Kernels.unary(UnaryOp.of(UnaryOp.Kind.TRUNC), x, x.dtype());
        return Graph.record("TruncBackward0", y, x, Tensors::zerosLike);
    }

    /** x - trunc(x); the gradient passes unchanged. */
    public static Tensor frac(Tensor x) {
        if (!x.dtype().isFloatingPoint()) throw new IllegalArgumentException("frac: expected a floating-point tensor but got " + x.dtype());
        Tensor y = untracked(() -> x.sub(trunc(x)));
        return Graph.record("FracBackward0", y, x, g -> g);
    }

    /**
     * Replaces NaN by {@code nan}, +inf by {@code posinf} and -inf by {@code neginf}; null bounds
     * mean the dtype's largest and lowest finite values, as torch.nan_to_num. The gradient is zero
     * at the replaced elements.
     */
    public static Tensor nanToNum(Tensor x, double nan, Double posinf, Double neginf) {
        if (!x.dtype().isFloatingPoint()) return x.clone();
        double big = x.dtype() == DType.FLOAT64 ? Double.MAX_VALUE : Float.MAX_VALUE;
        double hi = posinf == null ? big : posinf;
        double lo = neginf == null ? -big : neginf;
        Tensor y = untracked(() -> {
            Tensor r = x.where(x.isnan().logicalNot(), nan);
            r = r.where(r.eq(Double.POSITIVE_INFINITY).logicalNot(), hi);
            return r.where(r.eq(Double.NEGATIVE_INFINITY).logicalNot(), lo);
        });
        return Graph.record("NanToNumBackward0", y, x, saved(x), g -> g.where(isfinite(x), 0.0));
    }

    public static Tensor isfinite(Tensor x) { return Elementwise.predicate(UnaryOp.Kind.ISFINITE, x); }

    /**
     * log(x / (1 - x)); with eps, x is first clamped to [eps, 1 - eps] and the gradient is 0
     * outside that interval, as torch.logit.
     */
    public static Tensor logit(Tensor x, Double eps) {
        Tensor z = eps == null ? x : x.clamp(eps, 1.0 - eps);
        return z.log().sub(z.neg().log1p());
    }

    /** sin(pi x) / (pi x), 1 at 0 (where the gradient is 0), as torch.sinc. */
    public static Tensor sinc(Tensor x) {
        Tensor zero = x.eq(0.0);
        // the division runs on a copy with 1 at the zeros, so its gradient there is finite, then masked
        Tensor safe = x.where(zero.logicalNot(), 1.0).mul(Math.PI);
        Tensor ratio = safe.sin().div(safe);
        return ratio.where(zero.logicalNot(), 1.0);
    }

    public static Tensor deg2rad(Tensor x) { return x.mul(Math.PI / 180.0); }

    public static Tensor rad2deg(Tensor x) { return x.mul(180.0 / Math.PI); }

    // ------------------------------------------------------------------ binary

    private static DType floatResult(Tensor a, Tensor b) { return Kernels.floatType(Kernels.resultType(a, b)); }

    public static Tensor atan2(Tensor a, Tensor b) {
        DType dt = floatResult(a, b);
        Tensor out = Kernels.binary("atan2", BinaryOp.of(BinaryOp.Kind.ATAN2), a, b, dt, dt);
        int[] as = a.shape();
        int[] bs = b.shape();
        return Graph.record("Atan2Backward0", out, new Tensor[] {a, b}, saved(a, b), g -> {
            Tensor r2 = a.square().add(b.square());
            return new Tensor[] {
                    a.requiresGrad() ? Kernels.sumToShape(g.mul(b).div(r2), as) : null,
                    b.requiresGrad() ? Kernels.sumToShape(g.mul(a).neg().div(r2), bs) : null};
        });
    }

    /** C-style remainder a - trunc(a / b) * b, the sign of the dividend, as torch.fmod. */
    public static Tensor fmod(Tensor a, Tensor b) {
        DType dt = Kernels.resultType(a, b);
        Tensor out = Kernels.binary("fmod", BinaryOp.of(BinaryOp.Kind.FMOD), a, b, dt, dt);
        int[] as = a.shape();
        int[] bs = b.shape();
        return Graph.record("FmodBackward1", out, new Tensor[] {a, b}, saved(a, b), g -> new Tensor[] {
                a.requiresGrad() ? Kernels.sumToShape(g, as) : null,
                b.requiresGrad() ? Kernels.sumToShape(g.mul(trunc(a.div(b))).neg(), bs) : null});
    }

    public static Tensor fmod(Tensor a, double b) {
        return fmod(a, Kernels.scalarLike(a, b, Kernels.resultType(a, b)));
    }

    /** Python-style remainder a - floor(a / b) * b, the sign of the divisor, as torch.remainder. */
    public static Tensor remainder(Tensor a, Tensor b) {
        DType dt = Kernels.resultType(a, b);
        Tensor out = Kernels.binary("remainder", BinaryOp.of(BinaryOp.Kind.REMAINDER), a, b, dt, dt);
        int[] as = a.shape();
        int[] bs = b.shape();
        return Graph.record("RemainderBackward1", out, new Tensor[] {a, b}, saved(a, b), g -> new Tensor[] {
                a.requiresGrad() ? Kernels.sumToShape(g, as) : null,
                b.requiresGrad() ? Kernels.sumToShape(g.mul(a.div(b).floor()).neg(), bs) : null});
    }

    public static Tensor hypot(Tensor a, Tensor b) {
        DType dt = floatResult(a, b);
        Tensor out = Kernels.binary("hypot", BinaryOp.of(BinaryOp.Kind.HYPOT), a, b, dt, dt);
        int[] as = a.shape();
        int[] bs = b.shape();
        return Graph.record("HypotBackward0", out, new Tensor[] {a, b}, saved(a, b, out), g -> new Tensor[] {
                a.requiresGrad() ? Kernels.sumToShape(g.mul(a).div(out), as) : null,
                b.requiresGrad() ? Kernels.sumToShape(g.mul(b).div(out), bs) : null});
    }

    /**
     * |a| with the sign of b. The gradient to a is g * sign(a) * sign(result) (zero where a is
     * zero); b gets none, as PyTorch.
     */
    public static Tensor copysign(Tensor a, Tensor b) {
        DType dt = floatResult(a, b);
        Tensor out = Kernels.binary("copysign", BinaryOp.of(BinaryOp.Kind.COPYSIGN), a, b, dt, dt);
        int[] as = a.shape();
        int[] bs = b.shape();
        return Graph.record("CopysignBackward0", out, new Tensor[] {a, b}, saved(a, out), g -> new Tensor[] {
                a.requiresGrad() ? Kernels.sumToShape(g.mul(a.sign().mul(out.sign())), as) : null,
                b.requiresGrad() ? Kernels.sumToShape(Tensors.zerosLike(g), bs) : null});
    }

    /** log(exp(a) + exp(b)) without overflow; each side's gradient is its softmax weight. */
    public static Tensor logaddexp(Tensor a, Tensor b) {
        Tensor out = untracked(() -> {
            Tensor af = a.to(floatResult(a, b));
            Tensor m = af.maximum(b);
            Tensor d = af.sub(b).abs().neg().exp().log1p();
            // where both are the same infinity, max + log1p(exp(-nan)) would be NaN; the answer is that infinity
            return m.add(d).where(af.eq(b).logicalAnd(isfinite(af).logicalNot()).logicalNot(), m);
        });
        int[] as = a.shape();
        int[] bs = b.shape();
        return Graph.record("LogaddexpBackward0", out, new Tensor[] {a, b}, saved(a, b), g -> new Tensor[] {
                a.requiresGrad() ? Kernels.sumToShape(g.mul(a.sub(b).sigmoid()), as) : null,
                b.requiresGrad() ? Kernels.sumToShape(g.mul(b.sub(a).sigmoid()), bs) : null});
    }

    /** log2(2^a + 2^b). */
    public static Tensor logaddexp2(Tensor a, Tensor b) {
        double ln2 = SpecialFunctions.LN2;
        Tensor out = untracked(() -> logaddexp(a.mul(ln2), b.mul(ln2)).div(ln2));
        int[] as = a.shape();
        int[] bs = b.shape();
        return Graph.record("Logaddexp2Backward0", out, new Tensor[] {a, b}, saved(a, b), g -> new Tensor[] {
                a.requiresGrad() ? Kernels.sumToShape(g.mul(a.sub(b).mul(ln2).sigmoid()), as) : null,
                b.requiresGrad() ? Kernels.sumToShape(g.mul(b.sub(a).mul(ln2).sigmoid()), bs) : null});
    }

    /**
     * x * log(y), with 0 where x is 0 (unless y is NaN), as torch.xlogy. The gradient to x is
     * g * log(y), zeroed where x == 0 and y <= 0 (PyTorch's rule, which keeps it finite there).
     */
    public static Tensor xlogy(Tensor x, Tensor y) {
        Tensor out = untracked(() -> {
            Tensor p = x.mul(y.log());
            return p.where(x.eq(0.0).logicalAnd(y.isnan().logicalNot()).logicalNot(), 0.0);
        });
        int[] xs = x.shape();
        int[] ys = y.shape();
        return Graph.record("XlogyBackward0", out, new Tensor[] {x, y}, saved(x, y), g -> new Tensor[] {
                x.requiresGrad() ? Kernels.sumToShape(g.mul(y.log()).where(x.eq(0.0).logicalAnd(y.le(0.0)).logicalNot(), 0.0), xs) : null,
                y.requiresGrad() ? Kernels.sumToShape(g.mul(x).div(y), ys) : null});
    }

    /** start + weight * (end - start), broadcast over all three. */
    public static Tensor lerp(Tensor start, Tensor end, Tensor weight) {
        return start.add(weight.mul(end.sub(start)));
    }

    public static Tensor lerp(Tensor start, Tensor end, double weight) {
        return start.add(end.sub(start).mul(weight));
    }

    /** input + value * t1 * t2. */
    public static Tensor addcmul(Tensor input, Tensor t1, Tensor t2, double value) {
        return input.add(t1.mul(t2), value);
    }

    /** input + value * t1 / t2. */
    public static Tensor addcdiv(Tensor input, Tensor t1, Tensor t2, double value) {
        return input.add(t1.div(t2), value);
    }

    /** Power computed in float64, as torch.float_power. */
    public static Tensor floatPower(Tensor x, Tensor exponent) {
        return x.to(DType.FLOAT64).pow(exponent.to(DType.FLOAT64));
    }

    public static Tensor floatPower(Tensor x, double exponent) {
        return x.to(DType.FLOAT64).pow(exponent);
    }
}
