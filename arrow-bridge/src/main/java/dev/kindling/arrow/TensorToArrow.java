package dev.kindling.arrow;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Tensor;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.BaseRepeatedValueVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Tensors back into Arrow: a tensor becomes a new vector (float32 to Float4, float64 to Float8,
 * int32 to Int, int64 to BigInt, uint8 to UInt1, bool to Bit; a 2-D tensor to a FixedSizeList of
 * those, and each further dim to one more FixedSizeList level), and a {@link TensorBatch} becomes
 * a {@code VectorSchemaRoot}. The vectors have no nulls and are owned by the caller, who closes
 * them.
 *
 * <p><b>Copy or not.</b> When the tensor is a contiguous view of Arrow memory that is still open
 * (from {@link ArrowViews} or {@link TensorBatchReader}) and the target allocator shares that
 * memory's root allocator, the new vector's data buffer <em>is</em> that memory, retained through
 * Arrow's reference counting under the target allocator: no bytes move, and writes through either
 * side are seen by the other. Otherwise (heap tensors, other devices, strided views, bool tensors,
 * which Arrow packs into bits, or a different root allocator) the data is copied once into a new
 * buffer. Test with {@code vector.getDataBuffer().memoryAddress()} if it matters.
 */
public final class TensorToArrow {
    private TensorToArrow() {}

    /** A new vector named {@code name} holding the tensor (shares its memory when it can; see above). */
    public static FieldVector toVector(String name, Tensor tensor, BufferAllocator allocator) {
        if (tensor.dim() == 0) {
            throw new IllegalArgumentException("toVector: column '" + name + "' expected a tensor with at least 1 dim (rows) but got a 0-dim tensor");
        }
        Tensor t = tensor.device().isCpu() ? tensor : tensor.to(Device.CPU);
        int[] shape = t.shape();
        FieldVector vector = field(name, t.dtype(), shape).createVector(allocator);
        ArrowBuf shared = sharedBuffer(t, allocator);
        ArrowBuf data = shared != null ? shared : copyToArrow(t, allocator);
        try {
            load(vector, shape, data, allocator);
            return vector;
        } catch (RuntimeException e) {
            vector.close();
            throw e;
        } finally {
            // The vector retained what it keeps; a buffer we allocated ourselves is ours to release.
            if (shared == null) data.close();
        }
    }

    /** A new {@code VectorSchemaRoot} with one vector per column of the batch, in order. */
    public static VectorSchemaRoot toRoot(TensorBatch batch, BufferAllocator allocator) {
        List<FieldVector> vectors = new ArrayList<>();
        try {
            for (Map.Entry<String, Tensor> e : batch.tensors().entrySet()) {
                vectors.add(toVector(e.getKey(), e.getValue(), allocator));
            }
            List<Field> fields = vectors.stream().map(FieldVector::getField).toList();
            return new VectorSchemaRoot(fields, vectors, batch.rowCount());
        } catch (RuntimeException e) {
            vectors.forEach(FieldVector::close);
            throw e;
        }
    }

    /** The Arrow field a tensor of this dtype and shape is written as (rows are not part of it). */
    static Field field(String name, DType dtype, int[] shape) {
        // List children are named as Arrow Java names them ("$data$"), so this field equals the
        // field of the vector it creates; PyArrow calls them "item" but matches children by position.
        Field f = new Field(BaseRepeatedValueVector.DATA_VECTOR_NAME, FieldType.notNullable(ArrowTypes.arrowType(dtype)), null);
        for (int d = shape.length - 1; d >= 1; d--) {
            f = new Field(d == 1 ? name : BaseRepeatedValueVector.DATA_VECTOR_NAME,
                    FieldType.notNullable(new ArrowType.FixedSizeList(shape[d])), List.of(f));
        }
        return shape.length == 1 ? new Field(name, f.getFieldType(), null) : f;
    }

    /** A slice of the Arrow buffer the tensor already lives in, or null when it must be copied. */
    private static ArrowBuf sharedBuffer(Tensor t, BufferAllocator allocator) {
        if (!(t.storage().owner() instanceof ArrowLease lease)) return null;
        if (!lease.isOpen()) {
            throw new IllegalStateException("toVector: the tensor views Arrow memory whose view or batch has been closed");
        }
        if (t.dtype() == DType.BOOL || !t.isContiguous() || t.numel() == 0) return null;
        ArrowBuf slice = lease.sliceOf(t.dataSegment());
        if (slice == null || slice.getReferenceManager().getAllocator().getRoot() != allocator.getRoot()) return null;
        return slice;
    }

    private static ArrowBuf copyToArrow(Tensor t, BufferAllocator allocator) {
        long n = t.numel();
        if (t.dtype() == DType.BOOL) {
            // Arrow packs booleans 8 to a byte, least significant bit first.
            MemorySegment from = t.contiguous().dataSegment();
            long bytes = (n + 7) / 8;
            ArrowBuf buf = allocator.buffer(bytes);
            for (long b = 0; b < bytes; b++) {
                int bits = 0;
                for (int k = 0; k < 8 && b * 8 + k < n; k++) {
                    if (from.get(ValueLayout.JAVA_BYTE, b * 8 + k) != 0) bits |= 1 << k;
                }
                buf.setByte(b, bits);
            }
            return buf;
        }
        long bytes = n * t.dtype().itemSize();
        ArrowBuf buf = allocator.buffer(bytes);
        if (bytes > 0) {
            MemorySegment dst = ArrowMemory.transientSegment(buf);
            MemorySegment.copy(t.contiguous().dataSegment(), 0, dst, 0, bytes);
        }
        return buf;
    }

    /** Loads every level: FixedSizeList levels need only an (all-valid) validity; the leaf gets the data. */
    private static void load(FieldVector vector, int[] shape, ArrowBuf data, BufferAllocator allocator) {
        FieldVector v = vector;
        int length = shape[0];
        for (int d = 1; d < shape.length; d++) {
            // An empty validity buffer with null count 0 makes Arrow allocate an all-valid bitmap.
            v.loadFieldBuffers(new ArrowFieldNode(length, 0), List.of(allocator.getEmpty()));
            v = ((FixedSizeListVector) v).getDataVector();
            length = Math.multiplyExact(length, shape[d]);
        }
        v.loadFieldBuffers(new ArrowFieldNode(length, 0), List.of(allocator.getEmpty(), data));
        if (v.getValueCount() != length) {
            throw new IllegalStateException("toVector: loaded " + v.getValueCount() + " values into " + v.getName()
                    + " but expected " + length + " (shape " + Arrays.toString(shape) + ")");
        }
    }
}
