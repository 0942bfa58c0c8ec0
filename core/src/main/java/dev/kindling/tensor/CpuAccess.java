package dev.kindling.tensor;

/**
 * Element reads and array exports for CPU tensors, used by {@link Tensor#item()},
 * {@link Tensor#get(int...)} and the {@code to*Array()} methods.
 */
final class CpuAccess {
    private CpuAccess() {}

    static double getDouble(Tensor t, int storageIndex) {
        Storage s = t.storage();
        if (s.isArrayBacked()) {
            return switch (s.array()) {
                case float[] a -> a[storageIndex];
                case double[] a -> a[storageIndex];
                case int[] a -> a[storageIndex];
                case long[] a -> a[storageIndex];
                case byte[] a -> s.dtype() == DType.UINT8 ? (a[storageIndex] & 0xFF) : a[storageIndex];
                default -> throw new IllegalStateException();
            };
        }
        long off = (long) storageIndex * s.dtype().itemSize();
        var seg = s.segment();
        return switch (s.dtype()) {
            case FLOAT32 -> seg.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, off);
            case FLOAT64 -> seg.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, off);
            case INT32 -> seg.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, off);
            case INT64 -> seg.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, off);
            case UINT8 -> seg.get(java.lang.foreign.ValueLayout.JAVA_BYTE, off) & 0xFF;
            case BOOL -> seg.get(java.lang.foreign.ValueLayout.JAVA_BYTE, off);
        };
    }

    static long getLong(Tensor t, int storageIndex) {
        Storage s = t.storage();
        if (s.dtype() == DType.INT64) {
            if (s.isArrayBacked()) return ((long[]) s.array())[storageIndex];
            return s.segment().get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, (long) storageIndex * 8);
        }
        return (long) getDouble(t, storageIndex);
    }

    /** A fresh row-major array of the elements converted to dtype. */
    static Object toArray(Tensor t, DType dtype) {
        Tensor cpu = t.detach().to(Device.CPU);
        Tensor out = Tensor.of(Storage.allocate(dtype, cpu.numel()), cpu.shape());
        out.backend().copy(cpu.strided(), out.strided());
        return out.storage().array();
    }
}
