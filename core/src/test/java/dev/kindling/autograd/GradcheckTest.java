package dev.kindling.autograd;

import dev.kindling.nn.functional.F;
import dev.kindling.nn.functional.Reduction;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static dev.kindling.autograd.Gradcheck.check;
import static dev.kindling.autograd.Gradcheck.checkSecondOrder;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A float64 gradcheck for every differentiable op, on odd shapes, broadcast operands,
 * non-contiguous inputs and size-1 dims. Second derivatives are checked for ops whose backward is
 * itself differentiable.
 */
class GradcheckTest {
    private long seed = 1;

    /** A float64 leaf with standard-normal values. */
    private Tensor r(int... shape) {
        return Tensors.randn(new Generator(seed++), DType.FLOAT64, shape).requiresGrad_(true);
    }

    /** Values away from zero, for functions with a kink or pole there. */
    private Tensor positive(int... shape) {
        return Tensors.rand(new Generator(seed++), DType.FLOAT64, shape).add(0.5).requiresGrad_(true);
    }

    /** A non-contiguous leaf of the given shape (a transposed view of its storage). */
    private Tensor nc(int rows, int cols) {
        return Tensors.randn(new Generator(seed++), DType.FLOAT64, cols, rows).t().requiresGrad_(true);
    }

    private static Function<Tensor[], Tensor> f1(Function<Tensor, Tensor> f) { return xs -> f.apply(xs[0]); }

    private static Function<Tensor[], Tensor> f2(java.util.function.BiFunction<Tensor, Tensor, Tensor> f) {
        return xs -> f.apply(xs[0], xs[1]);
    }

    @Test
    void arithmeticWithBroadcastingAndNonContiguousInputs() {
        check(f2(Tensor::add), r(3, 1, 5), r(4, 1));
        check(f2((a, b) -> a.sub(b, 2.5)), nc(4, 3), r(3));
        check(f2(Tensor::mul), r(2, 3), nc(2, 3));
        check(f2(Tensor::div), r(1, 4), positive(3, 1));
        check(f2(Tensor::pow), positive(3, 4), r(4));
        check(f1(x -> x.add(3).mul(-2).div(4).sub(1)), r(5));
        check(f1(x -> x.rsub(2)), r(1, 1));
        check(f2(Tensor::maximum), r(3, 4), r(4));
        check(f2(Tensor::minimum), r(3, 1), nc(3, 3));
        Tensor tie = Tensors.tensor(1.0, 2.0, 3.0).requiresGrad_(true);
        check(f2(Tensor::maximum), tie, Tensors.tensor(1.0, 0.0, 5.0).requiresGrad_(true));
        check(f1(x -> x.remainder(1.5)), Tensors.tensor(0.3, 2.2, -1.1).requiresGrad_(true));
    }

    @Test
    void unaryMath() {
        for (Function<Tensor, Tensor> f : List.<Function<Tensor, Tensor>>of(Tensor::neg, Tensor::exp, Tensor::sin,
                Tensor::cos, Tensor::tanh, Tensor::sigmoid, Tensor::erf, Tensor::square, Tensor::expm1, Tensor::silu,
                Tensor::gelu, x -> x.gelu(true), Tensor::softplus, x -> x.softplus(2.0, 1.0), x -> x.leakyRelu(0.2),
                x -> x.elu(0.7), x -> x.pow(3), x -> x.clamp(-0.5, 0.7), Tensor::abs, Tensor::relu)) {
            check(f1(f), nc(3, 4));
        }
        for (Function<Tensor, Tensor> f : List.<Function<Tensor, Tensor>>of(Tensor::log, Tensor::sqrt, Tensor::rsqrt,
                Tensor::reciprocal, Tensor::log1p, x -> x.pow(0.5), x -> x.pow(-1.5))) {
            check(f1(f), positive(2, 1, 3));
        }
        check(f1(x -> x.floor().add(x.sign()).add(x.round()).add(x.ceil())), r(4)); // zero gradients
    }

