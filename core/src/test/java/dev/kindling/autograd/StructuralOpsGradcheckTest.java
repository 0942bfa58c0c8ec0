package dev.kindling.autograd;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;

import static dev.kindling.autograd.Gradcheck.check;
import static dev.kindling.autograd.Gradcheck.checkSecondOrder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Float64 gradchecks of the scans, sorting, triangle/diagonal and repetition ops of issue 16, on
 * non-contiguous, 0-d and negative-dim inputs, including cumprod through zeros.
 */
class StructuralOpsGradcheckTest {
    private long seed = 160;

    private Tensor r(int... shape) {
        return Tensors.randn(new Generator(seed++), DType.FLOAT64, shape).requiresGrad_(true);
    }

    private Tensor nc(int rows, int cols) {
        return Tensors.randn(new Generator(seed++), DType.FLOAT64, cols, rows).t().requiresGrad_(true);
    }

    @Test
    void scans() {
        check(xs -> xs[0].cumprod(1), nc(3, 4));
        check(xs -> xs[0].cumprod(-2), r(4, 2));
        checkSecondOrder(xs -> xs[0].cumprod(0), r(3, 2));
        Tensor zeros = Tensors.fromArray(new double[] {2.0, 0.0, 3.0, 0.0, 1.5, -2.0, 0.0, 4.0}, 2, 4).requiresGrad_(true);
        check(xs -> xs[0].cumprod(1), zeros);
        check(xs -> xs[0].logcumsumexp(1), nc(3, 4));
        checkSecondOrder(xs -> xs[0].logcumsumexp(-1), r(2, 3));
        check(xs -> xs[0].cumprod(0), r());
    }

    @Test
    void sortAndTopk() {
        check(xs -> xs[0].sort(0, true).values(), nc(4, 3));
        check(xs -> xs[0].sort(-1, false).values(), r(2, 5));
        check(xs -> xs[0].topk(2, 0, false).values(), nc(5, 3));
        check(xs -> xs[0].topk(3).values(), r(2, 6));
    }

    @Test
    void trianglesDiagonalsAndOuter() {
        check(xs -> xs[0].tril(-1), nc(4, 5));
        check(xs -> xs[0].triu(2), r(2, 3, 4));
        check(xs -> xs[0].diag(1), nc(3, 5));
        check(xs -> xs[0].diag(-2), r(3));
        check(xs -> xs[0].trace(), nc(3, 4));
        check(xs -> xs[0].outer(xs[1]), r(3), r(4));
    }

    @Test
    void repetition() {
        check(xs -> xs[0].repeat(2, 1, 3), nc(2, 3));
        check(xs -> xs[0].repeat(3), r());
        check(xs -> xs[0].tile(2), r(2, 3));
        check(xs -> xs[0].roll(new int[] {1, -3}, new int[] {0, -1}), nc(3, 4));
        check(xs -> xs[0].roll(new int[] {5}, new int[0]), nc(3, 4));
    }

    @Test
    void maskedFillBroadcastsTheInputUpToTheMask() {
        Tensor mask = Tensors.tensor(true, false, true, false, false, false, true, true).reshape(2, 4);
        check(xs -> xs[0].maskedFill(mask, 3.5), r(4));
        var inPlace = assertThrows(IllegalArgumentException.class, () -> Tensors.zeros(DType.FLOAT64, 4).maskedFill_(mask, 1.0));
        assertTrue(inPlace.getMessage().contains("mask of shape [2, 4] cannot be broadcast to the input's shape [4]"), inPlace.getMessage());
    }

    @Test
    void stdHasAZeroGradientWhereItIsZeroAndSecondDerivativesElsewhere() {
        Tensor x = Tensors.tensor(1.5).reshape().requiresGrad_(true);
        x.std(new int[] {0}, false, false).backward();
        assertArrayEquals(new double[] {0.0}, x.grad().toDoubleArray());
        checkSecondOrder(xs -> xs[0].std(new int[] {1}, true, false), r(2, 4));
    }

    @Test
    void sortIsStableAndPutsNanLast() {
        Tensor x = Tensors.tensor(2.0, Double.NaN, -0.0, 1.0, 0.0, 2.0, -1.0);
        assertArrayEquals(new long[] {6, 2, 4, 3, 0, 5, 1}, x.argsort(0, false).toLongArray());
        assertArrayEquals(new long[] {1, 0, 5, 3, 2, 4, 6}, x.argsort(0, true).toLongArray());
        var k = assertThrows(IllegalArgumentException.class, () -> x.topk(8));
        assertTrue(k.getMessage().contains("k must be in [0, 7]"), k.getMessage());
    }
}
