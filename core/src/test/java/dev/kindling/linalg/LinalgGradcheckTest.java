package dev.kindling.linalg;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;

import static dev.kindling.autograd.Gradcheck.check;
import static dev.kindling.autograd.Gradcheck.checkSecondOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Float64 gradchecks of {@link Linalg}, on batched and non-contiguous inputs; symmetric-input
 * functions (cholesky, eigh) are checked through X -> f(sym(X)), since they read one triangle.
 * Plus the closed forms that need no PyTorch: A inv(A) = I, det of a triangular matrix, and the
 * refusal of gradients Kindling does not implement.
 */
class LinalgGradcheckTest {
    private long seed = 1800;

    private Tensor wellConditioned(int... shape) {
        int n = shape[shape.length - 1];
        Tensor x = Tensors.randn(new Generator(seed++), DType.FLOAT64, shape).add(Tensors.eye(n, n, DType.FLOAT64).mul(n));
        return x.detach().requiresGrad_(true);
    }

    private Tensor r(int... shape) {
        return Tensors.randn(new Generator(seed++), DType.FLOAT64, shape).requiresGrad_(true);
    }

    private static Tensor spd(Tensor x) {
        int n = x.size(-1);
        return x.matmul(x.mT()).add(Tensors.eye(n, n, DType.FLOAT64).mul(n));
    }

    private static Tensor sym(Tensor x) { return x.add(x.mT()).mul(0.5); }

    @Test
    void inverseDeterminantAndSolve() {
        check(xs -> Linalg.inv(xs[0]), wellConditioned(2, 3, 3));
        checkSecondOrder(xs -> Linalg.inv(xs[0]), wellConditioned(3, 3));
        check(xs -> Linalg.det(xs[0]), wellConditioned(2, 3, 3));
        check(xs -> Linalg.slogdet(xs[0]).logabsdet(), r(3, 3));
        check(xs -> Linalg.solve(xs[0], xs[1]), wellConditioned(2, 3, 3), r(3, 2));
        check(xs -> Linalg.solve(xs[0].mT(), xs[1]), wellConditioned(3, 3), r(3));
    }

    @Test
    void factorizations() {
        check(xs -> Linalg.cholesky(spd(xs[0])), r(2, 3, 3));
        check(xs -> Linalg.eigh(sym(xs[0])).eigenvalues(), r(2, 4, 4));
        // eigenvectors have a sign freedom: check a sign-invariant function of them
        check(xs -> Linalg.eigh(sym(xs[0])).eigenvectors().square(), r(3, 3));
        check(xs -> Linalg.svdvals(xs[0]), r(2, 4, 3));
        check(xs -> Linalg.svdvals(xs[0].mT()), r(4, 3));
        // singular vectors have a sign freedom: squares and the rank-one terms u_i v_i^T are sign-invariant
        check(xs -> Linalg.svd(xs[0], false).U().square(), r(4, 3));
        check(xs -> Linalg.svd(xs[0], false).Vh().square(), r(2, 3, 4));
        check(xs -> {
            var d = Linalg.svd(xs[0], false);
            return d.U().narrow(-1, 0, 1).matmul(d.Vh().narrow(-2, 0, 1));
        }, r(3, 3));
        check(xs -> Linalg.svd(xs[0], true).S(), r(2, 3));
        check(xs -> Linalg.qr(xs[0]).Q(), r(4, 3));
        check(xs -> Linalg.qr(xs[0]).R(), r(2, 4, 3));
        check(xs -> Linalg.qr(xs[0]).Q().add(Linalg.qr(xs[0]).R().narrow(-1, 0, 3)), r(3, 5));
        check(xs -> Linalg.pinv(xs[0]), r(3, 4));
        check(xs -> Linalg.pinv(xs[0]), r(2, 4, 2));
    }

    @Test
    void matrixNorms() {
        check(xs -> Linalg.matrixNorm(xs[0]), r(2, 3, 4));
        check(xs -> Linalg.matrixNorm(xs[0], "nuc", -2, -1, true), r(3, 4));
        for (double ord : new double[] {2, -2, 1, -1, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            check(xs -> Linalg.matrixNorm(xs[0], ord, 0, 2, false), r(3, 2, 4));
        }
    }

    @Test
    void compositions() {
        check(xs -> Linalg.matrixPower(xs[0], 3), r(2, 3, 3));
        check(xs -> Linalg.matrixPower(xs[0], -2), wellConditioned(3, 3));
        check(xs -> Linalg.multiDot(java.util.List.of(xs[0], xs[1], xs[2])), r(3), r(3, 4), r(4, 2));
        check(xs -> Linalg.cond(xs[0]), r(2, 3, 3));
        check(xs -> Linalg.solveTriangular(xs[0], xs[1], true, true, false), wellConditioned(3, 3), r(3, 2));
        check(xs -> Linalg.solveTriangular(xs[0], xs[1], false, false, true), r(3, 3), r(2, 3));
        check(xs -> Linalg.vecdot(xs[0], xs[1], -1), r(3, 4), r(4));
        check(xs -> Linalg.tensorinv(xs[0], 1), wellConditioned(4, 4));
        check(xs -> Linalg.tensorsolve(xs[0], xs[1]), wellConditioned(4, 4), r(4));
        check(xs -> Linalg.vander(xs[0], 4), Tensors.tensor(0.0, 1.5, -2.0).requiresGrad_(true));
        check(xs -> Linalg.norm(xs[0], 3.0, new int[] {-1}, false), r(3, 4));
        check(xs -> Linalg.matrixExp(xs[0]), r(2, 3, 3));
        checkSecondOrder(xs -> Linalg.matrixExp(xs[0]), r(2, 2));
        check(xs -> Linalg.lstsq(xs[0], xs[1]).solution(), r(5, 3), r(5, 2));
    }

    @Test
    void inPlaceIndexUpdatesKeepTheGradient() {
        Tensor index = Tensors.tensor(new long[] {0, 1, 0, 2, 0, 1, 1, 3, 3, 0}).reshape(2, 5);
        check(xs -> xs[0].clone().scatterReduce_(1, index, xs[1], "amax", false), r(3, 4), r(2, 5));
        check(xs -> xs[0].clone().indexPut_(java.util.List.of(Tensors.tensor(1L, 1L, 3L)), xs[1], true), r(4, 3), r(3));
        check(xs -> xs[0].clone().indexCopy_(0, Tensors.tensor(2L, 0L), xs[1]), r(3, 4), r(2, 4));
    }

    @Test
    void closedForms() {
        Tensor a = wellConditioned(4, 4).detach();
        assertTrue(a.matmul(Linalg.inv(a)).allclose(Tensors.eye(4, 4, DType.FLOAT64), 0, 1e-12));
        Tensor tri = Tensors.tensor(new double[][] {{2, 0, 0}, {5, -3, 0}, {1, 7, 0.5}});
        assertEquals(-3.0, Linalg.det(tri).item(), 1e-12);
        Tensor f32 = Tensors.randn(new Generator(5), DType.FLOAT32, 3, 3).add(Tensors.eye(3).mul(3));
        assertEquals(DType.FLOAT32, Linalg.inv(f32).dtype());
        var svd = Linalg.svd(r(3, 2), true);
        var refused = assertThrows(UnsupportedOperationException.class, () -> svd.U().sum().backward());
        assertTrue(refused.getMessage().contains("extra columns"), refused.getMessage());
        var singular = assertThrows(IllegalArgumentException.class, () -> Linalg.inv(Tensors.tensor(new double[][] {{1, 2}, {2, 4}})));
        assertTrue(singular.getMessage().contains("singular"), singular.getMessage());
    }
}
