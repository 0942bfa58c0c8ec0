package dev.kindling.cuda;

import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The kernels as shipped: {@code dev/kindling/cuda/kindling.fatbin} (built by cuda/build-kernels.sh
 * and committed) and the properties file beside it that records the nvcc version, the architectures
 * and the hash of the sources. Loads the fatbinary into a module; when the driver refuses it, the
 * error says which toolkit built it and which CUDA version the driver supports.
 */
final class KernelBinary {
    static final String RESOURCE = "/dev/kindling/cuda/kindling.fatbin";
    static final String PROPERTIES = RESOURCE + ".properties";

    private KernelBinary() {}

    static byte[] bytes() { return read(RESOURCE); }

    static Properties properties() {
        Properties p = new Properties();
        try {
            p.load(new java.io.ByteArrayInputStream(read(PROPERTIES)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    static void load(CUmodule module, int driverVersion) {
        byte[] image = bytes();
        // cuModuleLoadFatBinary takes a pointer and reads until the fatbin header's size: the copy
        // JCuda makes of the array is enough.
        int rc = JCudaDriver.cuModuleLoadFatBinary(module, image);
        if (rc != CUresult.CUDA_SUCCESS) {
            Properties p = properties();
            throw new CudaException("cuModuleLoadFatBinary(" + RESOURCE + ") failed: " + CUresult.stringFor(rc)
                    + ". The kernels were built by nvcc " + p.getProperty("nvcc.version") + " for sm_{"
                    + p.getProperty("archs") + "} + compute_" + p.getProperty("ptx.arch") + "; this driver supports CUDA "
                    + driverVersion / 1000 + "." + driverVersion % 1000 / 10 + ". A driver older than the building"
                    + " toolkit cannot load its code: update the driver, or rebuild with an older nvcc"
                    + " (NVCC=... cuda/build-kernels.sh), see docs/cuda.md");
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = KernelBinary.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " is missing from the class path (run cuda/build-kernels.sh)");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
