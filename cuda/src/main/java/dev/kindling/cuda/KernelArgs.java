package dev.kindling.cuda;

import dev.kindling.backend.StridedView;
import jcuda.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The argument list of one kernel launch, in the kernel's parameter order, as cuLaunchKernel takes
 * it: a pointer to each argument's bytes. Device pointers and 64-bit integers are 8 bytes; structs
 * (View, Geometry, AdamArgs, SgdArgs in common.cuh and friends) are passed by value as their bytes,
 * laid out as the CUDA compiler lays them out on a little-endian 64-bit host.
 */
final class KernelArgs {
    /** The View struct of common.cuh: int ndim, int offset, int shape[8], int strides[8]. */
    static final int MAX_DIMS = 8;
    static final int VIEW_BYTES = 8 + 8 * MAX_DIMS;

    private final List<Pointer> args = new ArrayList<>();

    KernelArgs pointer(long address) { args.add(Pointer.to(new long[] {address})); return this; }

    KernelArgs i32(int v) { args.add(Pointer.to(new int[] {v})); return this; }

    KernelArgs i64(long v) { args.add(Pointer.to(new long[] {v})); return this; }

    KernelArgs f64(double v) { args.add(Pointer.to(new double[] {v})); return this; }

    KernelArgs struct(byte[] bytes) { args.add(Pointer.to(bytes)); return this; }

    /** A View with the given layout. */
    KernelArgs view(int[] shape, int[] strides, int offset) { return struct(viewBytes(shape, strides, offset)); }

    /** The view's own layout. */
    KernelArgs view(StridedView v) { return view(v.shape(), v.strides(), v.storageOffset()); }

    /** The device address of v's storage (its element offset travels in its View) and its View. */
    KernelArgs data(StridedView v) { return pointer(CudaBuffer.of(v).address()).view(v); }

    /** Operand i of a coalesced elementwise launch: its address and its View in the merged dims. */
    KernelArgs data(StridedView v, Coalesced c, int i) {
        return pointer(CudaBuffer.of(v).address()).view(c.shape(), c.strides()[i], v.storageOffset());
    }

    Pointer toPointer() { return Pointer.to(args.toArray(new Pointer[0])); }

    static byte[] viewBytes(int[] shape, int[] strides, int offset) {
        if (shape.length > MAX_DIMS) {
            throw new UnsupportedOperationException("CUDA kernels take tensors of at most " + MAX_DIMS
                    + " dims but got " + shape.length + " dims " + java.util.Arrays.toString(shape));
        }
        ByteBuffer b = ByteBuffer.allocate(VIEW_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(shape.length).putInt(offset);
        for (int d = 0; d < MAX_DIMS; d++) b.putInt(d < shape.length ? shape[d] : 1);
        for (int d = 0; d < MAX_DIMS; d++) b.putInt(d < strides.length ? strides[d] : 0);
        return b.array();
    }

    /** A struct of the given fields in order: Double as 8 bytes, Integer as 4, aligned as C aligns them. */
    static byte[] structBytes(Object... fields) {
        ByteBuffer b = ByteBuffer.allocate(8 * fields.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        int maxAlign = 1;
        for (Object f : fields) {
            int size = f instanceof Double ? 8 : 4;
            maxAlign = Math.max(maxAlign, size);
            while (b.position() % size != 0) b.put((byte) 0);
            if (f instanceof Double d) b.putDouble(d);
            else b.putInt((Integer) f);
        }
        while (b.position() % maxAlign != 0) b.put((byte) 0);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }
}
