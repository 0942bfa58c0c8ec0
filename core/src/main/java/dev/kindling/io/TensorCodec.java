package dev.kindling.io;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor as bytes, for everything that ships tensors between JVMs (Kryo, Java serialization):
 * the dtype's name, the rank and sizes, then the element bytes of the contiguous tensor in
 * little-endian order. Values only: no gradient, no autograd history, and the copy read back is a
 * fresh CPU tensor. {@link #read} checks what it reads (a known dtype, sizes >= 0, as many bytes as
 * the shape needs) and fails with an {@link IllegalArgumentException} naming the expected and the
 * actual value, so a damaged stream is not silently turned into a tensor.
 */
public final class TensorCodec {
    static {
        // Storage holds elements in native order and the format says little-endian: every platform
        // Kindling runs on (x86-64, aarch64) is; a big-endian JVM would need a byte swap here.
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new ExceptionInInitializerError("TensorCodec: expected a little-endian platform but this one is " + ByteOrder.nativeOrder());
        }
    }

    private TensorCodec() {}

    /** Writes t (detached, moved to the CPU, made contiguous) to out. */
    public static void write(Tensor t, DataOutput out) throws IOException {
        Tensor c = t.detach().to(Device.CPU).contiguous();
        out.writeUTF(c.dtype().name());
        out.writeInt(c.dim());
        for (int s : c.shape()) out.writeInt(s);
        byte[] bytes = c.dataSegment().toArray(ValueLayout.JAVA_BYTE);
        out.writeLong(bytes.length);
        out.write(bytes);
    }

    /** Reads one tensor written by {@link #write}. */
    public static Tensor read(DataInput in) throws IOException {
        String name = in.readUTF();
        DType dtype;
        try {
            dtype = DType.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TensorCodec: expected a dtype (one of " + Arrays.toString(DType.values()) + ") but read '"
                    + name + "'", e);
        }
        int rank = in.readInt();
        if (rank < 0) throw new IllegalArgumentException("TensorCodec: expected a rank >= 0 but read " + rank);
        int[] shape = new int[rank];
        long numel = 1;
        for (int i = 0; i < rank; i++) {
            shape[i] = in.readInt();
            if (shape[i] < 0) throw new IllegalArgumentException("TensorCodec: expected sizes >= 0 but read shape " + Arrays.toString(shape));
            numel *= shape[i];
        }
        long length = in.readLong();
        long expected = numel * dtype.itemSize();
        if (length != expected) {
            throw new IllegalArgumentException("TensorCodec: a " + dtype + " tensor of shape " + Arrays.toString(shape) + " needs "
                    + expected + " bytes but the stream says " + length);
        }
        byte[] bytes = new byte[(int) length];
        in.readFully(bytes);
        Tensor t = Tensors.empty(dtype, shape);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, t.dataSegment(), 0, bytes.length);
        return t;
    }

    /** The bytes {@link #write} writes for t. */
    public static byte[] toBytes(Tensor t) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(t, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return bytes.toByteArray();
    }

    /** The tensor in bytes written by {@link #toBytes}; trailing bytes are an error. */
    public static Tensor fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            Tensor t = read(in);
            if (in.available() > 0) {
                throw new IllegalArgumentException("TensorCodec: expected the end of the tensor's " + bytes.length + " bytes but "
                        + in.available() + " bytes follow");
            }
            return t;
        } catch (java.io.EOFException e) {
            throw new IllegalArgumentException("TensorCodec: the " + bytes.length + " bytes end before the tensor does", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
