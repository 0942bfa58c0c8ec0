package dev.kindling.tensor;

import org.junit.jupiter.api.Test;

import static dev.kindling.tensor.DType.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DTypeTest {

    @Test
    void promotionFollowsPyTorchsLattice() {
        assertEquals(FLOAT64, DType.promote(FLOAT32, FLOAT64));
        assertEquals(FLOAT32, DType.promote(INT64, FLOAT32));
        assertEquals(INT32, DType.promote(UINT8, INT32));
        assertEquals(INT64, DType.promote(INT32, INT64));
        assertEquals(UINT8, DType.promote(BOOL, UINT8));
        assertEquals(BOOL, DType.promote(BOOL, BOOL));
    }

    @Test
    void tensorOperandsPromote() {
        assertEquals(FLOAT64, Tensors.ones(FLOAT32, 2).add(Tensors.ones(FLOAT64, 2)).dtype());
        assertEquals(FLOAT32, Tensors.ones(INT64, 2).add(Tensors.ones(FLOAT32, 2)).dtype());
        assertEquals(INT32, Tensors.ones(UINT8, 2).add(Tensors.ones(INT32, 2)).dtype());
        assertEquals(BOOL, Tensors.tensor(true, false).logicalOr(Tensors.tensor(false, false)).dtype());
    }

    @Test
    void zeroDimTensorsOnlyRaiseTheCategory() {
        // float32 tensor + float64 scalar tensor stays float32, as in PyTorch
        assertEquals(FLOAT32, Tensors.ones(FLOAT32, 3).add(Tensors.scalar(2, FLOAT64)).dtype());
        // int64 tensor + float64 scalar tensor: category rises, so float64
        assertEquals(FLOAT64, Tensors.ones(INT64, 3).add(Tensors.scalar(2, FLOAT64)).dtype());
        // two zero-dim tensors promote normally
        assertEquals(FLOAT64, Tensors.scalar(1, FLOAT32).add(Tensors.scalar(2, FLOAT64)).dtype());
    }

    @Test
    void javaScalarsFollowWrappedNumberRules() {
        assertEquals(FLOAT32, Tensors.ones(FLOAT32, 2).mul(2.5).dtype());
        assertEquals(FLOAT64, Tensors.ones(FLOAT64, 2).mul(2.5).dtype());
        assertEquals(FLOAT32, Tensors.ones(INT64, 2).mul(2.5).dtype());
        assertEquals(INT64, Tensors.ones(INT64, 2).mul(2).dtype());
        assertEquals(INT32, Tensors.ones(INT32, 2).add(3).dtype());
        assertEquals(FLOAT32, Tensors.ones(INT64, 2).div(2).dtype(), "true division always gives a float");
    }

    @Test
    void floatOnlyFunctionsPromoteIntegers() {
        Tensor e = Tensors.arange(3).exp();
        assertEquals(FLOAT32, e.dtype());
        TestSupport.assertValues(e, 1, Math.E, Math.exp(2));
    }

    @Test
    void toConvertsWithTruncationAndBoolSemantics() {
        Tensor x = Tensors.tensor(-1.7, 0.0, 2.9, 300.0);
        TestSupport.assertValues(x.to(INT64), -1, 0, 2, 300);
        TestSupport.assertValues(x.to(BOOL), 1, 0, 1, 1);
        TestSupport.assertValues(Tensors.tensor(1L << 40).to(FLOAT64), Math.pow(2, 40));
        assertEquals(1L << 53 | 1, Tensors.tensor((1L << 53) | 1).to(INT64).itemLong(), "int64 stays exact");
    }

    @Test
    void parseAcceptsPyTorchNames() {
        assertEquals(FLOAT32, DType.parse("torch.float32"));
        assertEquals(INT64, DType.parse("long"));
        TestSupport.assertBadInput(() -> DType.parse("float16"), "float16", "expected one of");
    }
}
