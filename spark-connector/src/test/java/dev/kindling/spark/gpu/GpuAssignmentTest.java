package dev.kindling.spark.gpu;

import dev.kindling.tensor.Device;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GpuAssignmentTest {
    private static final GpuAssignment.CudaProbe USABLE = d -> Optional.empty();
    private static final GpuAssignment.CudaProbe NO_DRIVER = d -> Optional.of("no CUDA driver: libcuda.so.1 not found");

    @Test
    void autoUsesTheAssignedGpuWhenCudaCanServeIt() {
        assertEquals(Device.cuda(3), GpuAssignment.choose("auto", Optional.of("3"), null, USABLE));
        assertEquals(Device.cuda(1), GpuAssignment.choose("AUTO", Optional.of("3"), "2,3", USABLE));
    }

    @Test
    void autoFallsBackToTheCpuWithoutAnAssignmentOrADriver() {
        assertEquals(Device.CPU, GpuAssignment.choose("auto", Optional.empty(), null, USABLE));
        assertEquals(Device.CPU, GpuAssignment.choose("auto", Optional.of("0"), null, NO_DRIVER));
    }

    @Test
    void explicitSettingsAreObeyed() {
        assertEquals(Device.CPU, GpuAssignment.choose("cpu", Optional.of("0"), null, USABLE));
        assertEquals(Device.cuda(2), GpuAssignment.choose("cuda", Optional.of("2"), null, NO_DRIVER));
        assertEquals(Device.cuda(0), GpuAssignment.choose("cuda", Optional.empty(), null, NO_DRIVER));
        assertEquals(Device.cuda(5), GpuAssignment.choose("cuda:5", Optional.of("2"), null, USABLE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GpuAssignment.choose("tpu", Optional.empty(), null, USABLE));
        assertTrue(e.getMessage().contains("'tpu'") && e.getMessage().contains("'auto'"), e.getMessage());
    }

    @Test
    void addressesMapThroughCudaVisibleDevices() {
        assertEquals(4, GpuAssignment.deviceIndex("4", null));
        assertEquals(4, GpuAssignment.deviceIndex("4", ""));
        assertEquals(0, GpuAssignment.deviceIndex("4", "4,5"));
        assertEquals(1, GpuAssignment.deviceIndex("5", "4, 5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GpuAssignment.deviceIndex("6", "4,5"))
                .getMessage().contains("CUDA_VISIBLE_DEVICES=4,5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GpuAssignment.deviceIndex("GPU-0a1b", null))
                .getMessage().contains("'GPU-0a1b'"));
    }

    @Test
    void theDiscoveryScriptPrintsSparksResourceJsonFromNvidiaSmi() throws IOException, InterruptedException {
        Path bin = Files.createTempDirectory("fake-nvidia-smi");
        Path smi = bin.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\nprintf '0\\n1\\n3\\n'\n");
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals("{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\",\"3\"]}", discover(bin + ":/usr/bin:/bin"));
        Files.writeString(smi, "#!/bin/sh\nexit 9\n");
        assertEquals("{\"name\":\"gpu\",\"addresses\":[]}", discover(bin + ":/usr/bin:/bin"));
    }

    static String discover(String path) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", script().toString());
        pb.environment().put("PATH", path);
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    static Path script() {
        Path module = Path.of(System.getProperty("kindling.module.dir", "."));
        return module.toAbsolutePath().getParent().resolve("scripts/gpu-discovery.sh");
    }
}
