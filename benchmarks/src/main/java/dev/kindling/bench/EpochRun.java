package dev.kindling.bench;

import dev.kindling.examples.ClassificationData;
import dev.kindling.examples.TrainClassifier;
import dev.kindling.nn.Module;
import dev.kindling.tensor.Generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Whole MNIST epochs of the main job's loop ({@link TrainClassifier#train}: DataLoader with
 * shuffling, forward, cross-entropy, backward, Adam, plus the per-batch loss and accuracy
 * bookkeeping), Kindling only: seconds and samples per second of each epoch (the test evaluation
 * after each epoch is not counted), and the test accuracy it reached.
 */
final class EpochRun {
    private EpochRun() {}

    /** The Markdown section, or a line saying why there is none (no MNIST files). */
    static String run(Path mnist, String model, int epochs, int batchSize) throws IOException {
        String title = "### (g) MNIST " + model + " epochs, the main job's loop (`TrainClassifier.train`), batch " + batchSize
                + ", Adam lr 1e-3\n\n";
        if (mnist == null || !Files.isDirectory(mnist)) {
            return title + "Not measured: no MNIST directory (pass --data DIR; default ../shared/data/mnist).\n";
        }
        ClassificationData d = ClassificationData.mnist(mnist, 0);
        Generator.seedDefault(0);
        Module net = TrainClassifier.build(model, d);
        TrainClassifier.Result r = TrainClassifier.train(net, d, epochs, batchSize, 1e-3, 0, 0,
                line -> System.err.println("TrainBench: " + model + " " + line));
        MarkdownTable t = new MarkdownTable(List.of("epoch", "seconds", "samples/s", "ms per step", "test accuracy"));
        int steps = (d.train().size() + batchSize - 1) / batchSize;
        for (TrainClassifier.Epoch e : r.history()) {
            t.row(List.of(String.valueOf(e.epoch()), String.format(Locale.ROOT, "%.1f", e.seconds()),
                    String.format(Locale.ROOT, "%.0f", e.samplesPerSecond()),
                    String.format(Locale.ROOT, "%.2f", e.seconds() * 1e3 / steps),
                    String.format(Locale.ROOT, "%.2f%%", 100 * e.testAccuracy())));
        }
        return title + t.render() + "\n- " + d.train().size() + " training images, " + steps + " steps per epoch; "
                + "epoch 1 includes the JIT's warm-up. One run, so no median: compare with the step rows above.\n";
    }
}
