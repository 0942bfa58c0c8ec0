package dev.kindling.examples;

import dev.kindling.autograd.GradMode;
import dev.kindling.backend.cpu.OpenBlas;
import dev.kindling.data.DataLoader;
import dev.kindling.metrics.TrainingHistory;
import dev.kindling.metrics.TrainingProgress;
import dev.kindling.nn.Flatten;
import dev.kindling.nn.Linear;
import dev.kindling.nn.Module;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.nn.functional.F;
import dev.kindling.optim.Adam;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.vision.models.LeNet5;
import dev.kindling.vision.models.ResNet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The README's main job: trains a classifier with a DataLoader and Adam in one JVM, printing a line
 * per epoch (loss, training accuracy, test accuracy, samples/s) and the final test accuracy. By
 * default it trains an MLP on sklearn's digits shipped in this jar; {@code --data DIR} trains on
 * MNIST from IDX files (e.g. ../shared/data/mnist or what scripts/fetch-data.sh downloads), with
 * {@code --model mlp} (784-256-128-10), {@code lenet5} or {@code resnet}.
 */
@Command(mixinStandardHelpOptions = true, sortOptions = false, description = "Train a classifier with Kindling in one JVM.")
public final class TrainClassifier implements Callable<Integer> {
    /** How the usage names this program when it runs outside Maven. */
    static final String SYNOPSIS = "java [JVM OPTIONS] -cp CLASSPATH " + TrainClassifier.class.getName() + " [OPTIONS]";

    @Mixin
    TrainingOptions options = new TrainingOptions();

