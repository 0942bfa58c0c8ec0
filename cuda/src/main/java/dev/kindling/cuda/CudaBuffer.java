package dev.kindling.cuda;

import dev.kindling.backend.StridedView;

import java.lang.ref.Cleaner;

/**
 * The device memory behind one CUDA {@link dev.kindling.tensor.Storage} (its owner object): a block
 * of the device's {@link CachingAllocator}. When the storage becomes unreachable a {@link Cleaner}
 * returns the block to the allocator's pool (not to the driver), as PyTorch frees a tensor's memory
 * when its last reference goes.
 */
final class CudaBuffer {
    private static final Cleaner CLEANER = Cleaner.create();

    private final CudaDevice device;
    private final CachingAllocator.Block block;

    CudaBuffer(CudaDevice device, CachingAllocator.Block block) {
        this.device = device;
        this.block = block;
        CachingAllocator allocator = device.allocator();
        CLEANER.register(this, () -> allocator.free(block));
    }

    long address() { return block.pointer(); }

    CudaDevice device() { return device; }

    CachingAllocator.Block block() { return block; }

    /** The buffer of a view on a CUDA device. */
    static CudaBuffer of(StridedView v) {
        if (v.storage().owner() instanceof CudaBuffer b) return b;
        throw new IllegalArgumentException("expected a tensor on a CUDA device but got one on " + v.device());
    }
}
