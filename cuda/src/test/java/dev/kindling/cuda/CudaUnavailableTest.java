package dev.kindling.cuda;

import dev.kindling.backend.Backends;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** On a machine without a CUDA driver, asking for a CUDA device fails with the reason; the CPU is untouched. */
class CudaUnavailableTest {

    @Test
    void theProviderIsRegisteredForCuda() {
        assertTrue(Backends.deviceTypes().contains(Device.Type.CUDA), Backends.deviceTypes().toString());
    }

    @Test
    void askingForCudaWithoutADriverNamesWhatIsMissing() {
        assumeFalse(CudaAvailability.isAvailable(), "this machine has a usable CUDA device");
        String reason = CudaAvailability.unavailableReason().orElseThrow();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.of(Device.cuda(0)));
        assertTrue(e.getMessage().contains("cuda:0") && e.getMessage().contains(reason), e.getMessage());
        IllegalArgumentException viaTensor = assertThrows(IllegalArgumentException.class,
                () -> Tensors.ones(2, 3).to(Device.cuda(0)));
        assertTrue(viaTensor.getMessage().contains(CudaAvailability.DRIVER_LIBRARY), viaTensor.getMessage());
        assertEquals(6.0, Tensors.ones(2, 3).sum().item());
    }
}
