package dev.kindling.tensor;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static dev.kindling.tensor.TestSupport.assertBadInput;
import static dev.kindling.tensor.TestSupport.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tensors made from Java memory share it both ways, as torch.from_numpy does. */
class MemorySharingTest {

    @Test
    void floatArraySharedBothWays() {
        float[] a = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensors.fromArray(a, 2, 3);
        assertSame(a, t.storage().array());
        t.mul_(2);
        assertEquals(12f, a[5]);
        a[0] = -7;
        assertEquals(-7.0, t.get(0, 0));
        t.t().select(0, 2).fill_(0); // column 2 through a transposed view
        assertEquals(0f, a[2]);
        assertEquals(0f, a[5]);
    }

    @Test
    void doubleIntLongArraysShared() {
        double[] d = {1, 2};
        Tensors.fromArray(d).add_(1);
        assertEquals(3.0, d[1]);
        int[] i = {1, 2, 3};
        Tensor ti = Tensors.fromArray(i);
        assertEquals(DType.INT32, ti.dtype());
        ti.mul_(3);
        assertEquals(9, i[2]);
        long[] l = {Long.MAX_VALUE - 1};
        Tensors.fromArray(l).add_(1);
        assertEquals(Long.MAX_VALUE, l[0], "int64 arithmetic is exact");
    }

    @Test
    void directByteBufferShared() {
        ByteBuffer buf = ByteBuffer.allocateDirect(4 * 6).order(ByteOrder.nativeOrder());
        for (int k = 0; k < 6; k++) buf.putFloat(k * 4, k);
        Tensor t = Tensors.fromBuffer(buf, DType.FLOAT32, 2, 3);
        assertFalse(t.storage().isArrayBacked());
        assertEquals(MemorySegment.ofBuffer(buf).address(), t.dataSegment().address());
        assertValues(t.sum(1), 3, 12);
        t.add_(10);
        assertEquals(15f, buf.getFloat(5 * 4));
        buf.putFloat(0, 100);
        assertEquals(100.0, t.get(0, 0));
    }

    @Test
    void nativeSegmentSharedAndUsableByEveryKernel() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(8L * 4 * 3);
            for (int k = 0; k < 12; k++) seg.setAtIndex(ValueLayout.JAVA_DOUBLE, k, k);
            Tensor t = Tensors.fromSegment(seg, DType.FLOAT64, arena, 4, 3);
            assertEquals(seg.address(), t.dataSegment().address());
            // kernels on foreign memory: elementwise, reduction, matmul (BLAS reads it in place), transposed views
            assertValues(t.mul(2).sum(0), 36, 44, 52);
            assertValues(t.t().matmul(Tensors.ones(DType.FLOAT64, 4, 1)), 18, 22, 26);
            assertValues(t.select(1, 2).exp().log(), 2, 5, 8, 11);
            t.select(0, 0).copy_(Tensors.tensor(-1.0, -2.0, -3.0));
            assertEquals(-3.0, seg.getAtIndex(ValueLayout.JAVA_DOUBLE, 2));
            t.t().add_(1); // in place through a strided view of foreign memory
            assertEquals(12.0, seg.getAtIndex(ValueLayout.JAVA_DOUBLE, 11));
        }
    }

    @Test
    void rowsOfForeignMemoryAreGatheredWithoutStagingTheWholeTensor() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(4L * 5 * 3);
            for (int k = 0; k < 15; k++) seg.setAtIndex(ValueLayout.JAVA_FLOAT, k, k);
            Tensor t = Tensors.fromSegment(seg, DType.FLOAT32, arena, 5, 3);
            Tensor rows = t.indexSelect(0, Tensors.tensor(4L, 0L, 4L));
            assertTrue(rows.storage().isArrayBacked());
            assertValues(rows, 12, 13, 14, 0, 1, 2, 12, 13, 14);
        }
    }

    @Test
    void accessAfterTheOwnerClosedFailsCleanly() {
        Arena arena = Arena.ofShared();
        MemorySegment seg = arena.allocate(16);
        Tensor t = Tensors.fromSegment(seg, DType.FLOAT32, arena, 4);
        arena.close();
        assertThrows(IllegalStateException.class, t::sum);
    }

    @Test
    void wrongArrayTypeOrSizeIsRejected() {
        assertBadInput(() -> Storage.ofArray(new int[3], DType.FLOAT32), "float[]", "int[]");
        assertBadInput(() -> Tensors.fromArray(new float[6], 4, 2), "invalid for input of size 6");
        assertTrue(Tensors.fromArray(new float[6], -1, 2).size(0) == 3);
    }
}
