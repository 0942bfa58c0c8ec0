package dev.kindling.autograd;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;

import static dev.kindling.autograd.Gradcheck.check;
import static dev.kindling.autograd.Gradcheck.checkSecondOrder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Float64 gradchecks of einsum (diagonals, ellipsis broadcasting, implicit output, three
 * operands) and of the order statistics quantile (every interpolation), nanmedian and mode.
 */
class EinsumAndOrderGradcheckTest {
    private long seed = 1700;

    private Tensor r(int... shape) {
        return Tensors.randn(new Generator(seed++), DType.FLOAT64, shape).requiresGrad_(true);
    }

    private Tensor nc(int rows, int cols) {
        return Tensors.randn(new Generator(seed++), DType.FLOAT64, cols, rows).t().requiresGrad_(true);
    }

    @Test
    void einsum() {
        check(xs -> Tensors.einsum("ij,jk->ik", xs[0], xs[1]), nc(3, 4), r(4, 2));
        check(xs -> Tensors.einsum("ii->i", xs[0]), r(3, 3));
        check(xs -> Tensors.einsum("iij,jk->k", xs[0], xs[1]), r(2, 2, 3), r(3, 2));
        check(xs -> Tensors.einsum("...ij,...jk", xs[0], xs[1]), r(2, 1, 2, 3), r(3, 3, 2));
        check(xs -> Tensors.einsum("bn,anm,bm->ba", xs[0], xs[1], xs[2]), r(2, 3), r(2, 3, 2), r(2, 2));
        check(xs -> Tensors.einsum(",->", xs[0], xs[1]), r(), r());
        checkSecondOrder(xs -> Tensors.einsum("ij,ij->i", xs[0], xs[1]), r(2, 3), r(2, 3));
    }

    @Test
    void orderStatistics() {
        for (String how : new String[] {"linear", "lower", "higher", "nearest", "midpoint"}) {
            check(xs -> xs[0].quantile(Tensors.tensor(0.1, 0.5, 0.85), -1, true, how), nc(3, 5));
        }
        check(xs -> xs[0].quantile(0.3), r(3, 4));
        check(xs -> xs[0].quantile(0.5, 0, false, "linear"), r());
        Tensor withNan = Tensors.tensor(1.0, Double.NaN, -2.0, 0.5, 3.0).requiresGrad_(true);
        check(xs -> xs[0].nanmedian(), withNan);
        check(xs -> xs[0].nanquantile(0.4, 0, false, "linear"), withNan);
        check(xs -> xs[0].nanquantile(Tensors.tensor(0.2, 0.9), 1, true, "midpoint"), nc(3, 4));
        check(xs -> xs[0].nanmedian(0, true).values(), nc(4, 3));
        Tensor repeated = Tensors.tensor(new double[][] {{1.0, 2.0, 2.0, 1.0, 3.0}, {4.0, 4.0, 0.0, 0.0, 0.0}}).requiresGrad_(true);
        // mode picks among equal values, so finite differences (which separate them) cannot check it;
        // its gradient is the closed form: the incoming gradient at the returned position, zero elsewhere.
        var mode = repeated.mode(1, false);
        mode.values().backward(Tensors.tensor(2.0, -3.0));
        double[] expected = new double[10];
        expected[(int) mode.indices().getLong(0)] = 2.0;
        expected[5 + (int) mode.indices().getLong(1)] = -3.0;
        assertArrayEquals(expected, repeated.grad().toDoubleArray());
    }
}
