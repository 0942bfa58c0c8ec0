package dev.kindling.backend;

import dev.kindling.backend.cpu.CpuBackend;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static dev.kindling.tensor.TestSupport.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The backend registry: what ServiceLoader finds on core's class path, and the error for a device nobody serves. */
class BackendsTest {

    @Test
    void theCpuBackendIsFoundThroughServiceLoader() {
        assertEquals(Set.of(Device.Type.CPU), Backends.deviceTypes());
        assertSame(CpuBackend.INSTANCE, Backends.of(Device.CPU));
        assertSame(CpuBackend.INSTANCE, Backends.of(Device.parse("cpu")));
    }

    @Test
    void aDeviceWithoutABackendIsRefusedByName() {
        assertBadInput(() -> Backends.of(Device.cuda(1)), "device cuda:1", "no backend for device type CUDA", "found backends for [CPU]");
        assertBadInput(() -> Tensors.zeros(DType.FLOAT32, Device.cuda(0), 2, 3), "device cuda:0", "[CPU]");
    }
}