    @Option(names = "--workers", paramLabel = "N", defaultValue = "0", description = "DataLoader worker threads (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "train on the first N MNIST images only (0 = all)")
    int limit;

    /** One epoch's numbers. */
    public record Epoch(int epoch, double loss, double trainAccuracy, double testAccuracy, double samplesPerSecond, double seconds) {
        String line(int of) {
            return String.format(Locale.ROOT, "epoch %d/%d  loss %.4f  train acc %.2f%%  test acc %.2f%%  %.0f samples/s  (%.1f s)",
                    epoch, of, loss, 100 * trainAccuracy, 100 * testAccuracy, samplesPerSecond, seconds);
        }
    }

    /** What a run produced: the epochs' lines, the final test accuracy, and the full history. */
    public record Result(List<Epoch> history, double testAccuracy, TrainingHistory trainingHistory) {}

    public static void main(String[] args) {
        System.exit(Cli.run(new TrainClassifier(), SYNOPSIS, args));
    }

    @Override
    public Integer call() throws Exception {
        TrainingOptions o = options;
        o.validate();
        if (workers < 0) Cli.invalid(o.spec, "--workers", Integer.toString(workers), "0 (load in the training thread) or more");
        if (limit < 0) Cli.invalid(o.spec, "--limit", Integer.toString(limit), "0 (all) or a positive number of images");
        System.out.println("Kindling: loading " + (o.data == null ? "sklearn digits" : "MNIST from " + o.data) + " ...");
        ClassificationData d = o.data == null ? ClassificationData.digits(o.seed) : ClassificationData.mnist(o.data, limit);
        int e = o.epochs();
        Generator.seedDefault(o.seed);
        Module net = build(o.model, d);
        System.out.printf(Locale.ROOT, "Kindling: %s on %s (%d train, %d test), Adam lr %s, batch %d, %d epochs; matmul via %s%n",
                o.model, d.name(), d.train().size(), d.test().size(), o.lr, o.batchSize, e, OpenBlas.describe());
        Result r = train(net, d, e, o.batchSize, o.lr, o.seed, workers, line -> System.out.println(line));
        System.out.printf(Locale.ROOT, "final test accuracy: %.2f%%%n", 100 * r.testAccuracy());
        o.writeHistory(r.trainingHistory(), "train-classifier");
        return 0;
    }

    /** The network for a model name: an MLP (two hidden layers), LeNet5 or a small ResNet. */
    public static Module build(String model, ClassificationData d) {
        return switch (model) {
            case "mlp" -> d.features() == 784
                    ? new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, d.classes()))
                    : new Sequential(new Flatten(), new Linear(d.features(), 128), new ReLU(), new Linear(128, 64), new ReLU(), new Linear(64, d.classes()));
            case "lenet5" -> {
                if (d.sampleShape().length != 3) throw new IllegalArgumentException("--model lenet5 needs image data (--data DIR with MNIST)");
                yield new LeNet5(d.sampleShape()[0], d.sampleShape()[1], d.classes());
            }
            case "resnet" -> {
                if (d.sampleShape().length != 3) throw new IllegalArgumentException("--model resnet needs image data (--data DIR with MNIST)");
                yield new ResNet(d.sampleShape()[0], d.classes());
            }
            default -> throw new IllegalArgumentException("--model must be mlp, lenet5 or resnet but got '" + model + "'");
        };
    }

    /**
     * Trains net on d.train() and evaluates on d.test() after every epoch; progress shows within
     * each epoch (a bar on a terminal, quarter-epoch lines to progress otherwise), and the history
     * gets a row ten times per epoch and one per epoch, with the time split into waiting for data,
     * forward + backward, the optimizer step and the evaluation.
     */
    public static Result train(Module net, ClassificationData d, int epochs, int batchSize, double lr, long seed, int workers,
                               java.util.function.Consumer<String> progress) {
        DataLoader<Tensor[], Tensor[]> loader = DataLoader.of(d.train(),
                DataLoader.options().batchSize(batchSize).shuffle(true).generator(new Generator(seed + 1)).numWorkers(workers));
        Adam opt = new Adam(net.parameters(), lr);
        List<Epoch> history = new ArrayList<>();
        TrainingHistory log = new TrainingHistory();
        TrainingProgress bar = TrainingProgress.forConsole(progress);
        int steps = (d.train().size() + batchSize - 1) / batchSize;
        int rowEvery = Math.max(1, (int) Math.ceil(steps / 10.0));
        long step = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            net.train();
            bar.epochStarted(epoch, epochs, steps);
            long start = System.nanoTime();
            long dataNanos = 0;
            long computeNanos = 0;
            long optimizerNanos = 0;
            double lossSum = 0;
            long correct = 0;
            long seen = 0;
            Window window = new Window();
            int stepInEpoch = 0;
            long t = System.nanoTime();
            for (Tensor[] batch : loader) {
                long t0 = System.nanoTime();
                dataNanos += t0 - t;
                opt.zeroGrad();
                Tensor logits = net.forward(batch[0]);
                Tensor loss = F.crossEntropy(logits, batch[1]);
                loss.backward();
                long t1 = System.nanoTime();
                opt.step();
                t = System.nanoTime();
                computeNanos += t1 - t0;
                optimizerNanos += t - t1;
                int n = batch[1].size(0);
                double batchLoss = loss.item() * n;
                long batchCorrect = logits.argmax(1).eq(batch[1]).sum().itemLong();
                lossSum += batchLoss;
                correct += batchCorrect;
                seen += n;
                step++;
                stepInEpoch++;
                window.add(batchLoss, batchCorrect, n);
                long seenSoFar = seen;
                double lossSoFar = lossSum;
                long correctSoFar = correct;
                bar.stepDone(stepInEpoch, () -> String.format(Locale.ROOT, "loss %.4f  acc %.2f%%", lossSoFar / seenSoFar,
                        100.0 * correctSoFar / seenSoFar));
                if (stepInEpoch % rowEvery == 0 && stepInEpoch < steps) log.add(TrainingHistory.Scope.STEP, epoch, step, window.row(lr));
                t = System.nanoTime();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long evalStart = System.nanoTime();
            double testAccuracy = accuracy(net, d.test(), 1000);
            double evalSeconds = (System.nanoTime() - evalStart) / 1e9;
            bar.epochEnded();
            Epoch ep = new Epoch(epoch, lossSum / seen, (double) correct / seen, testAccuracy, seen / seconds, seconds);
            history.add(ep);
            Map<String, Double> row = new LinkedHashMap<>();
            row.put(TrainingHistory.LOSS, ep.loss());
            row.put(TrainingHistory.ACCURACY, ep.trainAccuracy());
            row.put(TrainingHistory.VAL_ACCURACY, testAccuracy);
            row.put(TrainingHistory.LR, lr);
            row.put(TrainingHistory.SAMPLES_PER_SECOND, ep.samplesPerSecond());
            row.put(TrainingHistory.SECONDS, seconds);
            row.put("data_s", dataNanos / 1e9);
            row.put("forward_backward_s", computeNanos / 1e9);
            row.put("optimizer_s", optimizerNanos / 1e9);
            row.put("eval_s", evalSeconds);
            log.add(TrainingHistory.Scope.EPOCH, epoch, step, row);
            progress.accept(ep.line(epochs));
        }
        return new Result(history, history.get(history.size() - 1).testAccuracy(), log);
    }

    /** Loss, accuracy and throughput of the steps since the last history row. */
    private static final class Window {
        private double lossSum;
        private long correct;
        private long seen;
        private long start = System.nanoTime();

        void add(double loss, long right, int n) {
            lossSum += loss;
            correct += right;
            seen += n;
        }

        Map<String, Double> row(double lr) {
            Map<String, Double> v = new LinkedHashMap<>();
            v.put(TrainingHistory.LOSS, lossSum / seen);
            v.put(TrainingHistory.ACCURACY, (double) correct / seen);
            v.put(TrainingHistory.LR, lr);
            v.put(TrainingHistory.SAMPLES_PER_SECOND, seen / Math.max(1e-9, (System.nanoTime() - start) / 1e9));
            lossSum = 0;
            correct = 0;
            seen = 0;
            start = System.nanoTime();
            return v;
        }
    }

    /** Fraction of correctly classified samples, in eval mode without autograd. */
    public static double accuracy(Module net, dev.kindling.data.TensorDataset set, int batchSize) {
        net.eval();
        long correct = 0;
        try (var g = GradMode.noGrad()) {
            for (Tensor[] batch : DataLoader.of(set, DataLoader.options().batchSize(batchSize))) {
                correct += net.forward(batch[0]).argmax(1).eq(batch[1]).sum().itemLong();
            }
        }
        return (double) correct / set.size();
    }
}
