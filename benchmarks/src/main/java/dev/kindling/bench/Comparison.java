package dev.kindling.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times several contenders on the same case, side by side in one JVM.
 *
 * <p>Each contender is first warmed up alone (long enough for the JIT to compile its loops), then
 * calibrated: a sample is a batch of as many calls as fill {@link BenchConfig#sampleSeconds()}, so
 * sub-millisecond calls are timed over many repetitions. The timed samples are taken in
 * {@link BenchConfig#rounds()} rounds (A's block, B's block, C's block, then again), so a slow phase
 * of the machine hits every contender alike instead of whichever happened to run then.
 *
 * <p>Every block starts with an untimed settle period of {@link BenchConfig#settleSeconds()}
 * running the contender's own call: after a call returns, OpenBLAS's worker thread keeps a core
 * busy waiting for more work (measured here: ~100 ms of CPU while the caller slept), and libtorch's
 * OpenMP threads spin for a while too. On a 2-core machine that would otherwise be charged to
 * whichever contender runs next.
 *
 * <p>The development machine is shared with other builds, so a sample during which other
 * processes used the CPUs ({@link CpuLoad.Share#quiet()} fails) is thrown away and taken again,
 * until the case has spent {@link BenchConfig#retakeSeconds()} on retakes; after that disturbed
 * samples are kept, and the table says how many samples were retaken and how busy the machine was
 * during the ones kept.
 */
final class Comparison {
    private final BenchConfig config;

    Comparison(BenchConfig config) { this.config = config; }

    /**
     * Every contender's timing; the CPU other processes used during the kept samples; how many
     * samples were thrown away and taken again; and how many disturbed ones had to be kept.
     */
    record Result(Map<String, Timing> timings, CpuLoad.Share others, int retaken, int disturbedKept) {}

    Result run(List<Contender> contenders) {
        System.gc(); // start every case from a clean heap, not the previous case's garbage
        int[] callsPerSample = new int[contenders.size()];
        for (int i = 0; i < contenders.size(); i++) callsPerSample[i] = warmUp(contenders.get(i).call());
        List<List<Double>> samples = new ArrayList<>();
        for (int i = 0; i < contenders.size(); i++) samples.add(new ArrayList<>());
        CpuLoad.Share others = CpuLoad.Share.NONE;
        int retaken = 0;
        int disturbed = 0;
        long retakeBudget = (long) (config.retakeSeconds() * 1e9);
        int rounds = Math.min(config.rounds(), config.samples());
        for (int r = 0; r < rounds; r++) {
            int inRound = config.samples() * (r + 1) / rounds - config.samples() * r / rounds;
            for (int i = 0; i < contenders.size(); i++) {
                Runnable call = contenders.get(i).call();
                settle(call);
                for (int s = 0; s < inRound; s++) {
                    while (true) {
                        CpuLoad.Snapshot before = CpuLoad.now();
                        long t0 = System.nanoTime();
                        double seconds = sample(call, callsPerSample[i]);
                        long spent = System.nanoTime() - t0;
                        CpuLoad.Share share = CpuLoad.between(before, CpuLoad.now());
                        if (!share.quiet() && retakeBudget > 0) {
                            retakeBudget -= spent;
                            retaken++;
                            continue;
                        }
                        if (!share.quiet()) disturbed++;
                        samples.get(i).add(seconds);
                        others = others.plus(share);
                        break;
                    }
                }
            }
        }
        Map<String, Timing> out = new LinkedHashMap<>();
        for (int i = 0; i < contenders.size(); i++) {
            out.put(contenders.get(i).name(), new Timing(samples.get(i).stream().mapToDouble(Double::doubleValue).toArray()));
        }
        return new Result(out, others, retaken, disturbed);
    }

    /** Runs the call for the warm-up time (and at least a few calls); returns the calls per sample. */
    private int warmUp(Runnable call) {
        long deadline = System.nanoTime() + (long) (config.warmupSeconds() * 1e9);
        int calls = 0;
        while (calls < config.minWarmupCalls() || System.nanoTime() < deadline) {
            call.run();
            calls++;
        }
        // Calibrate on the warm code: the best of three calls, so one GC pause does not shrink the batch.
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            call.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return (int) Math.max(1, Math.ceil(config.sampleSeconds() / Math.max(best, 1e-9)));
    }

    /** Untimed calls for the settle period (at least one). */
    private void settle(Runnable call) {
        long deadline = System.nanoTime() + (long) (config.settleSeconds() * 1e9);
        do {
            call.run();
        } while (System.nanoTime() < deadline);
    }

    /** Seconds per call, averaged over one batch. */
    private static double sample(Runnable call, int calls) {
        long t0 = System.nanoTime();
        for (int c = 0; c < calls; c++) call.run();
        return (System.nanoTime() - t0) / 1e9 / calls;
    }
}