    @Test
    void reductions() {
        check(f1(Tensor::sum), r(3, 4));
        check(f1(x -> x.sum(new int[] {0, 2}, true)), r(2, 3, 4));
        check(f1(x -> x.mean(-1)), nc(3, 5));
        check(f1(x -> x.prod(1, false)), r(3, 4));
        check(f1(Tensor::prod), Tensors.tensor(new double[][] {{2, 0, 3}, {1, 0.5, 4}}).requiresGrad_(true));
        check(f1(x -> x.prod(1, true)), Tensors.tensor(new double[][] {{2, 0, 3}, {0, 0, 4}, {1, 2, 3}}).requiresGrad_(true));
        check(f1(x -> x.amax(new int[] {1}, false)), r(3, 5));
        check(f1(x -> x.amin(new int[] {0, 1}, true)), r(2, 3));
        check(f1(x -> x.amax(new int[] {1}, false)), Tensors.tensor(new double[][] {{1, 3, 3}, {2, 2, 0}}).requiresGrad_(true));
        check(f1(Tensor::max), Tensors.tensor(1.0, 4.0, 4.0, 2.0).requiresGrad_(true));
        check(f1(x -> x.max(1).values()), r(4, 3));
        check(f1(x -> x.min(0, true).values()), nc(3, 4));
        check(f1(x -> x.var(new int[] {1}, true, false)), r(3, 5));
        check(f1(x -> x.std(new int[] {0}, false, true)), r(4, 2));
        check(f1(Tensor::std), r(6));
        check(f1(x -> x.logsumexp(new int[] {1}, false)), r(3, 6).mul(10).detach().requiresGrad_(true));
        check(f1(x -> x.norm()), r(3, 4));
        check(f1(x -> x.norm(1)), r(5));
        check(f1(x -> x.norm(3, new int[] {1}, false)), r(2, 4));
        check(f1(x -> x.norm(Double.POSITIVE_INFINITY)), Tensors.tensor(1.0, -3.0, 2.0).requiresGrad_(true));
        check(f1(x -> x.cumsum(1)), nc(3, 4));
    }

    @Test
    void viewsAndJoining() {
        check(f1(x -> x.view(4, 3)), r(2, 6));
        check(f1(x -> x.reshape(-1)), nc(3, 4));
        check(f1(x -> x.permute(2, 0, 1)), r(2, 3, 4));
        check(f1(x -> x.transpose(0, 2).mul(2)), r(2, 1, 3));
        check(f1(x -> x.expand(4, 3, 2)), r(3, 1));
        check(f1(x -> x.narrow(1, 1, 2)), r(3, 4));
        check(f1(x -> x.slice(0, 1, 6, 2).slice(1, 0, 4, 3)), r(6, 4));
        check(f1(x -> x.select(1, -1)), r(2, 3, 2));
        check(f1(x -> x.unsqueeze(1).squeeze()), r(3, 1, 2));
        check(f1(x -> x.flatten().unflatten(0, 2, 6)), r(3, 4));
        check(f1(x -> x.flip(0, 1).mul(x)), r(3, 2));
        check(f1(x -> x.pad(new int[] {1, 2, 0, 1}, 0.5)), r(2, 3));
        check(f1(x -> x.pad(new int[] {-1, 1}, 0)), r(2, 4));
        check(f1(x -> x.asStrided(new int[] {2, 2}, new int[] {1, 2}, 1)), r(6));
        check(f1(x -> x.asStrided(new int[] {3, 2}, new int[] {1, 1}, 0)), r(4)); // overlapping windows
        check(f1(x -> x.contiguous().clone()), nc(3, 3));
        check(f1(x -> x.to(DType.FLOAT64).mul(x)), r(3));
        check(f2((a, b) -> Tensors.cat(1, a, b)), r(2, 2), nc(2, 3));
        check(f2((a, b) -> Tensors.stack(0, a, b)), r(3), r(3));
        check(f1(x -> x.split(2, 1).get(1).mul(x.chunk(3, 1).get(0))), r(2, 6));
        check(f1(x -> x.unbind(0).get(1)), r(3, 2));
        check(f1(x -> x.movedim(0, 2)), r(2, 3, 4));
    }

