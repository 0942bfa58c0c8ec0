package dev.kindling.bench;

import dev.kindling.autograd.GradMode;
import dev.kindling.data.DataLoader;
import dev.kindling.data.TensorDataset;
import dev.kindling.nn.Module;
import dev.kindling.nn.functional.F;
import dev.kindling.optim.Adam;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.vision.MNIST;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Whole MNIST epochs of the loop a PyTorch user writes (DataLoader with shuffling, zeroGrad, forward,
 * cross-entropy, backward, Adam, plus the loss and accuracy bookkeeping per batch), Kindling only:
 * seconds and samples per second of each epoch (the test evaluation after each epoch is not counted),
 * and the test accuracy it reached.
 */
final class EpochRun {
    private static final double LR = 1e-3;

    private EpochRun() {}

    /** The Markdown section, or a line saying why there is none (no MNIST files). */
    static String run(Path mnist, String model, int epochs, int batchSize) throws IOException {
        String title = "### (g) MNIST " + model + " epochs, DataLoader + Adam lr 1e-3, batch " + batchSize + "\n\n";
        if (mnist == null || !Files.isDirectory(mnist)) {
            return title + "Not measured: no MNIST directory (pass --data DIR; default ../shared/data/mnist).\n";
        }
        TensorDataset train = normalised(MNIST.load(mnist, true));
        TensorDataset test = normalised(MNIST.load(mnist, false));
        Generator.seedDefault(0);
        Module net = Networks.byName(model);
        Adam opt = new Adam(net.parameters(), LR);
        DataLoader<Tensor[], Tensor[]> loader = DataLoader.of(train,
                DataLoader.options().batchSize(batchSize).shuffle(true).generator(new Generator(1)));
        int steps = (train.size() + batchSize - 1) / batchSize;
        MarkdownTable t = new MarkdownTable(List.of("epoch", "seconds", "samples/s", "ms per step", "train loss", "test accuracy"));
        for (int epoch = 1; epoch <= epochs; epoch++) {
            net.train();
            long start = System.nanoTime();
            double lossSum = 0;
            for (Tensor[] batch : loader) {
                opt.zeroGrad();
                Tensor loss = F.crossEntropy(net.forward(batch[0]), batch[1]);
                loss.backward();
                opt.step();
                lossSum += loss.item() * batch[1].size(0);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double accuracy = accuracy(net, test);
            System.err.printf(Locale.ROOT, "TrainBench: %s epoch %d: %.1f s, test accuracy %.2f%%%n", model, epoch, seconds, 100 * accuracy);
            t.row(List.of(String.valueOf(epoch), String.format(Locale.ROOT, "%.1f", seconds),
                    String.format(Locale.ROOT, "%.0f", train.size() / seconds),
                    String.format(Locale.ROOT, "%.2f", seconds * 1e3 / steps),
                    String.format(Locale.ROOT, "%.4f", lossSum / train.size()),
                    String.format(Locale.ROOT, "%.2f%%", 100 * accuracy)));
        }
        return title + t.render() + "\n- " + train.size() + " training images, " + steps + " steps per epoch; "
                + "epoch 1 includes the JIT's warm-up. One run, so no median: compare with the step rows above.\n";
    }

    /** Images as [N, 1, 28, 28] float32 normalised with MNIST's mean and std (0.1307, 0.3081). */
    private static TensorDataset normalised(MNIST set) {
        Tensor x = set.images().to(DType.FLOAT32).div(255.0).sub(0.1307).div(0.3081).unsqueeze(1).contiguous();
        return new TensorDataset(x, set.labels());
    }

    private static double accuracy(Module net, TensorDataset test) {
        net.eval();
        long correct = 0;
        try (var ignored = GradMode.noGrad()) {
            for (int from = 0; from < test.size(); from += 1000) {
                int n = Math.min(1000, test.size() - from);
                Tensor[] all = test.tensors();
                Tensor logits = net.forward(all[0].narrow(0, from, n));
                correct += logits.argmax(1).eq(all[1].narrow(0, from, n)).sum().itemLong();
            }
        }
        return (double) correct / test.size();
    }
}
