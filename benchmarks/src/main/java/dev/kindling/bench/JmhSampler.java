package dev.kindling.bench;

import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.annotations.Mode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Takes timing samples of one call with JMH: warm-up iterations, then measurement iterations of a
 * fixed length, each giving the average seconds per call over the iteration (JMH picks how many
 * calls fill it, guards against dead-code elimination of its own loop and keeps the timer out of
 * short calls). One sample per JMH measurement iteration.
 */
public final class JmhSampler {
    private static final String INCLUDE = "^" + Pattern.quote(ContenderCall.class.getName()) + "\\.call$";

    private JmhSampler() {}

    /** Seconds per call of each of {@code iterations} measurement iterations, after the given warm-up. */
    public static double[] sample(Runnable call, double warmupSeconds, int warmupIterations, double iterationSeconds, int iterations) {
        ContenderCall.current = call;
        Options options = new OptionsBuilder()
                .include(INCLUDE)
                .forks(0)
                .threads(1)
                .mode(Mode.AverageTime)
                .timeUnit(TimeUnit.NANOSECONDS)
                .warmupIterations(warmupIterations)
                .warmupTime(millis(warmupSeconds / Math.max(1, warmupIterations)))
                .measurementIterations(iterations)
                .measurementTime(millis(iterationSeconds))
                .shouldDoGC(false)
                // -Dkindling.bench.jmhVerbose=true shows JMH's own output, e.g. the exception behind "0 samples".
                .verbosity(Boolean.getBoolean("kindling.bench.jmhVerbose") ? VerboseMode.NORMAL : VerboseMode.SILENT)
                .build();
        try {
            List<Double> seconds = new ArrayList<>();
            for (RunResult run : new Runner(options).run()) {
                run.getBenchmarkResults().forEach(b -> {
                    for (IterationResult it : b.getIterationResults()) seconds.add(it.getPrimaryResult().getScore() * 1e-9);
                });
            }
            if (seconds.size() != iterations) {
                throw new IllegalStateException("JMH returned " + seconds.size() + " samples, expected " + iterations);
            }
            return seconds.stream().mapToDouble(Double::doubleValue).toArray();
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH failed to time " + call + ": " + e.getMessage(), e);
        } finally {
            ContenderCall.current = null;
        }
    }

    private static TimeValue millis(double seconds) {
        return TimeValue.milliseconds(Math.max(1, Math.round(seconds * 1e3)));
    }
}
