package dev.kindling.arrow;

import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The shape a column takes as a tensor and where its elements lie in the innermost (leaf) vector.
 * A scalar column of n rows is [n]; each level of {@code FixedSizeList} or equal-length
 * {@code List} adds a dimension, so a list of fixed-size lists of floats is [rows, h, w]. Because
 * every level has one width, the elements of rows [0, n) are one contiguous run of the leaf
 * vector, which is what lets a single tensor view them.
 *
 * @param column    the top-level column name, for messages
 * @param leaf      the innermost, fixed-width vector
 * @param leafStart index in {@code leaf} of the first element
 * @param shape     the tensor shape, rows first
 * @param rowSize   number of leaf elements per top-level row (product of the list widths)
 */
record ColumnLayout(String column, FieldVector leaf, long leafStart, int[] shape, long rowSize) {
    private static final ValueLayout.OfInt OFFSET = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Number of leaf elements the tensor covers. */
    long numel() { return (long) shape[0] * rowSize; }

    /** The top-level row that leaf element {@code leafIndex} (counted from leafStart) belongs to. */
    long rowOf(long leafIndex) { return rowSize == 0 ? 0 : leafIndex / rowSize; }

    /**
     * Walks the list levels of {@code vector}. With {@code checkNulls}, a null list at any level is
     * an error (a tensor has no way to hold a missing row); lists of different lengths always are.
     */
    static ColumnLayout of(FieldVector vector, boolean checkNulls) {
        String column = vector.getName();
        int rows = vector.getValueCount();
        int[] dims = {rows};
        FieldVector v = vector;
        long start = 0;          // first element of the current level
        long count = rows;       // elements of the current level that the tensor covers
        long perRow = 1;         // elements of the current level per top-level row
        int level = 0;
        while (true) {
            int width;
            long childStart;
            if (v instanceof FixedSizeListVector f) {
                if (checkNulls) rejectNullLists(column, v, start, count, perRow, level);
                width = f.getListSize();
                childStart = start * width;
                v = f.getDataVector();
            } else if (v instanceof ListVector l) {
                if (checkNulls) rejectNullLists(column, v, start, count, perRow, level);
                width = commonLength(column, l, start, count, perRow, level);
                childStart = count == 0 ? 0 : offsets(l).get(OFFSET, start * 4);
                v = l.getDataVector();
            } else {
                return new ColumnLayout(column, v, start, dims, perRow);
            }
            level++;
            dims = Arrays.copyOf(dims, dims.length + 1);
            dims[dims.length - 1] = width;
            start = childStart;
            count *= width;
            perRow *= width;
            if (count > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("column '" + column + "': a tensor holds at most " + Integer.MAX_VALUE
                        + " elements but shape " + Arrays.toString(dims) + " has " + count);
            }
        }
    }

    /** The one length all lists in the range share, or an error naming the first row that differs. */
    private static int commonLength(String column, ListVector l, long start, long count, long perRow, int level) {
        if (count == 0) return 0;
        MemorySegment off = offsets(l);
        if (off.byteSize() < (start + count + 1) * 4) {
            throw new IllegalArgumentException("column '" + column + "': expected an offset buffer of at least "
                    + (start + count + 1) * 4 + " bytes but got " + off.byteSize());
        }
        int first = off.get(OFFSET, start * 4);
        int prev = off.get(OFFSET, start * 4 + 4);
        int width = prev - first;
        for (long i = 1; i < count; i++) {
            int next = off.get(OFFSET, (start + i + 1) * 4);
            if (next - prev != width) {
                throw new IllegalArgumentException("column '" + column + "': lists must all have one length to form a tensor, "
                        + "but " + where(i / perRow, level) + " has length " + (next - prev) + " while the first list"
                        + (level == 0 ? " (row 0)" : " at that level") + " has length " + width);
            }
            prev = next;
        }
        return width;
    }

    private static void rejectNullLists(String column, FieldVector v, long start, long count, long perRow, int level) {
        long i = Validity.firstNull(v, start, count);
        if (i >= 0) {
            throw new IllegalArgumentException("column '" + column + "': expected no null lists but "
                    + where(i / perRow, level) + " is null");
        }
    }

    private static String where(long row, int level) {
        return level == 0 ? "row " + row : "a list nested " + level + " level" + (level == 1 ? "" : "s") + " deep in row " + row;
    }

    private static MemorySegment offsets(ListVector l) {
        return ArrowMemory.transientSegment(l.getOffsetBuffer());
    }
}
