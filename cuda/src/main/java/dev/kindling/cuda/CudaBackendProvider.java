package dev.kindling.cuda;

import dev.kindling.backend.Backend;
import dev.kindling.backend.BackendProvider;
import dev.kindling.tensor.Device;

/**
 * Registers the CUDA backend with core's {@link dev.kindling.backend.Backends} through
 * {@code META-INF/services}. Instantiating it costs nothing and loads nothing native (every provider
 * is instantiated when core looks up its first backend, also in CPU-only programs); the driver is
 * probed and JCuda loaded only in {@link #backend}, when a CUDA device is asked for. Without a usable
 * driver that call fails with the reason from {@link CudaAvailability}.
 */
public final class CudaBackendProvider implements BackendProvider {

    @Override
    public Device.Type deviceType() { return Device.Type.CUDA; }

    @Override
    public Backend backend(Device device) {
        String reason = CudaAvailability.unavailableReason().orElse(null);
        if (reason != null) throw new IllegalArgumentException("device " + device + " is unavailable: " + reason);
        return new CudaBackend(device);
    }
}
