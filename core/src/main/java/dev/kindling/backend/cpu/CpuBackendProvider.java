package dev.kindling.backend.cpu;

import dev.kindling.backend.Backend;
import dev.kindling.backend.BackendProvider;
import dev.kindling.tensor.Device;

/** Registers {@link CpuBackend} with {@link dev.kindling.backend.Backends} (listed in META-INF/services). */
public final class CpuBackendProvider implements BackendProvider {

    @Override
    public Device.Type deviceType() { return Device.Type.CPU; }

    @Override
    public Backend backend(Device device) { return CpuBackend.INSTANCE; }
}
