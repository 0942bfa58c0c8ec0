package dev.kindling.autograd;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import static dev.kindling.autograd.Gradcheck.check;
import static dev.kindling.autograd.Gradcheck.checkSecondOrder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Float64 gradchecks of the math ops and activations added for issue 16, on non-contiguous,
 * broadcast, 0-d and empty inputs, each inside the domain where the function is smooth; second
 * derivatives where the backward is itself made of differentiable ops.
 */
class MathGradcheckTest {
    private long seed = 16;

    private Tensor uniform(double lo, double hi, int... shape) {
        return Tensors.rand(new Generator(seed++), DType.FLOAT64, shape).mul(hi - lo).add(lo).requiresGrad_(true);
    }

    /** A non-contiguous [rows, cols] leaf with values in [lo, hi). */
    private Tensor nc(double lo, double hi, int rows, int cols) {
        return Tensors.rand(new Generator(seed++), DType.FLOAT64, cols, rows).mul(hi - lo).add(lo).t().requiresGrad_(true);
    }

    private static Function<Tensor[], Tensor> f1(Function<Tensor, Tensor> f) { return xs -> f.apply(xs[0]); }

    private static Function<Tensor[], Tensor> f2(BiFunction<Tensor, Tensor, Tensor> f) { return xs -> f.apply(xs[0], xs[1]); }

    /** A function and an interval where it is smooth; needsADim for those that reject 0-d input (glu halves a dim). */
    private record Domain(Function<Tensor, Tensor> f, double lo, double hi, boolean needsADim) {
        Domain(Function<Tensor, Tensor> f, double lo, double hi) { this(f, lo, hi, false); }
    }

    private static final List<Domain> UNARY = List.of(
            new Domain(Tensor::tan, -1.2, 1.2), new Domain(Tensor::asin, -0.9, 0.9), new Domain(Tensor::acos, -0.9, 0.9),
            new Domain(Tensor::atan, -3, 3), new Domain(Tensor::sinh, -3, 3), new Domain(Tensor::cosh, -3, 3),
            new Domain(Tensor::asinh, -3, 3), new Domain(Tensor::acosh, 1.1, 4), new Domain(Tensor::atanh, -0.9, 0.9),
            new Domain(Tensor::log2, 0.1, 5), new Domain(Tensor::log10, 0.1, 5), new Domain(Tensor::exp2, -3, 3),
            new Domain(Tensor::erfc, -3, 3), new Domain(Tensor::frac, 0.1, 0.9), new Domain(Tensor::trunc, 0.1, 0.9),
            new Domain(Tensor::nanToNum, -3, 3),
            new Domain(Tensor::relu6, -8, 8), new Domain(x -> x.hardtanh(-0.5, 1.5), -3, 3), new Domain(Tensor::selu, -3, 3),
            new Domain(x -> x.celu(0.7), -3, 3), new Domain(Tensor::mish, -4, 4), new Domain(Tensor::hardswish, -5, 5),
            new Domain(Tensor::hardsigmoid, -5, 5), new Domain(Tensor::logsigmoid, -30, 30), new Domain(Tensor::softsign, -4, 4),
            new Domain(Tensor::tanhshrink, -3, 3), new Domain(x -> F.threshold(x, 0.25, -1.5), -3, 3),
            new Domain(x -> F.glu(x, 0), -3, 3, true), new Domain(x -> F.softmin(x, -1), -3, 3));

    @Test
    void unaryOpsOnNonContiguous0dAndEmptyInputs() {
        for (Domain d : UNARY) {
            check(f1(d.f()), nc(d.lo(), d.hi(), 4, 3));
            if (!d.needsADim()) check(f1(d.f()), uniform(d.lo(), d.hi()));
            Tensor empty = uniform(d.lo(), d.hi(), 0, 4);
            Tensor out = d.f().apply(empty);
            out.sum().backward();
            assertEquals(0, empty.grad().numel());
        }
    }

    @Test
    void secondDerivativesOfSmoothUnaryOps() {
        for (Domain d : UNARY.subList(0, 14)) checkSecondOrder(f1(d.f()), nc(d.lo(), d.hi(), 2, 3));
        for (Function<Tensor, Tensor> f : List.<Function<Tensor, Tensor>>of(Tensor::mish, Tensor::logsigmoid, Tensor::softsign,
                Tensor::tanhshrink, Tensor::selu)) {
            checkSecondOrder(f1(f), nc(-2, 2, 2, 3));
        }
    }

