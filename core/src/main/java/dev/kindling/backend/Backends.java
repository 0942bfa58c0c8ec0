package dev.kindling.backend;

import dev.kindling.backend.cpu.CpuBackend;
import dev.kindling.tensor.Device;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the backend for a device. The CPU backend is always there; the CUDA backend
 * ({@code dev.kindling.backend.cuda.CudaBackend}) is loaded reflectively the first time a CUDA
 * device is asked for, so JCuda and its natives are never touched by CPU-only programs.
 */
public final class Backends {
    private static final ConcurrentHashMap<Device, Backend> LOADED = new ConcurrentHashMap<>();

    private Backends() {}

    public static Backend of(Device device) {
        if (device.isCpu()) return CpuBackend.INSTANCE;
        return LOADED.computeIfAbsent(device, Backends::loadCuda);
    }

    private static Backend loadCuda(Device device) {
        try {
            Class<?> c = Class.forName("dev.kindling.backend.cuda.CudaBackend");
            return (Backend) c.getMethod("forDevice", int.class).invoke(null, device.index());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("device " + device + ": the CUDA backend is not on the classpath "
                    + "(this build of Kindling has CPU support only)");
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("device " + device + ": the CUDA backend could not start: " + cause.getMessage(), cause);
        }
    }
}
