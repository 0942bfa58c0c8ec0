package dev.kindling.spark;

import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.Adam;
import dev.kindling.optim.StepLR;
import dev.kindling.tensor.Tensor;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoint resume, local-steps mode, early stopping and schedulers in a distributed fit. */
class TrainerFeaturesTest extends LocalSparkTest {
    static Dataset<Row> digits;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        digits = SparkTestSupport.digits(spark, 4).cache();
        digits.count();
    }

    private static DistributedTrainer.Builder base() {
        return DistributedTrainer.builder()
                .model(() -> new Sequential(new Linear(64, 32), new ReLU(), new Linear(32, 10)))
                .optimizer(params -> new Adam(params, 0.01))
                .scheduler(opt -> new StepLR(opt, 1, 0.5), false)
                .features("features").label("label", true)
                .batchSize(128).epochs(3).seed(11);
    }

    @Test
    void aRestartedFitResumesFromItsCheckpointAndEndsIdentically() throws Exception {
        FitResult uninterrupted = base().build().fit(digits, null);
        String ckpt = dir.resolve("ckpt").toUri().toString();
        FitResult interrupted = base().checkpoint(ckpt, 7).maxSteps(20).build().fit(digits, null);
        assertEquals(20, interrupted.steps());
        long files = Files.list(dir.resolve("ckpt")).filter(p -> p.getFileName().toString().endsWith(".safetensors")).count();
        assertEquals(2, files, "the two newest checkpoints are kept (steps 7 and 14)");
        assertTrue(Files.list(dir.resolve("ckpt")).noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        FitResult resumed = base().checkpoint(ckpt, 7).build().fit(digits, null);
        assertEquals(uninterrupted.steps(), resumed.steps());
        Map<String, Tensor> a = uninterrupted.model().stateDict();
        Map<String, Tensor> b = resumed.model().stateDict();
        for (String k : a.keySet()) assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), k);
        assertEquals(uninterrupted.history().size(), resumed.history().size());
        for (int e = 0; e < 3; e++) {
            assertEquals(uninterrupted.history().get(e).trainLoss(), resumed.history().get(e).trainLoss(), 1e-12, "epoch " + e);
        }
    }

    @Test
    void localStepsModeTrainsWithFewerJobs() throws Exception {
        Dataset<Row>[] split = digits.randomSplit(new double[] {0.8, 0.2}, 3);
        FitResult sync = base().epochs(4).build().fit(split[0], split[1]);
        FitResult local = base().epochs(4).localSteps(4).build().fit(split[0], split[1]);
        System.out.println("sync: " + sync.last().line(4, true));
        System.out.println("local: " + local.last().line(4, true));
        assertEquals(sync.steps(), local.steps(), "the same number of optimizer steps");
        // Measured with this seed: synchronous 84.0%, local steps 80.9% after 12 steps; both keep learning.
        assertTrue(local.last().validationAccuracy() >= 0.78, "local-steps accuracy " + local.last().validationAccuracy());
        assertTrue(sync.last().validationAccuracy() >= 0.78, "synchronous accuracy " + sync.last().validationAccuracy());
        assertTrue(local.last().trainLoss() < local.history().get(0).trainLoss(), "local-steps loss decreases");
    }

    @Test
    void earlyStoppingEndsTheFit() throws Exception {
        Dataset<Row>[] split = digits.randomSplit(new double[] {0.5, 0.5}, 5);
        // A learning rate this large makes the validation loss stop improving quickly.
        FitResult r = base().optimizer(params -> new Adam(params, 0.5)).scheduler(null, false).epochs(30).earlyStopping(2)
                .build().fit(split[0], split[1]);
        assertTrue(r.stoppedEarly(), "expected early stopping within 30 epochs; history " + r.history().size());
        assertTrue(r.history().size() < 30);
    }
}
