package dev.kindling.examples;

import dev.kindling.metrics.TrainingHistory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The command-line options both training jobs share (picocli mixin): the data, the network, the
 * epochs, batch size, Adam's learning rate, the seed and where the run's history goes. Without
 * {@code --data} a job trains on sklearn's digits shipped in the jar, for 20 epochs by default;
 * with MNIST, 5.
 */
final class TrainingOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "directory with MNIST IDX files, e.g. ../shared/data/mnist (default: sklearn digits shipped in the jar)")
    Path data;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "mlp", description = "mlp, lenet5 (needs --data) or resnet (one JVM only) (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--epochs", paramLabel = "N", description = "epochs (default: 20 on digits, 5 on MNIST)")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "batch size; on Spark the global batch over all partitions (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "1e-3", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "seed for the split, initialisation and batch order (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = "kindling-output", description = "where the run's history goes: NAME-history.csv, .json and .png (default: ${DEFAULT-VALUE})")
    Path output;

    /** The epochs asked for, or the default for the data. */
    int epochs() {
        return epochs != null ? epochs : (data == null ? 20 : 5);
    }

    /** Checks the values picocli cannot: a data folder that exists, positive counts. */
    void validate() {
        Cli.requireDirectory(spec, "--data", data, "a directory holding MNIST's train-images-idx3-ubyte(.gz) and the other IDX files");
        Cli.requirePositive(spec, "--epochs", epochs == null ? 1 : epochs);
        Cli.requirePositive(spec, "--batch-size", batchSize);
        if (!(lr > 0) || Double.isInfinite(lr)) Cli.invalid(spec, "--lr", Double.toString(lr), "a positive learning rate");
    }

    /** Writes the history next to the run's output and says where. */
    void writeHistory(TrainingHistory history, String name) throws IOException {
        TrainingHistory.Written w = history.writeFiles(output, name + "-history");
        System.out.println("history: " + w.csv().toAbsolutePath() + ", .json and .png beside it");
    }
}
