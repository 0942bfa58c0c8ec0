package dev.kindling.examples;

import dev.kindling.nn.Module;
import dev.kindling.tensor.Generator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Short versions of the main job: the full runs (MLP >= 97.5% in 5 epochs, LeNet5 >= 98.5%) are
 * measured by the README's command; these check that one epoch on 10k MNIST images already gets
 * far, and that the default digits run learns.
 */
class TrainClassifierTest {
    static Path mnist() {
        return Path.of(System.getProperty("kindling.shared", "../../shared"), "data", "mnist");
    }

    private static double run(String model, ClassificationData d, int epochs, int batch) {
        Generator.seedDefault(0);
        Module net = TrainClassifier.build(model, d);
        TrainClassifier.Result r = TrainClassifier.train(net, d, epochs, batch, 1e-3, 0, 0, line -> { });
        assertEquals(epochs, r.history().size());
        assertTrue(r.history().get(epochs - 1).loss() < r.history().get(0).loss() || epochs == 1);
        return r.testAccuracy();
    }

    @Test
    void mlpOnTenThousandMnistImagesForOneEpoch() throws Exception {
        double acc = run("mlp", ClassificationData.mnist(mnist(), 10_000), 1, 64);
        // measured 0.912 (seeded); the margin absorbs BLAS summation-order differences across machines
        assertTrue(acc >= 0.89, "MLP after 1 epoch on 10k images: test accuracy " + acc + " < 0.89");
    }

    @Test
    void lenet5OnTenThousandMnistImagesForOneEpoch() throws Exception {
        double acc = run("lenet5", ClassificationData.mnist(mnist(), 10_000), 1, 64);
        // measured 0.918 (seeded)
        assertTrue(acc >= 0.89, "LeNet5 after 1 epoch on 10k images: test accuracy " + acc + " < 0.89");
    }

    @Test
    void theJobWritesItsHistoryWhereOutputSays(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        int code = Cli.commandLine(new TrainClassifier(), TrainClassifier.SYNOPSIS)
                .execute("--epochs", "2", "--output", dir.toString());
        assertEquals(0, code);
        dev.kindling.metrics.TrainingHistory h = dev.kindling.metrics.TrainingHistory.readCsv(dir.resolve("train-classifier-history.csv"));
        assertEquals(2, h.rows(dev.kindling.metrics.TrainingHistory.Scope.EPOCH).size());
        assertEquals(2 * 7, h.rows(dev.kindling.metrics.TrainingHistory.Scope.STEP).size(), "23 steps per epoch, a row every 3 steps before its end");
        double split = 0;
        var epoch = h.rows(dev.kindling.metrics.TrainingHistory.Scope.EPOCH).get(1);
        for (String part : new String[] {"data_s", "forward_backward_s", "optimizer_s"}) split += epoch.get(part);
        assertTrue(split <= epoch.get("seconds") + 1e-6 && split > 0.5 * epoch.get("seconds"), "the time split covers the epoch: " + epoch);
        assertTrue(java.nio.file.Files.size(dir.resolve("train-classifier-history.png")) > 10_000);
    }

    @Test
    void theDefaultDigitsJobLearns() throws Exception {
        double acc = run("mlp", ClassificationData.digits(0), 20, 64);
        // measured 0.964 (seeded)
        assertTrue(acc >= 0.94, "digits MLP after 20 epochs: test accuracy " + acc + " < 0.94");
    }
}
