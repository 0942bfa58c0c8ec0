package dev.kindling.io;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tensor byte form: every dtype round-trips bit for bit, views are written in logical order, damage is named. */
class TensorCodecTest {

    @Test
    void everyDtypeRoundTripsBitForBit() {
        for (Tensor t : new Tensor[] {
                Tensors.fromArray(new float[] {1.5f, -0f, Float.NaN, Float.MIN_VALUE, 3, 4}, 2, 3),
                Tensors.fromArray(new double[] {Math.PI, -1e300}, 2),
                Tensors.fromArray(new long[] {Long.MIN_VALUE, 7}, 2, 1),
                Tensors.fromArray(new int[] {-5, 6, 7}, 3),
                Tensors.fromArray(new byte[] {(byte) 255, 0, 9}, DType.UINT8, 3),
                Tensors.fromArray(new byte[] {1, 0}, DType.BOOL, 2),
                Tensors.zeros(0, 4),
                Tensors.scalar(2.5)}) {
            Tensor back = TensorCodec.fromBytes(TensorCodec.toBytes(t));
            assertEquals(t.dtype(), back.dtype());
            assertArrayEquals(t.shape(), back.shape());
            assertArrayEquals(t.dataSegment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                    back.dataSegment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), t.dtype() + " " + Arrays.toString(t.shape()));
        }
    }

    @Test
    void aViewIsWrittenInItsLogicalOrder() {
        Tensor t = Tensors.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).t();
        Tensor back = TensorCodec.fromBytes(TensorCodec.toBytes(t));
        assertArrayEquals(new int[] {3, 2}, back.shape());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, back.toFloatArray());
    }

    @Test
    void theLayoutIsDtypeRankSizesLengthBytes() {
        byte[] bytes = TensorCodec.toBytes(Tensors.fromArray(new int[] {1, 2}, 2));
        // writeUTF("INT32") = 2 + 5 bytes, rank 4, one size 4, length 8, data 8 little-endian
        assertEquals(7 + 4 + 4 + 8 + 8, bytes.length);
        assertArrayEquals(new byte[] {1, 0, 0, 0, 2, 0, 0, 0}, Arrays.copyOfRange(bytes, bytes.length - 8, bytes.length));
    }

    @Test
    void damagedBytesFailNamingWhatWasExpected() {
        byte[] good = TensorCodec.toBytes(Tensors.fromArray(new float[] {1, 2, 3}, 3));
        IllegalArgumentException truncated = assertThrows(IllegalArgumentException.class,
                () -> TensorCodec.fromBytes(Arrays.copyOf(good, good.length - 1)));
        assertTrue(truncated.getMessage().contains("end before the tensor does"), truncated.getMessage());
        IllegalArgumentException trailing = assertThrows(IllegalArgumentException.class,
                () -> TensorCodec.fromBytes(Arrays.copyOf(good, good.length + 2)));
        assertTrue(trailing.getMessage().contains("2 bytes follow"), trailing.getMessage());
        byte[] badLength = good.clone();
        badLength[2 + 7 + 4 + 4 + 7] = 11; // the low byte of the big-endian length field: 12 -> 11
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class, () -> TensorCodec.fromBytes(badLength));
        assertEquals("TensorCodec: a float32 tensor of shape [3] needs 12 bytes but the stream says 11", length.getMessage());
        byte[] badDtype = good.clone();
        badDtype[2] = 'X';
        IllegalArgumentException dtype = assertThrows(IllegalArgumentException.class, () -> TensorCodec.fromBytes(badDtype));
        assertTrue(dtype.getMessage().contains("but read 'XLOAT32'"), dtype.getMessage());
    }
}
