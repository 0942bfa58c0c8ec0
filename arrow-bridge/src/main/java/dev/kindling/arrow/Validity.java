package dev.kindling.arrow;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Finds nulls in a range of an Arrow vector by reading its validity bitmap 64 bits at a time,
 * which is what makes rejecting nulls cheap (rows / 8 bytes read) next to copying the column.
 */
final class Validity {
    private Validity() {}

    // Arrow bitmaps are little-endian bit order: element i is bit (i % 8) of byte i / 8, so a
    // little-endian 64-bit load at byte i / 8 holds elements i .. i + 63 in bits 0 .. 63.
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * The index (counted from {@code start}) of the first null among elements
     * {@code [start, start + count)} of {@code vector}, or -1 when there is none.
     */
    static long firstNull(FieldVector vector, long start, long count) {
        if (count == 0) return -1;
        ArrowBuf validity = vector.getValidityBuffer();
        long bytesNeeded = (start + count + 7) / 8;
        if (validity == null || validity.capacity() < bytesNeeded) {
            throw new IllegalArgumentException("column '" + vector.getName() + "': expected a validity bitmap of at least "
                    + bytesNeeded + " bytes for " + (start + count) + " elements but got "
                    + (validity == null ? "none" : validity.capacity() + " bytes"));
        }
        MemorySegment bits = ArrowMemory.transientSegment(validity);
        long i = start;
        long end = start + count;
        while (i < end && (i & 63) != 0) {
            if (!isSet(bits, i)) return i - start;
            i++;
        }
        while (end - i >= 64) {
            long word = bits.get(WORD, i >>> 3);
            if (word != -1L) return i + Long.numberOfTrailingZeros(~word) - start;
            i += 64;
        }
        while (i < end) {
            if (!isSet(bits, i)) return i - start;
            i++;
        }
        return -1;
    }

    static boolean isSet(MemorySegment bits, long i) {
        return (bits.get(ValueLayout.JAVA_BYTE, i >>> 3) & (1 << (i & 7))) != 0;
    }
}
