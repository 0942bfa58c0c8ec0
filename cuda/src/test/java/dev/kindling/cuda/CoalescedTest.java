package dev.kindling.cuda;

import dev.kindling.backend.StridedView;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Storage;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Coalescing keeps, for every operand, the element offsets in row-major order; contiguous becomes 1-D. */
class CoalescedTest {

    @Test
    void contiguousViewsBecomeOneDim() {
        StridedView a = StridedView.allocate(DType.FLOAT32, 2, 3, 4);
        StridedView b = StridedView.allocate(DType.FLOAT64, 2, 3, 4);
        Coalesced c = Coalesced.of(a, b);
        assertArrayEquals(new int[] {24}, c.shape());
        assertArrayEquals(new int[] {1}, c.strides()[0]);
    }

    @Test
    void aBroadcastRowKeepsTwoDims() {
        StridedView a = StridedView.allocate(DType.FLOAT32, 4, 6);
        StridedView row = StridedView.allocate(DType.FLOAT32, 6).viewOf(new int[] {4, 6}, new int[] {0, 1}, 0);
        Coalesced c = Coalesced.of(a, row);
        assertArrayEquals(new int[] {4, 6}, c.shape());
        assertArrayEquals(new int[] {0, 1}, c.strides()[1]);
    }

    @Test
    void randomLayoutsAddressTheSameElementsInTheSameOrder() {
        Random r = new Random(3);
        for (int trial = 0; trial < 2000; trial++) {
            int nd = r.nextInt(6);
            int[] shape = new int[nd];
            for (int d = 0; d < nd; d++) shape[d] = 1 + r.nextInt(4);
            StridedView[] views = new StridedView[1 + r.nextInt(3)];
            for (int v = 0; v < views.length; v++) views[v] = randomLayout(shape, r);
            Coalesced c = Coalesced.of(views);
            for (int v = 0; v < views.length; v++) {
                assertArrayEquals(offsets(views[v].shape(), views[v].strides(), views[v].storageOffset()),
                        offsets(c.shape(), c.strides()[v], views[v].storageOffset()), "trial " + trial + " view " + v);
            }
            assertEquals(views[0].numel(), numel(c.shape()));
        }
    }

    /** A view of shape: a permuted, possibly sliced, possibly broadcast layout over a big enough storage. */
    private static StridedView randomLayout(int[] shape, Random r) {
        int nd = shape.length;
        int[] order = new int[nd];
        for (int i = 0; i < nd; i++) order[i] = i;
        for (int i = nd - 1; i > 0; i--) { int j = r.nextInt(i + 1); int t = order[i]; order[i] = order[j]; order[j] = t; }
        int[] strides = new int[nd];
        int step = 1;
        for (int k = nd - 1; k >= 0; k--) {
            int d = order[k];
            strides[d] = r.nextInt(5) == 0 ? 0 : step;
            step *= shape[d] + (r.nextInt(3) == 0 ? 1 : 0);   // sometimes a gap, as a slice leaves
        }
        int offset = r.nextInt(3);
        return StridedView.of(Storage.allocate(DType.FLOAT32, step + offset + 1), shape, strides, offset);
    }

    private static int[] offsets(int[] shape, int[] strides, int offset) {
        int n = numel(shape);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int rest = i;
            int off = offset;
            for (int d = shape.length - 1; d >= 0; d--) {
                off += (rest % shape[d]) * strides[d];
                rest /= shape[d];
            }
            out[i] = off;
        }
        return out;
    }

    private static int numel(int[] shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }
}
