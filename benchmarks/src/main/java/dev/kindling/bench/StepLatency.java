package dev.kindling.bench;

import dev.kindling.nn.Module;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * The distribution of single MLP 784-256-128-10 Adam step times, one {@code System.nanoTime}
 * pair per step: what the JMH rows of {@link StepSuite} (a mean per 40 ms sample) smooth over.
 * Made for issue 17's bimodal step time, where a step that waits for a descheduled kernel
 * thread takes tens of milliseconds; the median and p90 show whether such waits are gone.
 *
 * <p>Arguments: {@code --batches 64,128,512} and {@code --steps N} (timed steps per batch size,
 * default 2000, after 300 untimed ones). Prints one Markdown row per batch size with the GC
 * count during the timed steps and the share of the CPUs other processes used meanwhile.
 */
public final class StepLatency {
    private StepLatency() {}

    public static void main(String[] args) {
        int[] batches = {64, 128, 512};
        int steps = 2000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--batches" -> batches = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("StepLatency: expected --batches or --steps but got " + args[i]);
            }
        }
        System.out.println("| batch | steps | median ms | p90 ms | p99 ms | max ms | GCs | others' CPU |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int batch : batches) System.out.println(row(batch, steps));
    }

    private static String row(int batch, int steps) {
        Module net = Networks.mnistMlp();
        KindlingNet k = new KindlingNet(net::forward, net.parameters(), StepSuite.LR);
        try (TrainCase data = new TrainCase(null, 16, 40 + batch, new int[] {batch, 1, 28, 28}, false, 10, null)) {
            Runnable step = data.kindling(k, true);
            for (int i = 0; i < 300; i++) step.run();
            long[] t = new long[steps];
            long gcBefore = gcCount();
            CpuLoad.Snapshot a = CpuLoad.now();
            for (int i = 0; i < steps; i++) {
                long s = System.nanoTime();
                step.run();
                t[i] = System.nanoTime() - s;
            }
            CpuLoad.Share share = CpuLoad.between(a, CpuLoad.now());
            long gcs = gcCount() - gcBefore;
            Arrays.sort(t);
            return String.format("| %d | %d | %.3f | %.3f | %.3f | %.3f | %d | %.0f%% |", batch, steps, ms(t, 0.5), ms(t, 0.9),
                    ms(t, 0.99), t[steps - 1] / 1e6, gcs, 100 * share.fraction());
        }
    }

    private static double ms(long[] sorted, double q) { return sorted[(int) Math.min(sorted.length - 1, q * sorted.length)] / 1e6; }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) n += Math.max(0, b.getCollectionCount());
        return n;
    }
}
