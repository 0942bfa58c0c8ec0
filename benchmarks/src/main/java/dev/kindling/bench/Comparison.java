package dev.kindling.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times several contenders on the same case, side by side in one JVM, with JMH ({@link JmhSampler}).
 *
 * <p>Each contender is first warmed up alone (JMH warm-up iterations, long enough for the JIT to
 * compile its loops). The timed samples, one per JMH measurement iteration of
 * {@link BenchConfig#sampleSeconds()}, are taken in {@link BenchConfig#rounds()} rounds (A's block,
 * B's block, C's block, then again), so a slow phase of the machine hits every contender alike
 * instead of whichever happened to run then.
 *
 * <p>Every block starts with an untimed JMH warm-up iteration of {@link BenchConfig#settleSeconds()}
 * running the contender's own call: after a call returns, OpenBLAS's worker thread keeps a core
 * busy waiting for more work (measured here: ~100 ms of CPU while the caller slept), and libtorch's
 * OpenMP threads spin for a while too. On a 2-core machine that would otherwise be charged to
 * whichever contender runs next.
 *
 * <p>The development machine is shared with other builds, so a block during which other
 * processes used the CPUs ({@link CpuLoad.Share#quiet()} fails) is thrown away and taken again,
 * until the case has spent {@link BenchConfig#retakeSeconds()} on retakes; after that disturbed
 * blocks are kept, and the table says how many samples were retaken and how busy the machine was
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
        for (Contender c : contenders) warmUp(c.call());
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
                while (true) {
                    CpuLoad.Snapshot before = CpuLoad.now();
                    long t0 = System.nanoTime();
                    double[] block = JmhSampler.sample(contenders.get(i).call(), config.settleSeconds(), 1,
                            config.sampleSeconds(), inRound);
                    long spent = System.nanoTime() - t0;
                    CpuLoad.Share share = CpuLoad.between(before, CpuLoad.now());
                    if (!share.quiet() && retakeBudget > 0) {
                        retakeBudget -= spent;
                        retaken += inRound;
                        continue;
                    }
                    if (!share.quiet()) disturbed += inRound;
                    for (double s : block) samples.get(i).add(s);
                    others = others.plus(share);
                    break;
                }
            }
        }
        Map<String, Timing> out = new LinkedHashMap<>();
        for (int i = 0; i < contenders.size(); i++) {
            out.put(contenders.get(i).name(), new Timing(samples.get(i).stream().mapToDouble(Double::doubleValue).toArray()));
        }
        return new Result(out, others, retaken, disturbed);
    }

    /** At least the minimum number of plain calls (slow cases), then JMH's warm-up for the warm-up time. */
    private void warmUp(Runnable call) {
        for (int c = 0; c < config.minWarmupCalls(); c++) call.run();
        JmhSampler.sample(call, config.warmupSeconds(), 3, config.sampleSeconds(), 1);
    }
}
