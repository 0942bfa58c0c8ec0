package dev.kindling.vision;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the format of MNIST and Fashion-MNIST), gzipped or not: a magic number whose
 * third byte is the element type (0x08 = unsigned byte) and fourth the number of dims, big-endian
 * int32 sizes, then the data. A wrong magic number, a non-byte type, or a file shorter than its
 * sizes promise is an {@link IllegalArgumentException} naming the file.
 */
public final class Idx {
    private Idx() {}

    /** The file's bytes as a uint8 tensor of the dims it declares; {@code expectedDims} must match. */
    public static Tensor readUnsignedBytes(Path path, int expectedDims) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path))) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
            DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16));
            int magic;
            try {
                magic = data.readInt();
            } catch (EOFException e) {
                throw new IllegalArgumentException("IDX file " + path + ": truncated before the magic number");
            }
            int expected = 0x0800 | expectedDims;
            if (magic != expected) {
                throw new IllegalArgumentException("IDX file " + path + ": wrong magic number 0x" + String.format("%08x", magic)
                        + ", expected 0x" + String.format("%08x", expected) + " (unsigned bytes, " + expectedDims + " dims)");
            }
            int[] shape = new int[expectedDims];
            long count = 1;
            for (int d = 0; d < expectedDims; d++) {
                try {
                    shape[d] = data.readInt();
                } catch (EOFException e) {
                    throw new IllegalArgumentException("IDX file " + path + ": truncated in the dimension sizes");
                }
                if (shape[d] < 0) throw new IllegalArgumentException("IDX file " + path + ": negative size " + shape[d] + " in dim " + d);
                count *= shape[d];
            }
            if (count > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("IDX file " + path + ": " + count + " elements is too many");
            byte[] bytes = new byte[(int) count];
            int read = data.readNBytes(bytes, 0, bytes.length);
            if (read != bytes.length) {
                throw new IllegalArgumentException("IDX file " + path + ": truncated: sizes " + Arrays.toString(shape) + " need "
                        + count + " bytes of data but only " + read + " are present");
            }
            if (data.read() != -1) {
                throw new IllegalArgumentException("IDX file " + path + ": has bytes beyond the " + count + " its sizes "
                        + Arrays.toString(shape) + " declare");
            }
            return Tensors.fromArray(bytes, DType.UINT8, shape.length == 0 ? new int[] {1} : shape);
        }
    }
}
