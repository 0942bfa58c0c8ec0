package dev.kindling.autograd;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kindling.autograd.Gradcheck.check;
import static dev.kindling.autograd.Gradcheck.checkSecondOrder;

/**
 * Float64 gradchecks of the fifth batch of issue 16: special functions, index updates,
 * scatter_reduce (every reduction, with and without self), splits and stacks, diagonal views,
 * fused products, cross and the two-result reductions, on non-contiguous, 0-d and negative-dim
 * inputs.
 */
class IndexAndProductGradcheckTest {
    private long seed = 1600;

    private Tensor r(int... shape) {
        return Tensors.randn(new Generator(seed++), DType.FLOAT64, shape).requiresGrad_(true);
    }

    private Tensor nc(int rows, int cols) {
        return Tensors.randn(new Generator(seed++), DType.FLOAT64, cols, rows).t().requiresGrad_(true);
    }

    /** A non-contiguous leaf: a view of a fresh tensor, marked as requiring grad after the view is taken. */
    private Tensor leafView(java.util.function.UnaryOperator<Tensor> view, int... shape) {
        return view.apply(Tensors.randn(new Generator(seed++), DType.FLOAT64, shape)).requiresGrad_(true);
    }

    private static Tensor f64(double... v) { return Tensors.tensor(v).requiresGrad_(true); }

    private static Tensor longs(long... v) { return Tensors.tensor(v); }

    @Test
    void specialFunctions() {
        check(xs -> xs[0].erfinv(), f64(-0.9, -0.2, 0.0, 0.4, 0.97));
        check(xs -> xs[0].lgamma(), f64(-2.5, -0.3, 0.2, 1.5, 7.0));
        check(xs -> xs[0].digamma(), f64(-2.5, -0.3, 0.2, 1.5, 7.0));
        check(xs -> xs[0].polygamma(2), f64(0.3, 1.5, 4.0));
        checkSecondOrder(xs -> xs[0].lgamma(), f64(0.7, 2.5));
        checkSecondOrder(xs -> xs[0].erfinv(), f64(-0.5, 0.3));
        check(xs -> xs[0].digamma(), Tensors.scalar(1.7, DType.FLOAT64).requiresGrad_(true));
    }

    @Test
    void indexUpdates() {
        check(xs -> xs[0].take(longs(0, -1, 5, 5)), nc(3, 4));
        check(xs -> xs[0].indexFill(-1, longs(0, 2), 1.5), nc(3, 4));
        check(xs -> xs[0].indexCopy(0, longs(2, 0), xs[1]), r(3, 4), nc(2, 4));
        check(xs -> xs[0].indexPut(List.of(longs(1, 1, 3), longs(0, 0, -1)), xs[1], true), r(4, 3), r(3));
        check(xs -> xs[0].indexPut(List.of(longs(0, 2)), xs[1], false), nc(4, 3), r(3));
        check(xs -> xs[0].index(longs(0, 3, 3), longs(1, -1, 2)), r(4, 5));
        Tensor mask = Tensors.tensor(true, false, false, true);
        check(xs -> xs[0].maskedScatter(mask, xs[1]), r(3, 4), r(7));
    }

    @Test
    void scatterReduceEveryReduction() {
        Tensor index = Tensors.tensor(new long[] {0, 1, 0, 2, 0, 1, 1, 3, 3, 0}).reshape(2, 5);
        for (String reduce : new String[] {"sum", "prod", "mean", "amax", "amin"}) {
            for (boolean includeSelf : new boolean[] {true, false}) {
                check(xs -> xs[0].scatterReduce(1, index, xs[1], reduce, includeSelf), r(3, 4), r(2, 5));
            }
        }
        // prod through zeros: one zero in a group (its gradient is the product of the others), two zeros (none)
        Tensor self = f64(2.0, 0.0, 3.0);
        Tensor src = f64(0.0, 1.5, 4.0, 0.0, 0.0);
        check(xs -> xs[0].scatterReduce(0, longs(0, 0, 1, 2, 2), xs[1], "prod", true), self, src);
        check(xs -> xs[0].scatterReduce(-1, longs(0, 2, 2), xs[1], "sum", false), r(3), leafView(t -> t.select(1, 0), 3, 2));
    }

    @Test
    void splitsAndStacks() {
        check(xs -> xs[0].tensorSplit(3, 1).get(2), nc(3, 7));
        check(xs -> xs[0].tensorSplit(new int[] {-2, 3}, -1).get(2).mul(2.0).sum().add(xs[0].tensorSplit(new int[] {-2, 3}, -1).get(0).sum()), r(7));
        check(xs -> Tensors.hstack(List.of(xs[0], xs[1])), r(2, 3), nc(2, 1));
        check(xs -> Tensors.vstack(List.of(xs[0], xs[1])), r(3), r(2, 3));
        check(xs -> Tensors.dstack(List.of(xs[0], xs[1])), r(), r(1, 1, 2));
        check(xs -> Tensors.columnStack(List.of(xs[0], xs[1])), r(3), r(3, 2));
        check(xs -> Tensors.meshgrid(List.of(xs[0], xs[1]), "xy").get(1).mul(Tensors.meshgrid(List.of(xs[0], xs[1]), "xy").get(0)), r(3), r(4));
        check(xs -> xs[0].swapaxes(0, -1), r(2, 3, 4));
    }

    @Test
    void diagonalsAndProducts() {
        check(xs -> xs[0].diagonal(-1, 0, 2), leafView(t -> t.permute(2, 1, 0), 4, 2, 3));
        check(xs -> xs[0].diagonal(1, -1, -2), nc(3, 4));
        checkSecondOrder(xs -> xs[0].diagonal(0, 0, 1).square(), r(3, 3));
        check(xs -> xs[0].diagEmbed(-1, 0, 2), nc(3, 2));
        check(xs -> xs[0].addmm(xs[1], xs[2], 0.5, 2.0), r(4), nc(3, 2), r(2, 4));
        check(xs -> xs[0].addmm(xs[1], xs[2], 0.0, 1.0), r(3, 4), r(3, 2), r(2, 4));
        check(xs -> xs[0].baddbmm(xs[1], xs[2], -1.0, 0.5), r(2, 3, 4), r(2, 3, 5), leafView(t -> t.transpose(1, 2), 2, 4, 5));
        check(xs -> xs[0].addbmm(xs[1], xs[2], 0.3, 1.2), r(3, 4), r(2, 3, 5), r(2, 5, 4));
        check(xs -> xs[0].addmv(xs[1], xs[2], 2.0, -1.0), r(3), nc(3, 4), r(4));
        check(xs -> xs[0].addr(xs[1], xs[2], 1.0, 0.5), r(3, 4), r(3), r(4));
        check(xs -> xs[0].cross(xs[1], 1), nc(2, 3), r(1, 3));
        check(xs -> xs[0].cross(xs[1]), r(3, 3), r(3, 3));
    }

    @Test
    void twoResultReductions() {
        check(xs -> xs[0].aminmax(1, false).min().add(xs[0].aminmax(1, false).max().mul(3.0)), nc(3, 5));
        check(xs -> xs[0].aminmax().max(), r(2, 3));
        check(xs -> xs[0].aminmax(0, true).min(), r());
        check(xs -> xs[0].varMean(new int[] {-1, 0}, 0, true).spread(), nc(4, 3));
        check(xs -> xs[0].varMean(new int[] {1}, 2, false).mean(), r(3, 5));
        check(xs -> xs[0].stdMean(new int[] {1}, 1, false).spread().add(xs[0].stdMean(new int[] {1}, 1, false).mean()), nc(3, 5));
    }
}
