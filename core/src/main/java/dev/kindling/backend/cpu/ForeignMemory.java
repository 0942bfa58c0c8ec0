package dev.kindling.backend.cpu;

import dev.kindling.backend.StridedView;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Storage;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Moves tensors between foreign memory (Arrow buffers, direct buffers, mapped files) and Java
 * arrays, so that the CPU kernels only ever loop over arrays.
 *
 * <p>Why: one JIT-compiled loop fed both heap and native segments was measured at 1.5-3 GB/s
 * instead of 20-38 GB/s (DESIGN.md). Contiguous foreign data is staged with one bulk
 * {@link MemorySegment#copy} (memcpy speed); only strided foreign views fall back to element
 * access. GEMM skips staging entirely: OpenBLAS reads foreign memory in place.
 */
final class ForeignMemory {
    private ForeignMemory() {}

    /** x itself when array-backed, else a contiguous array-backed copy of its elements. */
    static StridedView toHeap(StridedView x) {
        if (x.storage().isArrayBacked()) return x;
        StridedView out = StridedView.of(Storage.allocate(x.dtype(), x.numel()), x.shape());
        read(x, out);
        return out;
    }

    /** Copies the foreign tensor src into the contiguous array-backed dst (same dtype, same shape). */
    static void read(StridedView src, StridedView dst) {
        DType dt = src.dtype();
        long item = dt.itemSize();
        MemorySegment seg = src.storage().segment();
        MemorySegment heap = dst.storage().segment();
        if (src.isContiguous()) {
            MemorySegment.copy(seg, src.storageOffset() * item, heap, 0, dst.numel() * item);
            return;
        }
        readRowMajor(src, dst);
    }

    private static void readRowMajor(StridedView src, StridedView dst) {
        long item = src.dtype().itemSize();
        MemorySegment seg = src.storage().segment();
        MemorySegment heap = dst.storage().segment();
        int[] shape = src.shape();
        int[] strides = src.strides();
        int n = Shapes.numel(shape);
        int[] idx = new int[shape.length];
        int off = src.storageOffset();
        for (int k = 0; k < n; k++) {
            MemorySegment.copy(seg, (long) off * item, heap, (long) k * item, item);
            for (int d = shape.length - 1; d >= 0; d--) {
                idx[d]++;
                off += strides[d];
                if (idx[d] < shape[d]) break;
                off -= idx[d] * strides[d];
                idx[d] = 0;
            }
        }
    }

    /** out[j] = x[index[j]] for whole rows of a contiguous foreign tensor, one segment copy per row. */
    static void selectRows(StridedView x, long[] index, int indexOffset, int n, StridedView out) {
        long item = x.dtype().itemSize();
        int rowElements = x.numel() / Math.max(1, x.shape()[0]);
        long rowBytes = rowElements * item;
        MemorySegment src = x.storage().segment();
        MemorySegment dst = out.storage().segment();
        long base = x.storageOffset() * item;
        long outBase = out.storageOffset() * item;
        for (int j = 0; j < n; j++) {
            MemorySegment.copy(src, base + index[indexOffset + j] * rowBytes, dst, outBase + j * rowBytes, rowBytes);
        }
    }

    /** Copies the contiguous array-backed src into the foreign tensor dst (same dtype, same shape). */
    static void write(StridedView src, StridedView dst) {
        long item = dst.dtype().itemSize();
        MemorySegment seg = dst.storage().segment();
        MemorySegment heap = src.storage().segment();
        if (dst.isContiguous()) {
            MemorySegment.copy(heap, 0, seg, dst.storageOffset() * item, src.numel() * item);
            return;
        }
        int[] shape = dst.shape();
        int[] strides = dst.strides();
        int n = Shapes.numel(shape);
        int[] idx = new int[shape.length];
        int off = dst.storageOffset();
        for (int k = 0; k < n; k++) {
            MemorySegment.copy(heap, (long) k * item, seg, (long) off * item, item);
            for (int d = shape.length - 1; d >= 0; d--) {
                idx[d]++;
                off += strides[d];
                if (idx[d] < shape[d]) break;
                off -= idx[d] * strides[d];
                idx[d] = 0;
            }
        }
    }

    /** Reads one element of any CPU tensor's storage as a double. */
    static double getDouble(Storage s, int index) {
        if (s.isArrayBacked()) {
            return switch (s.array()) {
                case float[] a -> a[index];
                case double[] a -> a[index];
                case int[] a -> a[index];
                case long[] a -> a[index];
                case byte[] a -> s.dtype() == DType.UINT8 ? (a[index] & 0xFF) : a[index];
                default -> throw new IllegalStateException();
            };
        }
        MemorySegment seg = s.segment();
        long off = (long) index * s.dtype().itemSize();
        return switch (s.dtype()) {
            case FLOAT32 -> seg.get(ValueLayout.JAVA_FLOAT_UNALIGNED, off);
            case FLOAT64 -> seg.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, off);
            case INT32 -> seg.get(ValueLayout.JAVA_INT_UNALIGNED, off);
            case INT64 -> seg.get(ValueLayout.JAVA_LONG_UNALIGNED, off);
            case UINT8 -> seg.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
            case BOOL -> seg.get(ValueLayout.JAVA_BYTE, off);
        };
    }

    /** Reads one element of any CPU tensor's storage as a long (exact for int64). */
    static long getLong(Storage s, int index) {
        if (s.dtype() == DType.INT64) {
            if (s.isArrayBacked()) return ((long[]) s.array())[index];
            return s.segment().get(ValueLayout.JAVA_LONG_UNALIGNED, (long) index * 8);
        }
        return (long) getDouble(s, index);
    }
}
