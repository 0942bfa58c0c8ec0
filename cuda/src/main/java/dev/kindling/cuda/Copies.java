package dev.kindling.cuda;

import dev.kindling.backend.Backends;
import dev.kindling.backend.StridedView;
import dev.kindling.tensor.Storage;
import jcuda.Pointer;
import jcuda.driver.JCudaDriver;

import java.lang.foreign.MemorySegment;

/**
 * {@link CudaBackend#copy} in all its directions. Host memory goes straight to and from the device
 * when it is contiguous and of the right dtype, from a Java array (JCuda pins it for the call) or
 * from off-heap memory such as an Arrow buffer (through its address, no copy); otherwise the host
 * side is first made contiguous by the CPU backend and casts and strides are applied on the device.
 * The driver's synchronous cuMemcpyHtoD/DtoH wait for the thread's queued kernels (see CudaDevice).
 */
final class Copies {
    private final CudaBackend backend;
    private final CudaDevice gpu;

    Copies(CudaBackend backend, CudaDevice gpu) {
        this.backend = backend;
        this.gpu = gpu;
    }

    void copy(StridedView src, StridedView dst) {
        boolean srcHere = onThisDevice(src);
        boolean dstHere = onThisDevice(dst);
        if (srcHere && dstHere) backend.deviceCopy(src, dst);
        else if (dstHere) toDevice(src, dst);
        else if (srcHere) toHost(src, dst);
        else throw new IllegalArgumentException("copy on " + backend.device() + ": neither " + src + " nor " + dst + " is on it");
    }

    private boolean onThisDevice(StridedView v) { return v.device().equals(backend.device()); }

    private void toDevice(StridedView src, StridedView dst) {
        if (src.device().isCuda()) {   // another GPU: through the host
            StridedView host = StridedView.allocate(src.dtype(), src.shape());
            Backends.of(src.device()).copy(src, host);
            src = host;
        }
        StridedView hostSrc = src.isContiguous() ? src : contiguousHost(src);
        if (dst.isContiguous() && dst.dtype() == hostSrc.dtype()) {
            upload(hostSrc, dst);
        } else {
            StridedView staged = backend.empty(hostSrc.dtype(), hostSrc.shape());
            upload(hostSrc, staged);
            backend.deviceCopy(staged, dst);
        }
    }

    private void toHost(StridedView src, StridedView dst) {
        StridedView devSrc = src.isContiguous() ? src : deviceContiguous(src);
        if (dst.device().isCpu() && dst.isContiguous() && dst.dtype() == devSrc.dtype()) {
            download(devSrc, dst);
        } else {
            StridedView host = StridedView.allocate(devSrc.dtype(), devSrc.shape());
            download(devSrc, host);
            Backends.of(dst.device()).copy(host, dst);
        }
    }

    private StridedView contiguousHost(StridedView src) {
        StridedView c = StridedView.allocate(src.dtype(), src.shape());
        CudaBackend.cpu().copy(src, c);
        return c;
    }

    private StridedView deviceContiguous(StridedView src) {
        StridedView c = backend.empty(src.dtype(), src.shape());
        backend.deviceCopy(src, c);
        return c;
    }

    /** Contiguous host src into contiguous device dst of the same dtype and size. */
    private void upload(StridedView src, StridedView dst) {
        long bytes = (long) src.numel() * src.dtype().itemSize();
        if (bytes == 0) return;
        gpu.makeCurrent();
        CudaDriver.check(JCudaDriver.cuMemcpyHtoD(DevicePointers.at(CudaBackend.elementAddress(dst, 0)),
                hostPointer(src), bytes), "cuMemcpyHtoD(" + bytes + " bytes)");
    }

    /** Contiguous device src into contiguous host dst of the same dtype and size. */
    private void download(StridedView src, StridedView dst) {
        long bytes = (long) src.numel() * src.dtype().itemSize();
        if (bytes == 0) return;
        gpu.makeCurrent();
        CudaDriver.check(JCudaDriver.cuMemcpyDtoH(hostPointer(dst), DevicePointers.at(CudaBackend.elementAddress(src, 0)),
                bytes), "cuMemcpyDtoH(" + bytes + " bytes)");
    }

    /** A JCuda pointer to the first element of a contiguous host view: its array, or its off-heap segment. */
    private static Pointer hostPointer(StridedView v) {
        Storage s = v.storage();
        long byteOffset = (long) v.storageOffset() * v.dtype().itemSize();
        if (s.isArrayBacked()) {
            Pointer p = switch (s.array()) {
                case float[] a -> Pointer.to(a);
                case double[] a -> Pointer.to(a);
                case int[] a -> Pointer.to(a);
                case long[] a -> Pointer.to(a);
                case byte[] a -> Pointer.to(a);
                default -> throw new IllegalStateException("unexpected array " + s.array().getClass());
            };
            return p.withByteOffset(byteOffset);
        }
        MemorySegment seg = s.segment();
        if (!seg.isNative()) throw new IllegalArgumentException("copy to CUDA: host memory " + seg + " is neither an array nor native");
        long bytes = (long) v.numel() * v.dtype().itemSize();
        return Pointer.to(seg.asSlice(byteOffset, bytes).asByteBuffer());
    }
}
