package dev.kindling.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * Converts between JCuda's {@link CUdeviceptr} objects and plain {@code long} device addresses,
 * which is what the allocator keeps and what kernels take as arguments. JCuda computes a pointer's
 * address as its native pointer plus its byte offset, so an address is a null pointer offset by it.
 */
final class DevicePointers {
    private DevicePointers() {}

    /** A pointer object for the device address. */
    static CUdeviceptr at(long address) { return new CUdeviceptr().withByteOffset(address); }

    /** The device address of a pointer JCuda filled in (cuMemAlloc). */
    static long address(CUdeviceptr p) { return Addressable.of(p); }

    /** Reads the protected native pointer, which JCuda does not expose. */
    private static final class Addressable extends CUdeviceptr {
        private Addressable(CUdeviceptr p) { super(p); }

        static long of(CUdeviceptr p) {
            Addressable a = new Addressable(p);
            return a.getNativePointer() + a.getByteOffset();
        }
    }
}
