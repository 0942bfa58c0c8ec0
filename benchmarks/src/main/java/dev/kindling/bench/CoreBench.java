package dev.kindling.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The tensor-core benchmark: Kindling's matmul, elementwise, broadcast and reduction kernels side
 * by side with OpenBLAS called directly, PyTorch (libtorch through DJL) and plain Java loops, all
 * in one JVM, printed as Markdown tables with ratios and written to
 * {@code <out>/core-<label>.md}. Run it through {@code benchmarks/run-core.sh}, which supplies the
 * JVM flags and the PyTorch settings; see {@code benchmarks/README.md} for what each row means.
 *
 * <p>Option of its own, before {@link BenchConfig}'s: {@code --only gemm,elementwise,broadcast,reduction}
 * (which suites to run, default all four), for a quick look at a few rows.
 */
public final class CoreBench {
    private CoreBench() {}

    public static void main(String[] args) throws IOException {
        Set<String> suites = Set.of("gemm", "elementwise", "broadcast", "reduction");
        Set<String> only = suites;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--only") && i + 1 < args.length) only = Set.of(args[++i].split(","));
            else rest.add(args[i]);
        }
        BenchConfig config;
        try {
            if (!suites.containsAll(only)) {
                throw new IllegalArgumentException("--only takes a comma-separated subset of " + suites + " but got " + only);
            }
            config = BenchConfig.parse(rest.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + " (CoreBench also takes --only gemm,elementwise,broadcast,reduction)");
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
            List<Section> sections = new ArrayList<>();
            if (only.contains("gemm")) sections.add(progress(new GemmSuite(comparison, direct, torch).run()));
            if (only.contains("elementwise")) for (Section s : new ElementwiseSuite(loops).run()) sections.add(progress(s));
            if (only.contains("broadcast")) sections.add(progress(new BroadcastSuite(loops).run()));
            if (only.contains("reduction")) sections.add(progress(new ReductionSuite(loops).run()));
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
