package dev.kindling.cuda;

import dev.kindling.backend.StridedView;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Storage;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The layouts the host sends to the reduction and line kernels address the right elements: the
 * View bytes are decoded and walked with offsetOf exactly as common.cuh does, and compared with
 * the elements found from coordinates.
 */
class LaunchLayoutTest {
    private final Random random = new Random(5);

    @Test
    void reductionLayoutsVisitEachOutputsElementsInRowMajorOrder() {
        for (int trial = 0; trial < 500; trial++) {
            StridedView x = randomView();
            int nd = x.dim();
            List<Integer> dimList = new ArrayList<>();
            for (int d = 0; d < nd; d++) if (random.nextBoolean()) dimList.add(d);
            int[] dims = dimList.stream().mapToInt(Integer::intValue).toArray();
            int[] outShape = x.shape();
            for (int d : dims) outShape[d] = 1;
            StridedView out = StridedView.allocate(DType.FLOAT32, outShape);
            Reduction r = Reduction.of(x, dims, out);
            assertEquals(out.numel(), r.outputs());
            for (long o = 0; o < r.outputs(); o++) {
                int[] oc = coords(o, outShape);
                List<Long> expected = new ArrayList<>();
                List<Long> actual = new ArrayList<>();
                for (long i = 0; i < x.numel(); i++) {
                    int[] c = coords(i, x.shape());
                    boolean mine = true;
                    for (int d = 0; d < nd; d++) if (outShape[d] != 1 || !dimList.contains(d)) mine &= c[d] == oc[d];
                    if (mine) expected.add(offset(x, c));
                }
                for (long k = 0; k < r.reducedCount(); k++) actual.add(offsetOf(r.kept(), o) + offsetOf(r.reduced(), k));
                assertEquals(expected, actual, "trial " + trial + " output " + o);
            }
        }
    }

    @Test
    void lineLayoutsWalkEachLineAlongTheDim() {
        for (int trial = 0; trial < 500; trial++) {
            StridedView x = randomView();
            if (x.dim() == 0) continue;
            int dim = random.nextInt(x.dim());
            Lines lines = Lines.of(x, dim);
            int[] lineShape = x.shape();
            lineShape[dim] = 1;
            for (long l = 0; l < lines.count(); l++) {
                int[] c = coords(l, lineShape);
                for (int j = 0; j < lines.length(); j++) {
                    c[dim] = j;
                    assertEquals(offset(x, c), offsetOf(lines.view(), l) + (long) j * lines.stride(), "trial " + trial);
                }
            }
        }
    }

    /** offsetOf of common.cuh over a View struct's bytes. */
    static long offsetOf(byte[] view, long i) {
        ByteBuffer b = ByteBuffer.wrap(view).order(ByteOrder.LITTLE_ENDIAN);
        int ndim = b.getInt(0);
        long off = b.getInt(4);
        for (int d = ndim - 1; d >= 0; d--) {
            int s = b.getInt(8 + 4 * d);
            off += (i % s) * (long) b.getInt(8 + 4 * KernelArgs.MAX_DIMS + 4 * d);
            i /= s;
        }
        return off;
    }

    private StridedView randomView() {
        int nd = random.nextInt(5);
        int[] shape = new int[nd];
        int[] strides = new int[nd];
        int step = 1;
        for (int d = nd - 1; d >= 0; d--) {
            shape[d] = 1 + random.nextInt(4);
            strides[d] = random.nextInt(6) == 0 ? 0 : step;
            step *= shape[d] + random.nextInt(2);
        }
        // Reverse some dims' order in memory, as a transpose does.
        if (nd >= 2 && random.nextBoolean()) {
            int t = strides[0]; strides[0] = strides[nd - 1]; strides[nd - 1] = t;
        }
        int offset = random.nextInt(3);
        return StridedView.of(Storage.allocate(DType.FLOAT32, step * 4 + offset + 1), shape, strides, offset);
    }

    private static int[] coords(long i, int[] shape) {
        int[] c = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            c[d] = (int) (i % shape[d]);
            i /= shape[d];
        }
        return c;
    }

    private static long offset(StridedView v, int[] c) {
        long off = v.storageOffset();
        int[] st = v.strides();
        for (int d = 0; d < c.length; d++) off += (long) c[d] * st[d];
        return off;
    }
}
