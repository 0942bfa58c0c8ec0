package dev.kindling.spark.train;

import dev.kindling.io.SafeTensors;
import dev.kindling.io.SafeTensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A driver killed with SIGKILL mid-fit and started again on the same checkpoint directory ends
 * with exactly the parameters and optimizer state of a fit that was never interrupted. The
 * drivers are separate JVMs ({@link CheckpointedFitMain}) started with the test classpath and the
 * build's Spark JVM flags.
 */
class CrashResumeTest {
    @TempDir
    Path dir;

    @Test
    void aKilledDriverResumesAndEndsBitIdentical() throws Exception {
        Path clean = dir.resolve("clean.safetensors");
        List<String> out = runToEnd(dir.resolve("ckpt-clean"), clean);
        assertTrue(out.contains(CheckpointedFitMain.START + 0), "an uninterrupted fit starts at step 0: " + out);

        Path ckpt = dir.resolve("ckpt-crash");
        int killAfter = 2 * CheckpointedFitMain.EVERY + 2; // two checkpoints written, the third not due yet
        Process p = start(ckpt, dir.resolve("unused.safetensors"), dir.resolve("killed.log"));
        try (BufferedReader r = p.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null && !line.equals(CheckpointedFitMain.STEP + killAfter)) {
                // skip log lines and earlier steps
            }
            assertEquals(CheckpointedFitMain.STEP + killAfter, line, "the driver ended before step " + killAfter + "; "
                    + Files.readString(dir.resolve("killed.log")));
            p.destroyForcibly();
        }
        p.waitFor();
        assertTrue(!Files.exists(dir.resolve("unused.safetensors")), "the killed driver did not finish");

        Path resumed = dir.resolve("resumed.safetensors");
        List<String> again = runToEnd(ckpt, resumed);
        long start = again.stream().filter(l -> l.startsWith(CheckpointedFitMain.START))
                .mapToLong(l -> Long.parseLong(l.substring(CheckpointedFitMain.START.length()))).findFirst().orElse(-1);
        assertTrue(start >= 2 * CheckpointedFitMain.EVERY && start % CheckpointedFitMain.EVERY == 0,
                "the rerun starts from a checkpoint written before the kill, got step " + start);

        try (SafeTensorsFile a = SafeTensors.open(clean); SafeTensorsFile b = SafeTensors.open(resumed)) {
            assertEquals(a.names(), b.names());
            assertTrue(a.names().stream().anyMatch(n -> n.startsWith("optimizer.state.")), "optimizer tensors saved: " + a.names());
            for (String n : a.names()) assertArrayEquals(a.copy(n).toDoubleArray(), b.copy(n).toDoubleArray(), n);
            Map<String, String> ma = a.metadata();
            Map<String, String> mb = b.metadata();
            for (String k : List.of("step", "optimizer.param_groups", "optimizer.state_scalars")) assertEquals(ma.get(k), mb.get(k), k);
        }
    }

    private List<String> runToEnd(Path checkpoints, Path result) throws Exception {
        Path log = dir.resolve(result.getFileName() + ".log");
        Process p = start(checkpoints, result, log);
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = p.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) if (line.startsWith("KINDLING-")) lines.add(line);
        }
        int rc = p.waitFor();
        assertEquals(0, rc, "driver exit status; its stderr: " + Files.readString(log));
        assertTrue(lines.contains(CheckpointedFitMain.DONE), "driver output: " + lines);
        return lines;
    }

    private static Process start(Path checkpoints, Path result, Path stderr) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String flags = System.getProperty("spark.jvm.flags", "");
        if (!flags.isBlank()) cmd.addAll(Arrays.asList(flags.trim().split("\\s+")));
        cmd.add("-Xmx1g");
        cmd.add("-cp");
        cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cmd.add(CheckpointedFitMain.class.getName());
        cmd.add(checkpoints.toUri().toString());
        cmd.add(result.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.directory(new File(System.getProperty("user.dir")));
        return pb.start();
    }
}
