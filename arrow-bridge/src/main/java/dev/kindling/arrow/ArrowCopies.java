package dev.kindling.arrow;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The conversions from Arrow to tensors that <em>copy</em>, each named for what it does. They
 * exist where a view is impossible: Bit columns are bit-packed (a bool tensor has a byte per
 * element), SmallInt/TinyInt have no same-width Kindling dtype, and NaN in place of nulls would
 * mean writing into Arrow memory the caller may still be using. The results are ordinary heap
 * tensors that do not depend on the Arrow memory afterwards. Nulls are rejected (an
 * {@link IllegalArgumentException} naming the column and the row) except by the NaN copies.
 */
public final class ArrowCopies {
    private ArrowCopies() {}

    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** A new bool tensor [rows] holding the unpacked bits of a Bit vector (copies). */
    public static Tensor unpackBits(BitVector vector) { return copyScalar(vector, DType.BOOL); }

    /** A new int32 tensor [rows] holding a SmallInt (int16) vector's values, sign-extended (copies). */
    public static Tensor widenToInt32(SmallIntVector vector) { return copyScalar(vector, DType.INT32); }

    /** A new int32 tensor [rows] holding a TinyInt (int8) vector's values, sign-extended (copies). */
    public static Tensor widenToInt32(TinyIntVector vector) { return copyScalar(vector, DType.INT32); }

    /** A new float32 tensor [rows] with NaN wherever the vector is null (copies, even without nulls). */
    public static Tensor copyWithNullsAsNaN(Float4Vector vector) {
        return copy(vector, 0, new int[] {vector.getValueCount()}, DType.FLOAT32, true);
    }

    /** A new float64 tensor [rows] with NaN wherever the vector is null (copies, even without nulls). */
    public static Tensor copyWithNullsAsNaN(Float8Vector vector) {
        return copy(vector, 0, new int[] {vector.getValueCount()}, DType.FLOAT64, true);
    }

    private static Tensor copyScalar(FieldVector vector, DType dtype) {
        long nul = Validity.firstNull(vector, 0, vector.getValueCount());
        if (nul >= 0) {
            throw new IllegalArgumentException("column '" + vector.getName() + "': expected no nulls but row " + nul + " is null");
        }
        return copy(vector, 0, new int[] {vector.getValueCount()}, dtype, false);
    }

    /**
     * Copies {@code numel(shape)} elements of {@code leaf} from element {@code start} into a new
     * tensor of the given shape; with {@code nullsAsNaN} (float leaves only) nulls become NaN.
     */
    static Tensor copy(FieldVector leaf, long start, int[] shape, DType dtype, boolean nullsAsNaN) {
        int n = 1;
        for (int d : shape) n = Math.multiplyExact(n, d);
        MemorySegment data = ArrowMemory.transientSegment(leaf.getDataBuffer());
        Tensor out = switch (leaf) {
            case BitVector _ -> {
                byte[] b = new byte[n];
                for (int i = 0; i < n; i++) b[i] = Validity.isSet(data, start + i) ? (byte) 1 : 0;
                yield Tensors.fromArray(b, DType.BOOL, shape);
            }
            case SmallIntVector _ -> {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) a[i] = data.get(SHORT, (start + i) * 2);
                yield Tensors.fromArray(a, shape);
            }
            case TinyIntVector _ -> {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) a[i] = data.get(ValueLayout.JAVA_BYTE, start + i);
                yield Tensors.fromArray(a, shape);
            }
            case Float4Vector _ -> {
                float[] a = new float[n];
                MemorySegment.copy(data, ValueLayout.JAVA_FLOAT_UNALIGNED, start * 4, a, 0, n);
                yield Tensors.fromArray(a, shape);
            }
            case Float8Vector _ -> {
                double[] a = new double[n];
                MemorySegment.copy(data, ValueLayout.JAVA_DOUBLE_UNALIGNED, start * 8, a, 0, n);
                yield Tensors.fromArray(a, shape);
            }
            default -> throw new IllegalArgumentException("column '" + leaf.getName() + "': no copy conversion from "
                    + ArrowTypes.describe(leaf) + " to " + dtype);
        };
        if (out.dtype() != dtype) throw new IllegalStateException("copy of " + ArrowTypes.describe(leaf) + " made " + out.dtype());
        if (nullsAsNaN) fillNullsWithNaN(leaf, start, out);
        return out;
    }

    private static void fillNullsWithNaN(FieldVector leaf, long start, Tensor out) {
        if (!out.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("column '" + leaf.getName() + "': nulls can be read as NaN only in float "
                    + "columns but the column is " + ArrowTypes.describe(leaf));
        }
        long n = out.numel();
        long from = 0;
        while (from < n) {
            long i = Validity.firstNull(leaf, start + from, n - from);
            if (i < 0) break;
            long at = from + i;
            switch (out.storage().array()) {
                case float[] a -> a[(int) at] = Float.NaN;
                case double[] a -> a[(int) at] = Double.NaN;
                default -> throw new IllegalStateException("unexpected storage for " + out.dtype());
            }
            from = at + 1;
        }
    }

}
