package dev.kindling.cuda;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The bytes of the structs passed by value match the C layouts of common.cuh, conv.cuh and optim.cuh. */
class KernelArgsTest {

    @Test
    void viewIsNdimOffsetThenEightSizesAndEightStrides() {
        ByteBuffer b = ByteBuffer.wrap(KernelArgs.viewBytes(new int[] {2, 3}, new int[] {1, 2}, 7)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(72, b.capacity());
        assertEquals(2, b.getInt(0));
        assertEquals(7, b.getInt(4));
        assertEquals(2, b.getInt(8));
        assertEquals(3, b.getInt(12));
        assertEquals(1, b.getInt(16));    // unused sizes are 1
        assertEquals(1, b.getInt(40));    // first stride
        assertEquals(2, b.getInt(44));
        assertEquals(0, b.getInt(48));    // unused strides are 0
    }

    @Test
    void tooManyDimsIsUnsupported() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> KernelArgs.viewBytes(new int[9], new int[9], 0));
        assertEquals(true, e.getMessage().contains("at most 8 dims"), e.getMessage());
    }

    @Test
    void structsAreAlignedAsC() {
        // AdamArgs: 9 doubles then 4 ints = 88 bytes; SgdArgs: 4 doubles then 5 ints padded to 56;
        // Geometry: 13 ints = 52.
        assertEquals(88, KernelArgs.structBytes(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 1, 2, 3, 4).length);
        assertEquals(56, KernelArgs.structBytes(1.0, 2.0, 3.0, 4.0, 1, 2, 3, 4, 5).length);
        assertEquals(52, KernelArgs.structBytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13).length);
        ByteBuffer b = ByteBuffer.wrap(KernelArgs.structBytes(1, 2.5)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(16, b.capacity());
        assertEquals(1, b.getInt(0));
        assertEquals(2.5, b.getDouble(8));
    }
}
