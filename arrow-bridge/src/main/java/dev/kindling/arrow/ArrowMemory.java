package dev.kindling.arrow;

import org.apache.arrow.memory.ArrowBuf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The one place that turns Arrow buffers into {@link MemorySegment}s. Arrow allocates its memory
 * outside the FFM API (through Netty or Unsafe), so a segment can only be made from the buffer's
 * address with {@code reinterpret}, a restricted method (it needs
 * {@code --enable-native-access=ALL-UNNAMED}, which Kindling's JVM flags include). Every segment
 * made here is bounded by the buffer's capacity, so an access outside the buffer throws instead of
 * reading a neighbour's memory.
 */
final class ArrowMemory {
    private ArrowMemory() {}

    /**
     * The whole buffer, for reading right now while the caller holds the buffer (validity and
     * offsets during checks, values during copies). Not for tensors: nothing ties its lifetime to
     * the buffer's.
     */
    @SuppressWarnings("restricted")
    static MemorySegment transientSegment(ArrowBuf buf) {
        return MemorySegment.ofAddress(buf.memoryAddress()).reinterpret(buf.capacity());
    }

    /**
     * {@code byteLength} bytes from {@code byteOffset} into {@code buf}, valid while {@code arena}
     * is open: the segment tensors read, which the arena's closing revokes.
     */
    @SuppressWarnings("restricted")
    static MemorySegment scopedSegment(ArrowBuf buf, long byteOffset, long byteLength, Arena arena) {
        if (byteOffset < 0 || byteLength < 0 || byteOffset + byteLength > buf.capacity()) {
            throw new IllegalArgumentException("segment: bytes [" + byteOffset + ", " + (byteOffset + byteLength)
                    + ") lie outside an Arrow buffer of " + buf.capacity() + " bytes");
        }
        return MemorySegment.ofAddress(buf.memoryAddress() + byteOffset).reinterpret(byteLength, arena, null);
    }
}
