package dev.kindling.examples;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The command-line options both training jobs share (picocli mixin): the data, the network, the
 * epochs, batch size, Adam's learning rate and the seed. Without {@code --data} a job trains on
 * sklearn's digits shipped in the jar, for 20 epochs by default; with MNIST, 5.
 */
final class TrainingOptions {
    @Option(names = "--data", description = "directory with MNIST IDX files (default: sklearn digits shipped in the jar)")
    Path data;

    @Option(names = "--model", defaultValue = "mlp", description = "mlp, lenet5 (needs --data) or resnet (one JVM only) (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--epochs", description = "epochs (default: 20 on digits, 5 on MNIST)")
    Integer epochs;

    @Option(names = "--batch-size", defaultValue = "64", description = "batch size; on Spark the global batch over all partitions (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--seed", defaultValue = "0", description = "seed for the split, initialisation and batch order (default: ${DEFAULT-VALUE})")
    long seed;

    /** The epochs asked for, or the default for the data. */
    int epochs() {
        return epochs != null ? epochs : (data == null ? 20 : 5);
    }
}
