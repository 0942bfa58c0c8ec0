package dev.kindling.spark.train;

import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.Adam;
import dev.kindling.spark.LocalCluster;
import dev.kindling.spark.SparkTestSupport;
import dev.kindling.tensor.Tensor;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer's device setting on a machine without a GPU: "auto" on a cluster whose executors
 * Spark gave a (fake) GPU computes on the CPU, says so in exactly one WARN line per executor, and
 * reaches bit-for-bit the weights of a "cpu" fit; "cuda" fails the fit naming what is missing.
 */
class DeviceSettingFitTest {
    private static final String AUTO_WARNING = "Kindling device auto:";

    private static FitResult fit(SparkSession spark, String device, int epochs) throws IOException {
        Dataset<Row> df = SparkTestSupport.digits(spark, 4);
        return DistributedTrainer.builder()
                .model(() -> new Sequential(new Linear(64, 32), new ReLU(), new Linear(32, 10)))
                .optimizer(params -> new Adam(params, 0.01))
                .features("features").label("label", true)
                .batchSize(128).epochs(epochs).seed(21)
                .device(device)
                .build().fit(df, null);
    }

    @Test
    void autoWithoutAUsableGpuFallsBackToTheCpuWithOneWarningPerExecutor() throws IOException {
        Map<String, Tensor> cpu;
        SparkSession local = SparkTestSupport.session("local[2]");
        try {
            cpu = fit(local, "cpu", 2).model().stateDict();
        } finally {
            local.stop();
        }
        SparkSession cluster = LocalCluster.sessionWithFakeGpu("7", "0.5");
        try {
            Map<String, Tensor> auto = fit(cluster, "auto", 2).model().stateDict();
            for (String k : cpu.keySet()) {
                assertArrayEquals(cpu.get(k).toFloatArray(), auto.get(k).toFloatArray(), "auto (fallen back) vs cpu: parameter " + k);
            }
            // Each executor JVM runs in its own work directory, where the worker captures its stdout (the test log config's console).
            List<String> perExecutor = cluster.range(0, 16, 1, 16).javaRDD()
                    .map(x -> org.apache.spark.SparkEnv.get().executorId() + " " + warningsInOwnLog())
                    .collect().stream().distinct().sorted().toList();
            assertEquals(2, perExecutor.size(), "both executors ran tasks: " + perExecutor);
            for (String e : perExecutor) {
                String[] idAndLines = e.split(" ", 2);
                assertEquals(1, idAndLines[1].lines().count(), "executor " + idAndLines[0] + " logged: " + idAndLines[1]);
                assertTrue(idAndLines[1].contains("libcuda.so.1"), "the warning names what is missing: " + idAndLines[1]);
            }
        } finally {
            cluster.stop();
        }
    }

    @Test
    void cudaWithoutAGpuFailsTheFitNamingWhatIsMissing() {
        SparkSession local = SparkTestSupport.session("local[1]");
        try {
            // The trainer rethrows the job's failure (SparkException) with the task's message in its own.
            RuntimeException e = assertThrows(RuntimeException.class, () -> fit(local, "cuda", 1));
            String message = String.valueOf(e.getMessage());
            assertTrue(message.contains("Kindling device 'cuda': cannot compute on cuda:0"), message);
            assertTrue(message.contains("libcuda.so.1"), message);
            assertTrue(message.contains("Spark assigned no gpu resource to this task"), message);
        } finally {
            local.stop();
        }
    }

    @Test
    void aBadSettingIsRefusedWhenSet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DistributedTrainer.builder().device("gpu"));
        assertEquals("device: expected 'auto', 'cpu', 'cuda' or 'cuda:N' but got 'gpu'", e.getMessage());
    }

    /** The WARN lines of the device choice in this executor's captured stdout, one per line. */
    private static String warningsInOwnLog() {
        try {
            Path stdout = Path.of("stdout").toAbsolutePath();
            if (!Files.exists(stdout)) return "no stdout file in " + stdout.getParent();
            return String.join("\n", Files.readAllLines(stdout).stream().filter(l -> l.contains(AUTO_WARNING)).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
