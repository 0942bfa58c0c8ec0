package dev.kindling.arrow;

import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NullPolicyTest extends AllocatorTest {

    @Test
    void nullIsRejectedNamingTheColumnAndTheFirstNullRow() {
        try (Float4Vector v = Vectors.floats(allocator, "price", new float[200])) {
            v.setNull(130);
            v.setNull(170);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArrowViews.view(v));
            assertEquals("column 'price': expected no nulls but row 130 is null; NullPolicy.NAN reads nulls in float columns as NaN",
                    e.getMessage());
        }
    }

    @Test
    void firstNullIsFoundAtEveryBitPositionOfASlice() {
        // Exercises the head bits, the 64-bit words and the tail bits of the validity scan.
        for (int nullAt : new int[] {0, 1, 7, 63, 64, 65, 127, 128, 190, 199}) {
            try (Float8Vector v = Vectors.doubles(allocator, "d", new double[200])) {
                v.setNull(nullAt);
                assertEquals(nullAt, Validity.firstNull(v, 0, 200));
                assertEquals(nullAt >= 5 ? nullAt - 5 : -1, Validity.firstNull(v, 5, 195));
                assertEquals(-1, Validity.firstNull(v, nullAt + 1, 199 - nullAt));
            }
        }
    }

    @Test
    void nanPolicyCopiesFloatColumnsWithNullsAndStillViewsTheOthers() {
        try (Float4Vector withNull = Vectors.floats(allocator, "a", 1, 2, 3);
             Float8Vector clean = Vectors.doubles(allocator, "b", 4, 5, 6)) {
            withNull.setNull(1);
            ViewOptions nan = ViewOptions.defaults().nulls(NullPolicy.NAN);
            try (ArrowView a = ArrowViews.view(withNull, nan); ArrowView b = ArrowViews.view(clean, nan)) {
                assertFalse(a.isZeroCopy());
                assertTrue(a.tensor().storage().isArrayBacked());
                assertArrayEquals(new float[] {1, Float.NaN, 3}, a.tensor().toFloatArray());
                assertTrue(b.isZeroCopy());
                assertEquals(clean.getDataBuffer().memoryAddress(), b.tensor().storage().segment().address());
            }
            assertArrayEquals(new float[] {1, Float.NaN, 3}, ArrowCopies.copyWithNullsAsNaN(withNull).toFloatArray());
            assertArrayEquals(new double[] {4, 5, 6}, ArrowCopies.copyWithNullsAsNaN(clean).toDoubleArray());
        }
    }

    @Test
    void nanPolicyCannotHelpAnIntegerColumn() {
        try (BigIntVector v = Vectors.longs(allocator, "id", 1, 2, 3)) {
            v.setNull(2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ArrowViews.view(v, ViewOptions.defaults().nulls(NullPolicy.NAN)));
            assertEquals("column 'id': expected no nulls but row 2 is null; int64 tensors have no value for a missing entry",
                    e.getMessage());
        }
    }

    @Test
    void uncheckedSkipsTheScanAndViewsWhateverIsThere() {
        try (Float4Vector v = Vectors.floats(allocator, "x", 1, 2, 3)) {
            v.setNull(1); // Arrow leaves the value bytes alone; setNull only clears the validity bit
            try (ArrowView view = ArrowViews.view(v, ViewOptions.defaults().nulls(NullPolicy.UNCHECKED))) {
                assertTrue(view.isZeroCopy());
                assertArrayEquals(new float[] {1, 2, 3}, view.tensor().toFloatArray());
            }
        }
    }
}
