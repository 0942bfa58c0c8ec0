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
 * first two bytes are zero, third byte the element type (0x08 = unsigned byte) and fourth the
 * number of dims, big-endian int32 sizes, then exactly product(sizes) data bytes.
 *
 * <p>Every size is checked before memory is allocated for it: in a plain file the sizes must
 * account for the file's length exactly; a gzipped file's length says nothing about what it
 * inflates to, so its data is read in chunks and the buffer grows only with bytes actually
 * present. A wrong magic number, a non-byte type, a file shorter or longer than its sizes say, or
 * a corrupt gzip stream is an {@link IllegalArgumentException} (or, for the gzip stream, an
 * {@link IOException}) naming the file.
 */
public final class Idx {
    /** Kindling tensors are indexed by int; a larger array could not be one tensor. */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private Idx() {}

    /** The file's bytes as a uint8 tensor of the dims it declares; {@code expectedDims} must match. */
    public static Tensor readUnsignedBytes(Path path, int expectedDims) throws IOException {
        String where = "IDX file " + path;
        long fileSize = Files.size(path);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path))) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            boolean gzipped = b0 == 0x1f && b1 == 0x8b;
            try {
                InputStream in = gzipped ? new GZIPInputStream(raw, 1 << 16) : raw;
                return read(where, new DataInputStream(new BufferedInputStream(in, 1 << 16)), expectedDims,
                        gzipped ? -1 : fileSize);
            } catch (IllegalArgumentException e) {
                throw e;
            } catch (IOException e) {
                if (!gzipped) throw new IOException(where + ": " + e.getMessage(), e);
                throw new IOException(where + ": corrupt gzip stream: " + (e.getMessage() == null ? e.getClass().getSimpleName()
                        : e.getMessage()), e);
            }
        }
    }

    /** Reads header and data; {@code fileSize} is the plain file's length, or -1 for a gzipped one. */
    private static Tensor read(String where, DataInputStream data, int expectedDims, long fileSize) throws IOException {
        int expected = 0x0800 | expectedDims;
        int magic = readInt(where, data, "before the magic number");
        if (magic != expected) {
            throw new IllegalArgumentException(where + ": wrong magic number 0x" + String.format("%08x", magic)
                    + ", expected 0x" + String.format("%08x", expected) + " (unsigned bytes, " + expectedDims + " dims)");
        }
        int[] shape = new int[expectedDims];
        long count = 1;
        for (int d = 0; d < expectedDims; d++) {
            shape[d] = readInt(where, data, "in the dimension sizes");
            if (shape[d] < 0) throw new IllegalArgumentException(where + ": negative size " + shape[d] + " in dim " + d);
            // Saturates instead of overflowing; anything above MAX_ELEMENTS is rejected below.
            count = Math.min(count * shape[d], MAX_ELEMENTS + 1);
        }
        long headerBytes = 4L + 4L * expectedDims;
        if (fileSize >= 0 && count != fileSize - headerBytes) {
            boolean isShort = count > fileSize - headerBytes;
            throw new IllegalArgumentException(where + ": " + (isShort ? "truncated" : "has bytes beyond what its sizes declare")
                    + ": sizes " + Arrays.toString(shape) + " need " + describe(count) + " bytes of data but " + (isShort ? "only " : "")
                    + (fileSize - headerBytes) + " follow the " + headerBytes + "-byte header");
        }
        if (count > MAX_ELEMENTS) {
            throw new IllegalArgumentException(where + ": sizes " + Arrays.toString(shape) + " declare more than "
                    + MAX_ELEMENTS + " elements, more than a tensor holds");
        }
        // readNBytes(int) grows its buffer with the bytes it actually reads, so a gzipped header
        // claiming gigabytes costs only what the stream holds.
        byte[] bytes = data.readNBytes((int) count);
        if (bytes.length != count) {
            throw new IllegalArgumentException(where + ": truncated: sizes " + Arrays.toString(shape) + " need "
                    + count + " bytes of data but only " + bytes.length + " are present");
        }
        if (data.read() != -1) {
            throw new IllegalArgumentException(where + ": has bytes beyond the " + count + " its sizes "
                    + Arrays.toString(shape) + " declare");
        }
        return Tensors.fromArray(bytes, DType.UINT8, shape.length == 0 ? new int[] {1} : shape);
    }

    private static int readInt(String where, DataInputStream data, String place) throws IOException {
        try {
            return data.readInt();
        } catch (EOFException e) {
            throw new IllegalArgumentException(where + ": truncated " + place);
        }
    }

    private static String describe(long count) {
        return count > MAX_ELEMENTS ? "more than " + MAX_ELEMENTS : Long.toString(count);
    }
}
