package dev.kindling.bench;

import java.nio.file.Path;

/**
 * The knobs of one benchmark run, from the command line: the label that names the results file,
 * where to write it, how many timed samples per contender and in how many rounds, how long one
 * sample, the warm-up and the settle period before each block last, how long a case may spend
 * retaking samples disturbed by other processes, and whether to include PyTorch. The defaults are
 * what {@code run-core.sh} uses.
 */
record BenchConfig(String label, Path outDir, int samples, int rounds, double sampleSeconds, double warmupSeconds,
                   int minWarmupCalls, double settleSeconds, double retakeSeconds, boolean torch) {

    static final String USAGE = "usage: CoreBench --label NAME [--out DIR] [--samples N] [--rounds N] "
            + "[--sample-ms MS] [--warmup-ms MS] [--settle-ms MS] [--retake-s S] [--no-torch]";

    static BenchConfig parse(String[] args) {
        String label = null;
        Path out = Path.of("benchmarks", "results");
        int samples = 15;
        int rounds = 3;
        double sampleMs = 40;
        double warmupMs = 1500;
        double settleMs = 150;
        double retakeS = 60;
        boolean torch = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--label" -> label = value(args, ++i);
                case "--out" -> out = Path.of(value(args, ++i));
                case "--samples" -> samples = Integer.parseInt(value(args, ++i));
                case "--rounds" -> rounds = Integer.parseInt(value(args, ++i));
                case "--sample-ms" -> sampleMs = Double.parseDouble(value(args, ++i));
                case "--warmup-ms" -> warmupMs = Double.parseDouble(value(args, ++i));
                case "--settle-ms" -> settleMs = Double.parseDouble(value(args, ++i));
                case "--retake-s" -> retakeS = Double.parseDouble(value(args, ++i));
                case "--no-torch" -> torch = false;
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; " + USAGE);
            }
        }
        if (label == null || !label.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("--label must be given, letters, digits, '.', '_' or '-' only; " + USAGE);
        }
        if (samples < 1) throw new IllegalArgumentException("--samples must be >= 1 but got " + samples);
        if (rounds < 1) throw new IllegalArgumentException("--rounds must be >= 1 but got " + rounds);
        // At least 10 warm-up calls: a slow first kernel must still reach compiled code before timing.
        return new BenchConfig(label, out, samples, rounds, sampleMs / 1e3, warmupMs / 1e3, 10, settleMs / 1e3, retakeS, torch);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) throw new IllegalArgumentException(args[i - 1] + " needs a value; " + USAGE);
        return args[i];
    }
}