    @Test
    void indexing() {
        Tensor idx = Tensors.tensor(2L, 0L, 2L);
        check(f1(x -> x.indexSelect(0, idx)), r(4, 3));
        check(f1(x -> x.indexSelect(1, idx)), nc(2, 3));
        Tensor gidx = Tensors.tensor(new long[] {0, 2, 1, 1, 0, 0}).view(3, 2);
        check(f1(x -> x.gather(1, gidx)), r(3, 4));
        Tensor unique = Tensors.tensor(new long[] {0, 2, 1, 3, 3, 0}).view(3, 2); // scatter with repeats is undefined
        check(f2((a, b) -> a.scatter(1, unique, b)), r(3, 4), r(3, 2));
        check(f2((a, b) -> a.scatterAdd(1, gidx, b)), r(3, 4), r(3, 3));
        check(f2((a, b) -> a.indexAdd(0, idx, b)), r(3, 2), r(3, 2));
        Tensor mask = Tensors.tensor(true, false, true, false).view(1, 4);
        check(f1(x -> x.maskedFill(mask, 2.0)), r(3, 4));
        check(f2((a, v) -> a.maskedFill(mask, v)), r(2, 4), Tensors.scalar(1.5, DType.FLOAT64).requiresGrad_(true));
        check(f1(x -> x.maskedSelect(mask)), r(3, 4));
        check(f2((c, d) -> Tensors.where(mask.view(4), c, d)), r(3, 4), r(1));
        check(f1(w -> F.embedding(Tensors.tensor(new long[] {1, 3, 1, 0}).view(2, 2), w)), r(4, 3));
        // paddingIdx deliberately withholds the padding row's gradient (PyTorch's semantics)
        Tensor w = r(4, 3);
        F.embedding(Tensors.tensor(new long[] {1, 3, 1, 0}).view(2, 2), w, 1).sum().backward();
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1}, w.grad().toDoubleArray());
    }

    @Test
    void linearAlgebra() {
        check(f2(Tensor::matmul), r(3, 4), nc(4, 2));
        check(f2(Tensor::matmul), r(4), r(4));
        check(f2(Tensor::matmul), r(3, 4), r(4));
        check(f2(Tensor::matmul), r(4), r(4, 2));
        check(f2(Tensor::matmul), r(2, 1, 3, 4), r(2, 4, 2));
        check(f2(Tensor::matmul), r(2, 3, 4), r(4, 2));
        check(f2(Tensor::bmm), r(2, 3, 4), r(1, 4, 2));
        check(f2(Tensor::mv), nc(3, 2), r(2));
        check(f2(Tensor::dot), r(3), r(3));
        check(xs -> F.linear(xs[0], xs[1], xs[2]), r(2, 3, 4), r(5, 4), r(5));
        check(xs -> F.linear(xs[0], xs[1]), nc(3, 4), r(2, 4));
        check(xs -> F.bilinear(xs[0], xs[1], xs[2], xs[3]), r(2, 3), r(2, 4), r(5, 3, 4), r(5));
    }

    @Test
    void functionalLayers() {
        check(f1(x -> F.softmax(x, 1)), r(3, 5));
        check(f1(x -> F.logSoftmax(x, 0)), nc(4, 3));
        Tensor target = Tensors.tensor(1L, 0L, 3L, -100L);
        Tensor weight = Tensors.tensor(1.0, 2.0, 0.5, 1.5);
        check(f1(x -> F.crossEntropy(x, target)), r(4, 4));
        check(f1(x -> F.crossEntropy(x, target, weight, -100, Reduction.MEAN, 0.2)), r(4, 4));
        check(f1(x -> F.crossEntropy(x, target, null, -100, Reduction.NONE, 0.1)), r(4, 4));
        check(f2((x, p) -> F.crossEntropy(x, F.softmax(p, 1), weight, -100, Reduction.SUM, 0.1)), r(4, 4), r(4, 4));
        check(f1(x -> F.crossEntropy(x, Tensors.tensor(new long[] {0, 2, 1, 1}).view(2, 2))), r(2, 3, 2)); // [N, C, d]
        check(f1(x -> F.nllLoss(x, target, weight, -100, Reduction.MEAN)), r(4, 4));
        // The fused class-index path (no label smoothing, [N, C] or [C]): weights, ignoreIndex, every
        // reduction, a transposed input, and its second derivative (the composed backward).
        check(f1(x -> F.crossEntropy(x, target, weight, -100, Reduction.MEAN, 0.0)), r(4, 4));
        check(f1(x -> F.crossEntropy(x, Tensors.tensor(1L, 3L, 0L, 2L), weight, 3, Reduction.SUM, 0.0)), nc(4, 4));
        check(f1(x -> F.crossEntropy(x, Tensors.tensor(2L, 0L, 1L, 2L), weight.narrow(0, 0, 3), -100, Reduction.NONE, 0.0)), r(4, 3));
        check(f1(x -> F.crossEntropy(x, Tensors.scalar(2, DType.INT64))), r(5));
        checkSecondOrder(f1(x -> F.crossEntropy(x, target, weight, -100, Reduction.MEAN, 0.0)), r(4, 4));
        check(f2(F::mseLoss), r(3, 2), r(3, 2));
        check(f2(F::l1Loss), r(3, 2), r(3, 2));
        check(f2((a, b) -> F.smoothL1Loss(a, b, Reduction.SUM, 0.7)), r(3, 2), r(3, 2));
        check(f2((a, b) -> F.huberLoss(a, b, Reduction.NONE, 0.8)), r(3, 2), r(3, 2));
        check(f2((p, y) -> F.binaryCrossEntropy(p.sigmoid(), y)), r(3, 2), Tensors.rand(new Generator(3), DType.FLOAT64, 3, 2).requiresGrad_(true));
        check(xs -> F.binaryCrossEntropyWithLogits(xs[0], xs[1], null, Reduction.MEAN, xs[2]),
                r(4, 3), Tensors.rand(new Generator(4), DType.FLOAT64, 4, 3).requiresGrad_(true), positive(3));
        check(f2((a, b) -> F.cosineSimilarity(a, b, 1, 1e-8)), r(3, 4), r(1, 4));
        check(xs -> F.layerNorm(xs[0], new int[] {4}, xs[1], xs[2], 1e-5), r(3, 4), r(4), r(4));
        check(xs -> F.batchNorm(xs[0], null, null, xs[1], xs[2], true, 0.1, 1e-5), r(4, 3, 2), r(3), r(3));
        check(xs -> F.batchNorm(xs[0], Tensors.tensor(0.5, -0.2), Tensors.tensor(1.5, 0.7), xs[1], xs[2], false, 0.1, 1e-5),
                r(3, 2), r(2), r(2));
        check(f1(x -> F.dropout(x, 0.4, true, new Generator(5))), r(4, 5));
        Tensor boolMask = Tensors.tensor(true, true, false, true, false, true).view(2, 3);
        check(xs -> F.scaledDotProductAttention(xs[0], xs[1], xs[2], boolMask, 0, false, null, null), r(1, 2, 4), r(1, 3, 4), r(1, 3, 2));
        check(xs -> F.scaledDotProductAttention(xs[0], xs[1], xs[2], null, 0, true, 0.3, null), r(2, 3, 2), r(2, 3, 2), r(2, 3, 2));
    }

    @Test
    void convolutionAndPooling() {
        check(xs -> F.conv2d(xs[0], xs[1], xs[2]), r(2, 2, 5, 4), r(3, 2, 3, 2), r(3));
        check(xs -> F.conv2d(xs[0], xs[1], null, new int[] {2, 1}, new int[] {1, 2}, new int[] {1, 2}, 1), r(1, 2, 6, 6), r(2, 2, 3, 3));
        check(xs -> F.conv2d(xs[0], xs[1], xs[2], 1, 1, 1, 2), r(1, 4, 4, 4), r(4, 2, 3, 3), r(4));
        check(xs -> F.conv2d(xs[0], xs[1], null, 1, "same", 1, 1), r(1, 1, 4, 5), r(2, 1, 2, 3));
        check(xs -> F.conv1d(xs[0], xs[1], xs[2], 2, 1, 1, 1), r(2, 3, 7), r(2, 3, 3), r(2));
        check(f1(x -> F.maxPool2d(x, 2)), r(2, 2, 4, 6));
        check(f1(x -> F.maxPool2dWithIndices(x, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, true).values()), r(1, 2, 5, 5));
        check(f1(x -> F.avgPool2d(x, 2)), r(1, 2, 4, 4));
        check(f1(x -> F.avgPool2d(x, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, true, false, null)), r(1, 1, 5, 6));
        check(f1(x -> F.adaptiveAvgPool2d(x, 2, 3)), r(1, 2, 5, 7));
        check(f1(x -> F.adaptiveAvgPool2d(x, 1, 1)), r(2, 3, 3, 2));
        check(f1(x -> F.unfold(x, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 0}, new int[] {1, 2})), r(1, 2, 3, 4));
    }

    @Test
    void secondDerivatives() {
        for (Function<Tensor, Tensor> f : List.<Function<Tensor, Tensor>>of(Tensor::tanh, Tensor::sigmoid, Tensor::gelu,
                x -> x.gelu(true), Tensor::silu, x -> x.elu(0.5), x -> x.softplus(1.5, 20), Tensor::exp, Tensor::sin,
                x -> x.pow(3), x -> F.softmax(x, 1), x -> F.logSoftmax(x, 1), x -> x.mul(x).sum(1),
                x -> x.norm(), x -> x.logsumexp(new int[] {1}, false), Tensor::relu, x -> x.leakyRelu(0.1))) {
            checkSecondOrder(f1(f), r(2, 3));
        }
        checkSecondOrder(f2(Tensor::div), r(2, 2), positive(2, 2));
        checkSecondOrder(f2(Tensor::matmul), r(2, 3), r(3, 2));
        checkSecondOrder(xs -> F.conv2d(xs[0], xs[1], null, 1, 1), r(1, 1, 3, 3), r(1, 1, 2, 2));
        checkSecondOrder(f1(x -> F.crossEntropy(x, Tensors.tensor(1L, 0L))), r(2, 3));
        checkSecondOrder(f1(x -> F.maxPool2d(x.mul(x), 2)), r(1, 1, 2, 4));
    }

    @Test
    void aWrongGradientIsCaught() {
        // A deliberately wrong backward: claims d(x^2)/dx = x.
        Function<Tensor[], Tensor> wrong = xs -> Graph.record("WrongBackward", xs[0].detach().square(), xs[0], g -> g.mul(xs[0]));
        assertThrows(IllegalStateException.class, () -> check(wrong, r(3)));
    }
}
