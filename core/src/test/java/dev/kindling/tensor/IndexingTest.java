package dev.kindling.tensor;

import org.junit.jupiter.api.Test;

import static dev.kindling.tensor.TestSupport.assertBadInput;
import static dev.kindling.tensor.TestSupport.assertShape;
import static dev.kindling.tensor.TestSupport.assertValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class IndexingTest {
    private final Tensor x = Tensors.arange(0, 12, 1.0, DType.FLOAT32).view(3, 4);

    @Test
    void indexSelectGatherScatter() {
        assertValues(x.indexSelect(0, Tensors.tensor(2L, 0L)), 8, 9, 10, 11, 0, 1, 2, 3);
        assertValues(x.indexSelect(1, Tensors.tensor(3L)), 3, 7, 11);
        assertValues(x.t().indexSelect(0, Tensors.tensor(1L)), 1, 5, 9);
        Tensor idx = Tensors.tensor(new long[] {3, 0, 1, 1, 2, 2}).view(3, 2);
        assertValues(x.gather(1, idx), 3, 0, 5, 5, 10, 10);
        Tensor z = Tensors.zeros(3, 4).scatter(1, idx, Tensors.ones(3, 2));
        assertValues(z.sum(1), 2, 1, 1);
        Tensor s = Tensors.zeros(3, 4).scatterAdd(1, idx, Tensors.ones(3, 2));
        assertValues(s.select(0, 1), 0, 2, 0, 0);
        assertValues(Tensors.zeros(3, 4).indexAdd(0, Tensors.tensor(1L, 1L), Tensors.ones(2, 4)).sum(1), 0, 8, 0);
    }

    @Test
    void masksAndNonzero() {
        Tensor mask = x.remainder(5).eq(0);
        assertValues(x.maskedFill(mask, -1).select(0, 0), -1, 1, 2, 3);
        assertValues(x.maskedSelect(mask), 0, 5, 10);
        assertArrayEquals(new long[] {0, 0, 1, 1, 2, 2}, mask.nonzero().toLongArray());
        assertShape(mask.nonzero(), 3, 2);
        assertValues(x.maskedFill(Tensors.tensor(true, false, false, true), 0).select(0, 2), 0, 9, 10, 0);
    }

    @Test
    void oneHot() {
        Tensor h = Tensors.tensor(2L, 0L).oneHot(3);
        assertArrayEquals(new long[] {0, 0, 1, 1, 0, 0}, h.toLongArray());
        assertShape(Tensors.tensor(1L, 4L).oneHot(-1), 2, 5);
        assertBadInput(() -> Tensors.tensor(3L).oneHot(3), "oneHot", "index 3", "size 3");
    }

    @Test
    void indexErrorsNameTheValueAndTheRange() {
        assertBadInput(() -> x.indexSelect(0, Tensors.tensor(3L)), "indexSelect", "index 3", "size 3");
        assertBadInput(() -> x.indexSelect(0, Tensors.tensor(-1L)), "index -1");
        assertBadInput(() -> x.gather(1, Tensors.tensor(new long[] {4}).view(1, 1)), "gather", "index 4", "size 4");
        assertBadInput(() -> x.gather(1, Tensors.tensor(1.0).view(1, 1)), "gather", "int64", "float64");
        assertBadInput(() -> x.maskedFill(Tensors.ones(3, 4), 0), "maskedFill", "bool");
        assertBadInput(() -> x.get(3, 0), "get", "index 3", "size 3");
    }
}
