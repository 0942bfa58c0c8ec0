package dev.kindling.bench;

import dev.kindling.nn.Flatten;
import dev.kindling.nn.Linear;
import dev.kindling.nn.Module;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.vision.models.LeNet5;

/**
 * The networks the training benchmarks time, built from core's layers so that the benchmarks depend on
 * no example code: the MNIST MLP 784-256-128-10 (what the README's main job trains on MNIST) and LeNet-5.
 */
final class Networks {
    private Networks() {}

    /** Flatten, Linear(784, 256), ReLU, Linear(256, 128), ReLU, Linear(128, 10). */
    static Module mnistMlp() {
        return new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(),
                new Linear(128, 10));
    }

    /** "mlp" or "lenet5", as the benchmark's options name them. */
    static Module byName(String name) {
        return switch (name) {
            case "mlp" -> mnistMlp();
            case "lenet5" -> new LeNet5();
            default -> throw new IllegalArgumentException("network must be mlp or lenet5 but got '" + name + "'");
        };
    }
}
