package dev.kindling.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The tensor-core benchmark: Kindling's matmul, elementwise, broadcast and reduction kernels side
 * by side with OpenBLAS called directly, PyTorch (libtorch through DJL) and plain Java loops, all
 * in one JVM, printed as Markdown tables with ratios and written to
 * {@code <out>/core-<label>.md}. Run it through {@code benchmarks/run-core.sh}, which supplies the
 * JVM flags and the PyTorch settings; see {@code benchmarks/README.md} for what each row means.
 */
public final class CoreBench {
    private CoreBench() {}

    public static void main(String[] args) throws IOException {
        BenchConfig config;
        try {
            config = BenchConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        // Loads Kindling's OpenBLAS (its log line names the kernel) before anything is timed.
        DirectSgemm direct = new DirectSgemm();
        Comparison comparison = new Comparison(config);
        CpuLoad.Snapshot start = CpuLoad.now();
        try (TorchPeer torch = config.torch() ? new TorchPeer() : null;
             ThreadSplit two = new ThreadSplit(2)) {
            Environment env = Environment.capture(config, direct, torch, two.threads());
            LoopRows loops = new LoopRows(comparison, two, torch);
            List<Section> sections = List.of(
                    progress(new GemmSuite(comparison, direct, torch).run()),
                    progress(new ElementwiseSuite(loops).run()),
                    progress(new BroadcastSuite(loops).run()),
                    progress(new ReductionSuite(loops).run()));
            String md = Report.render("core", env, sections, CpuLoad.between(start, CpuLoad.now()).fraction());
            Files.createDirectories(config.outDir());
            Path file = config.outDir().resolve("core-" + config.label() + ".md");
            Files.writeString(file, md);
            System.out.println(md);
            System.err.println("CoreBench: wrote " + file + " (sink " + Sink.describeLast() + ")");
        }
    }

    private static Section progress(Section s) {
        System.err.println("CoreBench: done " + s.title());
        return s;
    }
}