    @Test
    void binaryOpsWithBroadcastingAnd0dOperands() {
        check(f2(Tensor::atan2), nc(-2, 2, 3, 4), uniform(-2, 2, 4));
        check(f2(Tensor::hypot), uniform(-2, 2, 3, 1), nc(-2, 2, 3, 4));
        check(f2(Tensor::logaddexp), uniform(-5, 5), nc(-5, 5, 2, 3));
        check(f2(Tensor::logaddexp2), nc(-5, 5, 2, 3), uniform(-5, 5, 3));
        check(f2(Tensor::xlogy), nc(-2, 2, 3, 4), uniform(0.1, 3, 4));
        check(f2(Tensor::copysign), nc(0.2, 2, 3, 4), uniform(-2, 2, 4));
        check(f2(Tensor::fmod), nc(-5, 5, 3, 4), uniform(0.7, 1.9, 3, 1));
        check(f2(Tensor::remainder), nc(-5, 5, 3, 4), uniform(-1.9, -0.7));
        check(xs -> xs[0].lerp(xs[1], xs[2]), nc(-2, 2, 3, 4), uniform(-2, 2, 4), uniform(0, 1, 3, 1));
        check(f2((a, b) -> a.lerp(b, 0.3)), uniform(-2, 2), nc(-2, 2, 2, 3));
        check(xs -> xs[0].addcmul(xs[1], xs[2], 0.5), nc(-2, 2, 3, 4), uniform(-2, 2, 4), uniform(-2, 2, 3, 1));
        check(xs -> xs[0].addcdiv(xs[1], xs[2], -2.0), uniform(-2, 2), nc(-2, 2, 3, 4), uniform(0.5, 2, 4));
        check(f2(Tensor::floatPower), nc(0.5, 2, 3, 4), uniform(-1, 2, 4));
        check(xs -> xs[0].clamp(xs[1], xs[2]), nc(-2, 2, 3, 4), uniform(-1, 0, 4), uniform(0, 1, 3, 1));
        for (BiFunction<Tensor, Tensor, Tensor> f : List.<BiFunction<Tensor, Tensor, Tensor>>of(Tensor::atan2, Tensor::hypot,
                Tensor::logaddexp, Tensor::logaddexp2, Tensor::xlogy)) {
            checkSecondOrder(f2(f), uniform(0.5, 2, 2, 3), uniform(0.5, 2, 3));
        }
    }

    @Test
    void padModesGradcheck() {
        for (String mode : List.of("reflect", "replicate", "circular")) {
            check(f1(x -> x.pad(new int[] {2, 1, 1, 2}, mode, 0.0)), uniform(-2, 2, 1, 2, 3, 4));
            check(f1(x -> x.pad(new int[] {-1, 2}, mode, 0.0)), nc(-2, 2, 3, 4));
        }
    }

    @Test
    void nonSmoothPointsFollowPyTorch() {
        // hardtanh passes no gradient at its bounds (clamp does): PyTorch's strict inequalities.
        Tensor x = Tensors.tensor(-1.0, 0.0, 1.0).requiresGrad_(true);
        x.hardtanh(-1.0, 1.0).sum().backward();
        assertArrayEquals(new double[] {0.0, 1.0, 0.0}, x.grad().toDoubleArray());
        // trunc rounds toward zero, also for integer tensors, which keep their dtype
        Tensor ints = Tensors.fromArray(new long[] {-3, 4}, 2);
        assertEquals(DType.INT64, ints.trunc().dtype());
        assertEquals(-1.0, Tensors.tensor(-1.7).trunc().item());
        assertTrue(Double.isNaN(Tensors.tensor(1.5).atanh().item()));
        // logaddexp of two equal infinities is that infinity, not NaN
        Tensor inf = Tensors.tensor(Double.NEGATIVE_INFINITY);
        assertEquals(Double.NEGATIVE_INFINITY, inf.logaddexp(inf).item());
    }

    @Test
    void badArgumentsAreRejectedWithTheirNames() {
        var odd = assertThrows(IllegalArgumentException.class, () -> F.glu(Tensors.zeros(DType.FLOAT64, 3, 3), 0));
        assertTrue(odd.getMessage().contains("must be even but has size 3"), odd.getMessage());
        var bounds = assertThrows(IllegalArgumentException.class, () -> Tensors.zeros(DType.FLOAT64, 2).hardtanh(1.0, 0.0));
        assertTrue(bounds.getMessage().contains("min_val <= max_val"), bounds.getMessage());
        var reflect = assertThrows(IllegalArgumentException.class, () -> Tensors.zeros(DType.FLOAT64, 1, 3).pad(new int[] {3, 0}, "reflect", 0));
        assertTrue(reflect.getMessage().contains("must be at most 2"), reflect.getMessage());
        var mode = assertThrows(IllegalArgumentException.class, () -> Tensors.zeros(DType.FLOAT64, 1, 3).pad(new int[] {1, 1}, "mirror", 0));
        assertTrue(mode.getMessage().contains("'mirror'"), mode.getMessage());
    }
}
