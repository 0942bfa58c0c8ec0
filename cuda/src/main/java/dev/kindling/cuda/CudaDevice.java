package dev.kindling.cuda;

import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUevent;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One CUDA device as Kindling uses it: its primary context (shared with every other library in the
 * process, as the runtime API does), one stream per calling thread, the kernel module loaded from
 * the shipped fatbinary, and the caching allocator.
 *
 * <p>Streams are created blocking with respect to the legacy default stream, so the synchronous
 * host copies (cuMemcpyHtoD/DtoH, which run there) wait for the thread's kernels and vice versa.
 */
final class CudaDevice {
    private final int index;
    private final CUcontext context = new CUcontext();
    private final CUmodule module = new CUmodule();
    private final ConcurrentHashMap<String, CUfunction> functions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, CUstream> streams = new ConcurrentHashMap<>();
    private final AtomicLong nextStream = new AtomicLong(1);
    private final ThreadLocal<Long> threadStream = new ThreadLocal<>();
    /** The device whose context is bound to each thread (a thread may use several devices in turn). */
    private static final ThreadLocal<CudaDevice> BOUND = new ThreadLocal<>();
    private final CachingAllocator allocator;
    private final String name;

    CudaDevice(int index) {
        CudaDriver.init();
        int count = CudaDriver.deviceCount();
        if (index >= count) {
            throw new IllegalArgumentException("device cuda:" + index + ": this machine has " + count + " CUDA device(s)");
        }
        this.index = index;
        CUdevice dev = new CUdevice();
        CudaDriver.check(JCudaDriver.cuDeviceGet(dev, index), "cuDeviceGet(" + index + ")");
        CudaDriver.check(JCudaDriver.cuDevicePrimaryCtxRetain(context, dev), "cuDevicePrimaryCtxRetain");
        byte[] nameBytes = new byte[256];
        CudaDriver.check(JCudaDriver.cuDeviceGetName(nameBytes, nameBytes.length, dev), "cuDeviceGetName");
        this.name = new String(nameBytes, java.nio.charset.StandardCharsets.US_ASCII).trim().replace("\0", "");
        makeCurrent();
        KernelBinary.load(module, CudaDriver.driverVersion());
        this.allocator = new CachingAllocator(new DriverDeviceMemory(streams::get, this::makeCurrent), "cuda:" + index);
    }

    int index() { return index; }

    String name() { return name; }

    CachingAllocator allocator() { return allocator; }

    /** Binds this device's context to the calling thread, unless it is bound already. */
    void makeCurrent() {
        if (BOUND.get() != this) {
            CudaDriver.check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
            BOUND.set(this);
        }
    }

    /** The calling thread's stream id on this device (created on first use). */
    long streamId() {
        Long id = threadStream.get();
        if (id == null) {
            makeCurrent();
            CUstream s = new RawStream();
            CudaDriver.check(JCudaDriver.cuStreamCreate(s, 0), "cuStreamCreate");
            id = nextStream.getAndIncrement();
            streams.put(id, s);
            threadStream.set(id);
        }
        return id;
    }

    CUstream stream() { return streams.get(streamId()); }

    /** The calling thread's stream as the driver's raw CUstream handle (for libraries called through FFM). */
    long streamAddress() { return ((RawStream) stream()).address(); }

    /** A stream whose native handle can be read (JCuda keeps it protected). */
    private static final class RawStream extends CUstream {
        long address() { return getNativePointer(); }
    }

    /** Waits for the calling thread's work on this device. */
    void synchronize() { CudaDriver.check(JCudaDriver.cuStreamSynchronize(stream()), "cuStreamSynchronize"); }

    /** Launches kernel over a 1-D grid. */
    void launch(String kernel, int blocks, int threads, KernelArgs args) { launch(kernel, blocks, 1, 1, threads, args); }

    void launch(String kernel, int gx, int gy, int gz, int threads, KernelArgs args) {
        makeCurrent();
        CUfunction f = functions.computeIfAbsent(kernel, k -> {
            CUfunction fn = new CUfunction();
            CudaDriver.check(JCudaDriver.cuModuleGetFunction(fn, module, k), "cuModuleGetFunction(" + k + ")");
            return fn;
        });
        Pointer params = args.toPointer();
        CudaDriver.check(JCudaDriver.cuLaunchKernel(f, gx, gy, gz, threads, 1, 1, 0, stream(), params, null),
                "cuLaunchKernel(" + kernel + ")");
    }

    /** Milliseconds the calling thread's stream takes to run work, timed with a pair of events. */
    float time(Runnable work) {
        makeCurrent();
        CUevent start = new CUevent();
        CUevent end = new CUevent();
        CudaDriver.check(JCudaDriver.cuEventCreate(start, 0), "cuEventCreate");
        CudaDriver.check(JCudaDriver.cuEventCreate(end, 0), "cuEventCreate");
        try {
            CudaDriver.check(JCudaDriver.cuEventRecord(start, stream()), "cuEventRecord");
            work.run();
            CudaDriver.check(JCudaDriver.cuEventRecord(end, stream()), "cuEventRecord");
            CudaDriver.check(JCudaDriver.cuEventSynchronize(end), "cuEventSynchronize");
            float[] ms = new float[1];
            CudaDriver.check(JCudaDriver.cuEventElapsedTime(ms, start, end), "cuEventElapsedTime");
            return ms[0];
        } finally {
            JCudaDriver.cuEventDestroy(start);
            JCudaDriver.cuEventDestroy(end);
        }
    }

    /** A block of at least bytes for the calling thread's stream, collecting garbage before the out-of-memory retry. */
    CudaBuffer allocate(long bytes) {
        CachingAllocator.Block b = allocator.allocate(bytes, streamId(), CudaDevice::reclaimUnreachable);
        return new CudaBuffer(this, b);
    }

    /**
     * Before retrying a failed allocation: let the garbage collector find unreachable tensors, whose
     * cleaners return their blocks to the pool, which the retry then releases to the driver.
     */
    private static void reclaimUnreachable() {
        System.gc();
        Thread.onSpinWait();
    }
}
