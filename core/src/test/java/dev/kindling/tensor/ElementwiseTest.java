package dev.kindling.tensor;

import dev.kindling.backend.SpecialFunctions;
import org.junit.jupiter.api.Test;

import static dev.kindling.tensor.TestSupport.assertBadInput;
import static dev.kindling.tensor.TestSupport.assertShape;
import static dev.kindling.tensor.TestSupport.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElementwiseTest {

    @Test
    void broadcastingFollowsNumpyRules() {
        Tensor a = Tensors.arange(0, 6, 1.0, DType.FLOAT32).view(2, 1, 3);
        Tensor b = Tensors.tensor(10f, 20f).view(2, 1);
        Tensor c = a.add(b);
        assertShape(c, 2, 2, 3);
        assertValues(c.select(0, 0), 10, 11, 12, 20, 21, 22);
        assertBadInput(() -> Tensors.zeros(2, 3).add(Tensors.zeros(4)), "add", "[2, 3]", "[4]", "cannot be broadcast");
    }

    @Test
    void largeBroadcastAndTransposedInputsMatchALoop() {
        // Large enough to run on several threads; the transposed operand keeps its memory order.
        Tensor a = Tensors.randn(new Generator(3), 300, 500);
        Tensor b = Tensors.randn(new Generator(4), 500);
        float[] av = a.toFloatArray();
        float[] bv = b.toFloatArray();
        float[] sum = a.add(b).toFloatArray();
        float[] tr = a.t().mul(2).t().toFloatArray();
        for (int i = 0; i < 300; i++)
            for (int j = 0; j < 500; j++) {
                assertEquals(av[i * 500 + j] + bv[j], sum[i * 500 + j], 0f);
                assertEquals(av[i * 500 + j] * 2, tr[i * 500 + j], 0f);
            }
        assertTrue(a.t().mul(2).strides()[0] == 1, "the result of an op on a transposed input keeps its layout");
    }

    @Test
    void mathFunctionsMatchTheirDefinitions() {
        double[] xs = {-3, -0.5, 0, 0.25, 2};
        Tensor x = Tensors.tensor(xs);
        for (int i = 0; i < xs.length; i++) {
            double v = xs[i];
            assertEquals(Math.tanh(v), x.tanh().get(i), 1e-12);
            assertEquals(1 / (1 + Math.exp(-v)), x.sigmoid().get(i), 1e-12);
            assertEquals(Math.max(v, 0), x.relu().get(i), 0);
            assertEquals(v * 0.5 * (1 + SpecialFunctions.erf(v / Math.sqrt(2))), x.gelu().get(i), 1e-12);
            assertEquals(v / (1 + Math.exp(-v)), x.silu().get(i), 1e-12);
            assertEquals(Math.log1p(Math.exp(v)), x.softplus().get(i), 1e-12);
            assertEquals(v > 0 ? v : 0.1 * v, x.leakyRelu(0.1).get(i), 1e-12);
            assertEquals(v > 0 ? v : Math.expm1(v), x.elu(1.0).get(i), 1e-12);
            assertEquals(Math.min(Math.max(v, -1), 1), x.clamp(-1, 1).get(i), 0);
        }
        assertEquals(0.8427007929497149, Tensors.tensor(1.0).erf().item(), 1e-15);
        assertEquals(-0.9953222650189527, Tensors.tensor(-2.0).erf().item(), 1e-15);
        assertEquals(0.9999779095030014, Tensors.tensor(3.0).erf().item(), 1e-15);
        assertEquals(1.0, Tensors.tensor(7.0).erf().item(), 1e-15);
    }

    @Test
    void extremeValuesStayFinite() {
        Tensor x = Tensors.tensor(-1e4f, 1e4f, 0f);
        assertValues(x.sigmoid(), 0, 1, 0.5);
        assertValues(x.softplus(), 0, 1e4, Math.log(2));
        assertValues(x.tanh(), -1, 1, 0);
    }

    @Test
    void nanPropagatesThroughMaximumAndRelu() {
        Tensor x = Tensors.tensor(Float.NaN, 1f);
        assertTrue(Double.isNaN(x.relu().get(0)));
        assertTrue(Double.isNaN(x.maximum(Tensors.tensor(0f, 0f)).get(0)));
        assertTrue(x.isnan().get(0) == 1 && x.isnan().get(1) == 0);
    }

    @Test
    void integerArithmeticIsExact() {
        Tensor x = Tensors.tensor(9_007_199_254_740_993L, -7L);
        assertEquals(9_007_199_254_740_994L, x.add(1).getLong(0));
        assertValues(x.remainder(3).narrow(0, 1, 1), 2); // Python semantics: -7 % 3 == 2
        assertValues(x.floorDivide(2).narrow(0, 1, 1), -4);
        assertEquals(DType.BOOL, x.gt(0).dtype());
        assertValues(x.gt(0), 1, 0);
        assertBadInput(() -> Tensors.tensor(true).sub(Tensors.tensor(false)), "sub", "bool");
        assertBadInput(() -> Tensors.tensor(true).neg(), "neg", "bool");
    }

    @Test
    void comparisonsAndLogic() {
        Tensor a = Tensors.tensor(1f, 2f, 3f);
        Tensor b = Tensors.tensor(3f, 2f, 1f);
        assertValues(a.lt(b), 1, 0, 0);
        assertValues(a.le(b), 1, 1, 0);
        assertValues(a.eq(b), 0, 1, 0);
        assertValues(a.ne(2), 1, 0, 1);
        assertValues(a.gt(b).logicalOr(a.eq(b)), 0, 1, 1);
        assertValues(a.gt(b).logicalNot(), 1, 1, 0);
        assertValues(a.where(a.gt(1.5), -1), -1, 2, 3);
    }

    @Test
    void inPlaceOpsWriteIntoTheTensorAndCheckCasts() {
        Tensor x = Tensors.ones(2, 2);
        Tensor same = x.add_(Tensors.tensor(1f, 2f)).mul_(2).relu_().sub_(1).div_(2);
        assertTrue(same == x);
        assertValues(x, 1.5, 2.5, 1.5, 2.5);
        assertBadInput(() -> Tensors.ones(DType.INT64, 2).add_(0.5), "add_", "can't be cast");
        assertBadInput(() -> Tensors.ones(2).add_(Tensors.ones(3, 2)), "add_", "doesn't match the broadcast shape");
        Tensor y = Tensors.arange(0, 4, 1.0, DType.FLOAT32);
        y.add_(y.flip(0)); // the operand aliases the output with another layout: read before written
        assertValues(y, 3, 3, 3, 3);
        int v = x.version();
        x.mul_(1);
        assertEquals(v + 1, x.version());
    }

    @Test
    void powAndSpecialCases() {
        assertValues(Tensors.tensor(4f, 9f).pow(0.5), 2, 3);
        assertValues(Tensors.tensor(2f, 3f).pow(Tensors.tensor(3f, 2f)), 8, 9);
        assertValues(Tensors.arange(4).pow(2), 0, 1, 4, 9);
        assertEquals(DType.INT64, Tensors.arange(4).pow(2).dtype());
    }
}
