package dev.kindling.bench;

import ai.djl.pytorch.jni.JniUtils;
import dev.kindling.tensor.Generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The training benchmark: forward+backward passes of layers and small networks (issue 3) and
 * whole training steps with Adam (issue 4), Kindling against the same computation through libtorch
 * (DJL) side by side in one JVM, then whole MNIST epochs of the main job's loop. Prints Markdown
 * and writes {@code <out>/train-<label>.md}. Run it through {@code benchmarks/run-train.sh}; see
 * {@code benchmarks/README.md}.
 *
 * <p>Options of its own, before CoreBench's ({@link BenchConfig}): {@code --data DIR} (MNIST IDX
 * files, default {@code ../shared/data/mnist}), {@code --epochs N} (MNIST epochs per model, default
 * 2, 0 to skip them), {@code --only pass,step,conv} (which suites to run, default all three:
 * {@link PassSuite}, {@link StepSuite}, {@link ConvSuite}).
 */
public final class TrainBench {
    private TrainBench() {}

    public static void main(String[] args) throws IOException {
        Path data = Path.of("..", "shared", "data", "mnist");
        int epochs = 2;
        Set<String> only = Set.of("pass", "step", "conv");
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--only" -> only = Set.of(args[++i].split(","));
                default -> rest.add(args[i]);
            }
        }
        BenchConfig config;
        try {
            config = BenchConfig.parse(rest.toArray(String[]::new));
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            System.err.println(e.getMessage() + " (TrainBench also takes --data DIR, --epochs N and --only pass,step,conv)");
            System.exit(2);
            return;
        }
        Generator.seedDefault(0); // the same initial parameters in every run
        Comparison comparison = new Comparison(config);
        CpuLoad.Snapshot start = CpuLoad.now();
        try (TorchPeer torch = config.torch() ? new TorchPeer() : null) {
            if (torch != null) JniUtils.setGradMode(true); // libtorch records autograd on this thread, as a GradientCollector would
            Environment env = Environment.capture(config, null, torch, 0);
            List<Section> sections = new ArrayList<>();
            if (only.contains("pass")) sections.add(new PassSuite(comparison, torch).run());
            if (only.contains("step")) sections.addAll(new StepSuite(comparison, torch).run());
            if (only.contains("conv")) sections.addAll(new ConvSuite(comparison, torch).run());
            CpuLoad.Share share = CpuLoad.between(start, CpuLoad.now());
            String md = Report.render("training", env, sections, share.fraction());
            if (epochs > 0) {
                md += "\n" + EpochRun.run(data, "mlp", epochs, 64) + "\n" + EpochRun.run(data, "lenet5", epochs, 64);
            }
            Files.createDirectories(config.outDir());
            Path file = config.outDir().resolve("train-" + config.label() + ".md");
            Files.writeString(file, md);
            System.out.println(md);
            System.err.println("TrainBench: wrote " + file + " (sink " + Sink.describeLast() + ", args " + Arrays.toString(args) + ")");
        }
    }
}
