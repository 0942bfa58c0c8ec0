package dev.kindling.cuda;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * {@link DeviceMemory} on a real device through JCuda: cuMemAlloc/cuMemFree and timing-free events.
 * The caller ({@link CudaDevice}) has made the device's context current on the calling thread.
 */
final class DriverDeviceMemory implements DeviceMemory {
    private final ConcurrentHashMap<Long, CUevent> events = new ConcurrentHashMap<>();
    private final AtomicLong nextEvent = new AtomicLong(1);
    private final LongFunction<jcuda.driver.CUstream> streams;
    private final Runnable makeCurrent;

    /** @param streams the stream of a stream id; makeCurrent binds the device's context to this thread */
    DriverDeviceMemory(LongFunction<jcuda.driver.CUstream> streams, Runnable makeCurrent) {
        this.streams = streams;
        this.makeCurrent = makeCurrent;
    }

    @Override
    public long malloc(long bytes) {
        makeCurrent.run();
        CUdeviceptr p = new CUdeviceptr();
        int rc = JCudaDriver.cuMemAlloc(p, bytes);
        if (rc == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
            throw new DeviceOutOfMemoryException("cuMemAlloc(" + bytes + ") returned CUDA_ERROR_OUT_OF_MEMORY");
        }
        CudaDriver.check(rc, "cuMemAlloc(" + bytes + ")");
        return DevicePointers.address(p);
    }

    @Override
    public void free(long pointer) {
        makeCurrent.run();
        CudaDriver.check(JCudaDriver.cuMemFree(DevicePointers.at(pointer)), "cuMemFree");
    }

    @Override
    public long recordEvent(long stream) {
        makeCurrent.run();
        CUevent e = new CUevent();
        CudaDriver.check(JCudaDriver.cuEventCreate(e, CUevent_flags.CU_EVENT_DISABLE_TIMING), "cuEventCreate");
        CudaDriver.check(JCudaDriver.cuEventRecord(e, streams.apply(stream)), "cuEventRecord");
        long id = nextEvent.getAndIncrement();
        events.put(id, e);
        return id;
    }

    @Override
    public boolean isComplete(long event) {
        int rc = JCudaDriver.cuEventQuery(events.get(event));
        if (rc == CUresult.CUDA_ERROR_NOT_READY) return false;
        CudaDriver.check(rc, "cuEventQuery");
        return true;
    }

    @Override
    public void synchronize(long event) { CudaDriver.check(JCudaDriver.cuEventSynchronize(events.get(event)), "cuEventSynchronize"); }

    @Override
    public void destroyEvent(long event) {
        CUevent e = events.remove(event);
        if (e != null) CudaDriver.check(JCudaDriver.cuEventDestroy(e), "cuEventDestroy");
    }
}
