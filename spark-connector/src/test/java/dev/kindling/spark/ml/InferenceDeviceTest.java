package dev.kindling.spark.ml;

import dev.kindling.backend.Backends;
import dev.kindling.spark.LocalSparkTest;
import dev.kindling.spark.data.ExecutorArrow;
import dev.kindling.tensor.Device;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fitted models' {@code device} param, which places {@code transform}'s tasks: it comes from
 * the estimator, is saved with the model, "cpu" and "auto" (with no GPU assigned) give the same
 * outputs, and "cuda" on a machine without a usable GPU fails the job naming what is missing
 * instead of quietly predicting on the CPU.
 */
class InferenceDeviceTest extends LocalSparkTest {

    @AfterEach
    void arrowMemoryIsFreed() {
        assertEquals(0, ExecutorArrow.allocatedBytes(), "Arrow memory left allocated after the test");
    }

    @Test
    void aFittedModelStartsWithItsEstimatorsSetting() {
        Dataset<Row> df = KindlingTransformTest.vectors(2).withColumn("label", expr("id % 3").cast("double"));
        KindlingClassificationModel model = new KindlingClassifier().setModel("Linear(2,3)").setMaxIter(1).setBatchSize(4)
                .setDevice("cpu").fit(df);
        assertEquals("cpu", model.getDevice());
        assertEquals("auto", KindlingTransformTest.linearClassifier().getDevice(), "the default");
    }

    @Test
    void isSavedAndLoadedWithTheModel(@TempDir Path dir) throws Exception {
        KindlingClassificationModel model = KindlingTransformTest.linearClassifier().setDevice("cuda:1");
        model.save(dir.resolve("m").toString());
        assertEquals("cuda:1", KindlingClassificationModel.load(dir.resolve("m").toString()).getDevice());
    }

    @Test
    void aBadValueIsRefusedNamingTheValuesAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KindlingTransformTest.linearClassifier().setDevice("gpu"));
        assertEquals("device: expected 'auto', 'cpu', 'cuda' or 'cuda:N' but got 'gpu'", e.getMessage());
    }

    @Test
    void autoWithoutAnAssignedGpuPredictsAsTheCpuDoes() {
        List<double[]> cpu = probabilities(KindlingTransformTest.linearClassifier().setDevice("cpu"));
        List<double[]> auto = probabilities(KindlingTransformTest.linearClassifier().setDevice("auto"));
        assertEquals(KindlingTransformTest.X.length, cpu.size());
        for (int r = 0; r < cpu.size(); r++) assertArrayEquals(cpu.get(r), auto.get(r), "row " + r);
    }

    @Test
    void cudaPredictsOnTheGpuOrFailsNamingWhatIsMissing() {
        KindlingClassificationModel model = KindlingTransformTest.linearClassifier().setDevice("cuda");
        if (cudaUsable()) {
            // On a GPU machine the outputs match the CPU's to float32 rounding.
            List<double[]> cpu = probabilities(KindlingTransformTest.linearClassifier().setDevice("cpu"));
            List<double[]> gpu = probabilities(model);
            for (int r = 0; r < cpu.size(); r++) assertArrayEquals(cpu.get(r), gpu.get(r), 1e-6, "row " + r);
            return;
        }
        // Spark fails the job with the task's exception in its message.
        Exception e = assertThrows(Exception.class, () -> probabilities(model));
        String message = String.valueOf(e.getMessage());
        assertTrue(message.contains("libcuda.so.1"), message);
        assertTrue(message.contains("Kindling device 'cuda': cannot compute on cuda:0"), message);
        assertTrue(message.contains("Spark assigned no gpu resource to this task"), message);
    }

    /** The probability vectors of the rows of X, in id order. */
    private static List<double[]> probabilities(KindlingClassificationModel model) {
        return model.transform(KindlingTransformTest.vectors(2)).orderBy(col("id")).select("probability").collectAsList().stream()
                .map(row -> ((Vector) row.get(0)).toArray()).toList();
    }

    private static boolean cudaUsable() {
        if (!Backends.deviceTypes().contains(Device.Type.CUDA)) return false;
        try {
            Backends.of(Device.cuda(0));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
