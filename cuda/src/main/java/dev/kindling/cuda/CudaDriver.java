package dev.kindling.cuda;

import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * The process-wide part of the JCuda driver API: initialization (once), error checking that names
 * the call, and device enumeration. Touching this class loads JCuda's natives, so only code that
 * was asked for a CUDA device reaches it.
 */
final class CudaDriver {
    private CudaDriver() {}

    private static final class Init {
        static {
            // Errors are checked call by call (check), so a CUDA_ERROR_NOT_READY from an event
            // query is a value, not an exception.
            JCudaDriver.setExceptionsEnabled(false);
            check(JCudaDriver.cuInit(0), "cuInit");
        }

        static void ensure() {}
    }

    static void init() { Init.ensure(); }

    static int deviceCount() {
        init();
        int[] n = new int[1];
        check(JCudaDriver.cuDeviceGetCount(n), "cuDeviceGetCount");
        return n[0];
    }

    /** The driver's CUDA version as major * 1000 + minor * 10 (12080 for 12.8). */
    static int driverVersion() {
        init();
        int[] v = new int[1];
        check(JCudaDriver.cuDriverGetVersion(v), "cuDriverGetVersion");
        return v[0];
    }

    static void check(int result, String call) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaException(call + " failed: " + CUresult.stringFor(result) + " (" + result + ")");
        }
    }
}
