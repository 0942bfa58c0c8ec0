package dev.kindling.tensor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kindling.tensor.TestSupport.assertBadInput;
import static dev.kindling.tensor.TestSupport.assertShape;
import static dev.kindling.tensor.TestSupport.assertValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ViewTest {

    private static Tensor range(int... shape) {
        return Tensors.arange(0, Shapes.numel(shape), 1.0, DType.FLOAT32).reshape(shape);
    }

    @Test
    void viewsShareStorageAndOnlyChangeMetadata() {
        Tensor x = range(2, 3, 4);
        for (Tensor v : List.of(x.view(6, 4), x.reshape(4, 6), x.permute(2, 0, 1), x.transpose(0, 2),
                x.narrow(2, 1, 2), x.slice(1, 0, 3, 2), x.select(1, 1), x.unsqueeze(0), x.flatten(),
                x.unflatten(2, 2, 2), x.flip(0, 2), x.expand(5, 2, 3, 4), x.squeeze())) {
            assertSame(x.storage(), v.storage(), "a view must share storage: " + v);
        }
    }

    @Test
    void writesThroughAViewAreSeenByTheBase() {
        Tensor x = Tensors.zeros(3, 4);
        x.select(0, 1).fill_(7);
        x.t().select(0, 3).add_(1);
        x.flip(1).narrow(1, 0, 1).sub_(2); // the last column, through a negative-stride view
        assertValues(x, 0, 0, 0, -1, 7, 7, 7, 6, 0, 0, 0, -1);
    }

    @Test
    void permuteTransposeAndTValues() {
        Tensor x = range(2, 3);
        assertValues(x.t(), 0, 3, 1, 4, 2, 5);
        assertArrayEquals(new int[] {1, 3}, x.t().strides());
        Tensor p = range(2, 3, 4).permute(2, 0, 1);
        assertShape(p, 4, 2, 3);
        assertEquals(13.0, p.get(1, 1, 0));
        assertValues(range(2, 3, 4).transpose(0, 2).contiguous().view(-1).narrow(0, 0, 4), 0, 12, 4, 16);
    }

    @Test
    void reshapeCopiesOnlyWhenItMust() {
        Tensor x = range(4, 6);
        assertSame(x.storage(), x.reshape(2, 12).storage());
        Tensor t = x.t();
        Tensor r = t.reshape(-1);
        assertNotSame(x.storage(), r.storage(), "a transposed tensor cannot be flattened without a copy");
        assertValues(r.narrow(0, 0, 5), 0, 6, 12, 18, 1);
        assertBadInput(() -> t.view(-1), "view", "reshape");
        assertSame(x.storage(), x.narrow(0, 1, 2).reshape(12).storage(), "contiguous rows reshape as a view");
    }

    @Test
    void expandAndBroadcastTo() {
        Tensor x = Tensors.tensor(1f, 2f, 3f).view(3, 1);
        Tensor e = x.expand(2, 3, 4);
        assertArrayEquals(new int[] {0, 1, 0}, e.strides());
        assertEquals(3.0, e.get(1, 2, 3));
        assertBadInput(() -> x.expand(3, 2).expand(4, 2), "expand", "non-singleton");
        assertValues(Tensors.scalar(5).broadcastTo(2, 2), 5, 5, 5, 5);
    }

    @Test
    void slicingWithStepsAndNegativeBounds() {
        Tensor x = range(10);
        assertValues(x.slice(0, 1, 8, 3), 1, 4, 7);
        assertValues(x.slice(0, -3, 100), 7, 8, 9);
        assertValues(x.slice(0, 5, 2), new double[0]);
        assertValues(range(4, 5).slice(1, 1, 5, 2).slice(0, 0, 4, 3), 1, 3, 16, 18);
        assertBadInput(() -> x.slice(0, 0, 5, 0), "step");
        assertBadInput(() -> x.narrow(0, 8, 3), "narrow", "exceeds");
        assertBadInput(() -> x.select(0, 10), "select", "index 10", "out of range");
    }

    @Test
    void squeezeUnsqueezeFlattenUnflatten() {
        Tensor x = range(1, 3, 1, 2);
        assertShape(x.squeeze(), 3, 2);
        assertShape(x.squeeze(2), 1, 3, 2);
        assertShape(x.squeeze(1), 1, 3, 1, 2);
        assertShape(x.unsqueeze(-1), 1, 3, 1, 2, 1);
        assertShape(range(2, 3, 4).flatten(1, 2), 2, 12);
        assertShape(range(2, 12).unflatten(1, 3, -1), 2, 3, 4);
        assertBadInput(() -> range(2, 12).unflatten(1, 5, -1), "unflatten");
    }

    @Test
    void flipIsAViewWithNegativeStrides() {
        Tensor x = range(2, 3);
        Tensor f = x.flip(0, 1);
        assertTrue(f.strides()[0] < 0 && f.strides()[1] < 0);
        assertValues(f, 5, 4, 3, 2, 1, 0);
        assertValues(f.add(1), 6, 5, 4, 3, 2, 1);
        assertValues(f.matmul(Tensors.ones(3, 1)), 12, 3);
        assertFalse(f.isContiguous());
        assertValues(f.contiguous(), 5, 4, 3, 2, 1, 0);
    }

    @Test
    void catStackSplitChunkPad() {
        Tensor a = range(2, 2);
        Tensor b = range(2, 3).add(10);
        assertValues(Tensors.cat(1, a, b), 0, 1, 10, 11, 12, 2, 3, 13, 14, 15);
        assertShape(Tensors.stack(1, a, a), 2, 2, 2);
        assertValues(Tensors.stack(0, a, a.neg()).select(0, 1), 0, -1, -2, -3);
        List<Tensor> parts = range(7).split(3, 0);
        assertEquals(3, parts.size());
        assertValues(parts.get(2), 6);
        assertEquals(List.of(3, 3, 1), parts.stream().map(p -> p.size(0)).toList());
        assertEquals(List.of(2, 2), range(4, 2).chunk(2, 0).stream().map(p -> p.size(0)).toList());
        assertValues(range(2, 2).pad(new int[] {1, 0}, -1), -1, 0, 1, -1, 2, 3);
        assertValues(range(2, 3).pad(new int[] {-1, 1}, 9), 1, 2, 9, 4, 5, 9);
        assertBadInput(() -> Tensors.cat(0, a, b), "cat", "size");
        assertBadInput(() -> Tensors.stack(0, a, b), "stack", "equal size");
    }

    @Test
    void movedimAndAsStrided() {
        assertShape(range(2, 3, 4).movedim(0, 2), 3, 4, 2);
        Tensor x = range(9);
        Tensor windows = x.asStrided(new int[] {3, 3}, new int[] {3, 1}, 0);
        assertValues(windows.select(0, 2), 6, 7, 8);
        assertBadInput(() -> x.asStrided(new int[] {4, 3}, new int[] {3, 1}, 0), "outside a storage");
    }
}
