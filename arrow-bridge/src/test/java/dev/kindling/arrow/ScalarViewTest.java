package dev.kindling.arrow;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Tensor;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.util.TransferPair;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScalarViewTest extends AllocatorTest {

    @Test
    void float4ViewSharesTheDataBufferBothWays() {
        try (Float4Vector v = Vectors.floats(allocator, "x", 1.5f, -2f, 3.25f);
             ArrowView view = ArrowViews.view(v)) {
            Tensor t = view.tensor();
            assertEquals(DType.FLOAT32, t.dtype());
            assertArrayEquals(new int[] {3}, t.shape());
            assertTrue(view.isZeroCopy());
            assertFalse(t.storage().isArrayBacked());
            assertEquals(v.getDataBuffer().memoryAddress(), t.storage().segment().address());
            assertEquals(v.getDataBuffer().memoryAddress(), t.dataSegment().address());
            assertArrayEquals(new float[] {1.5f, -2f, 3.25f}, t.toFloatArray());

            t.mul_(2);                          // a write through the tensor...
            assertEquals(3f, v.get(0));         // ...is a write to the vector
            assertEquals(6.5f, v.get(2));
            v.set(1, 100f);                     // and the other way round
            assertEquals(100f, t.get(1));
            assertEquals(109.5, t.sum().item(), 1e-6);
        }
    }

    @Test
    void float8IntBigIntAndUInt1AreViewedWithTheirDtypes() {
        try (Float8Vector d = Vectors.doubles(allocator, "d", 0.5, 1e300);
             IntVector i = Vectors.ints(allocator, "i", -7, Integer.MAX_VALUE);
             BigIntVector l = Vectors.longs(allocator, "l", Long.MIN_VALUE, 42L);
             UInt1Vector u = new UInt1Vector("u", allocator)) {
            u.allocateNew(3);
            u.set(0, 0);
            u.set(1, 200);
            u.set(2, 255);
            u.setValueCount(3);
            try (ArrowView dv = ArrowViews.view(d); ArrowView iv = ArrowViews.view(i);
                 ArrowView lv = ArrowViews.view(l); ArrowView uv = ArrowViews.view(u)) {
                assertEquals(DType.FLOAT64, dv.tensor().dtype());
                assertArrayEquals(new double[] {0.5, 1e300}, dv.tensor().toDoubleArray());
                assertEquals(d.getDataBuffer().memoryAddress(), dv.tensor().storage().segment().address());

                assertEquals(DType.INT32, iv.tensor().dtype());
                assertArrayEquals(new int[] {-7, Integer.MAX_VALUE}, iv.tensor().toIntArray());
                assertEquals(i.getDataBuffer().memoryAddress(), iv.tensor().storage().segment().address());

                assertEquals(DType.INT64, lv.tensor().dtype());
                assertArrayEquals(new long[] {Long.MIN_VALUE, 42L}, lv.tensor().toLongArray());
                assertEquals(l.getDataBuffer().memoryAddress(), lv.tensor().storage().segment().address());

                assertEquals(DType.UINT8, uv.tensor().dtype());
                assertArrayEquals(new long[] {0, 200, 255}, uv.tensor().toLongArray());
                assertEquals(u.getDataBuffer().memoryAddress(), uv.tensor().storage().segment().address());
                lv.tensor().add_(1);
                assertEquals(Long.MIN_VALUE + 1, l.get(0));
            }
        }
    }

    @Test
    void slicedVectorIsViewedFromItsOffset() {
        try (Float4Vector v = Vectors.floats(allocator, "x", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)) {
            TransferPair tp = v.getTransferPair(allocator);
            tp.splitAndTransfer(3, 4);
            try (Float4Vector slice = (Float4Vector) tp.getTo(); ArrowView view = ArrowViews.view(slice)) {
                assertArrayEquals(new float[] {3, 4, 5, 6}, view.tensor().toFloatArray());
                // Arrow slices without copying; the view starts 3 floats into the original buffer.
                assertEquals(v.getDataBuffer().memoryAddress() + 3 * 4, view.tensor().storage().segment().address());
                view.tensor().fill_(-1);
                assertEquals(-1f, v.get(3));
                assertEquals(-1f, v.get(6));
                assertEquals(7f, v.get(7));
                assertEquals(2f, v.get(2));
            }
        }
    }

    @Test
    void emptyVectorGivesAnEmptyTensor() {
        try (Float4Vector v = Vectors.floats(allocator, "x"); ArrowView view = ArrowViews.view(v)) {
            assertArrayEquals(new int[] {0}, view.tensor().shape());
            assertEquals(DType.FLOAT32, view.tensor().dtype());
        }
    }

    @Test
    void smallIntAndTinyIntAreRejectedUnlessCopiesAreAllowedThenWidened() {
        try (SmallIntVector s = new SmallIntVector("s", allocator); TinyIntVector b = new TinyIntVector("b", allocator)) {
            s.allocateNew(3);
            s.set(0, -32768);
            s.set(1, 7);
            s.set(2, 32767);
            s.setValueCount(3);
            b.allocateNew(2);
            b.set(0, -128);
            b.set(1, 127);
            b.setValueCount(2);

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArrowViews.view(s));
            assertEquals("column 's': SMALLINT (Int(16, true)) has no same-layout Kindling dtype (Kindling has no int16 dtype, "
                    + "so it must be widened to int32); pass ViewOptions.allowCopies(true) to copy it", e.getMessage());
            assertTrue(assertThrows(IllegalArgumentException.class, () -> ArrowViews.view(b)).getMessage()
                    .contains("TINYINT (Int(8, true))"));

            try (ArrowView sv = ArrowViews.view(s, ViewOptions.defaults().allowCopies(true));
                 ArrowView bv = ArrowViews.view(b, ViewOptions.defaults().allowCopies(true))) {
                assertFalse(sv.isZeroCopy());
                assertEquals(DType.INT32, sv.tensor().dtype());
                assertArrayEquals(new int[] {-32768, 7, 32767}, sv.tensor().toIntArray());
                assertTrue(sv.tensor().storage().isArrayBacked());
                assertArrayEquals(new int[] {-128, 127}, bv.tensor().toIntArray());
            }
            assertArrayEquals(new int[] {-32768, 7, 32767}, ArrowCopies.widenToInt32(s).toIntArray());
            assertArrayEquals(new int[] {-128, 127}, ArrowCopies.widenToInt32(b).toIntArray());
        }
    }

    @Test
    void bitIsUnpackedIntoBoolOnlyByACopy() {
        try (BitVector v = new BitVector("flag", allocator)) {
            boolean[] bits = new boolean[19];
            v.allocateNew(bits.length);
            for (int i = 0; i < bits.length; i++) {
                bits[i] = i % 3 == 0 || i == 17;
                v.set(i, bits[i] ? 1 : 0);
            }
            v.setValueCount(bits.length);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArrowViews.view(v));
            assertTrue(e.getMessage().startsWith("column 'flag': BIT (Bool) has no same-layout Kindling dtype (Bit is bit-packed"),
                    e.getMessage());
            Tensor t = ArrowCopies.unpackBits(v);
            assertEquals(DType.BOOL, t.dtype());
            assertArrayEquals(bits, t.toBooleanArray());
            try (ArrowView view = ArrowViews.view(v, ViewOptions.defaults().allowCopies(true))) {
                assertFalse(view.isZeroCopy());
                assertArrayEquals(bits, view.tensor().toBooleanArray());
            }
        }
    }

    @Test
    void unsupportedTypeNamesTheTypeAndTheColumn() {
        try (VarCharVector v = new VarCharVector("name", allocator)) {
            v.allocateNew(1);
            v.set(0, "a".getBytes(StandardCharsets.UTF_8));
            v.setValueCount(1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArrowViews.view(v));
            assertTrue(e.getMessage().startsWith("column 'name': Arrow type VARCHAR (Utf8) is not supported; supported are Float4"),
                    e.getMessage());
        }
    }

    @Test
    void twoDimensionalRequestOnAScalarColumnIsAnError() {
        try (Float4Vector v = Vectors.floats(allocator, "x", 1, 2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArrowViews.matrix(v));
            assertEquals("column 'x': expected a 2-D tensor, which needs 1 level of FixedSizeList or equal-length List "
                    + "around scalars, but the column is FLOAT4 (FloatingPoint(SINGLE)) and gives shape [2]", e.getMessage());
        }
    }
}
