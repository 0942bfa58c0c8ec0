package dev.kindling.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much of the machine other processes used while something was measured: the busy time of
 * all CPUs ({@code /proc/stat}) minus this JVM's own CPU time ({@code /proc/self/stat}, every
 * thread, libtorch's and OpenBLAS's included). On a 2-core machine shared with other builds this
 * is what tells a real result from a disturbed one. Both counters tick at 100 Hz, so a share over
 * a short interval is coarse; where {@code /proc} is unavailable every share is unknown (NaN).
 */
final class CpuLoad {
    private CpuLoad() {}

    /** Cumulative counters at one instant, in clock ticks; null fields never occur, absent /proc gives null snapshots. */
    record Snapshot(long total, long busy, long self) {}

    /** Ticks of machine capacity in an interval, and how many of them other processes used. */
    record Share(long total, long others) {
        static final Share NONE = new Share(0, 0);

        Share plus(Share o) { return new Share(total + o.total, others + o.others); }

        /** others / total, or NaN when nothing was measured. */
        double fraction() { return total <= 0 ? Double.NaN : others / (double) total; }

        /** True unless other processes used more than a tick (10 ms) and more than 10% of the interval. */
        boolean quiet() { return others <= Math.max(1, total / 10); }
    }

    /** The counters now, or null where /proc cannot be read. */
    static Snapshot now() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < cpu.length && i <= 8; i++) total += Long.parseLong(cpu[i]); // user .. steal
            long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);                 // idle + iowait
            String self = Files.readString(Path.of("/proc/self/stat"));
            String[] f = self.substring(self.lastIndexOf(')') + 2).split(" ");
            long own = Long.parseLong(f[11]) + Long.parseLong(f[12]);                     // utime + stime
            return new Snapshot(total, total - idle, own);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Capacity and others' use between two snapshots ({@link Share#NONE} when either is missing). */
    static Share between(Snapshot a, Snapshot b) {
        if (a == null || b == null) return Share.NONE;
        long busy = b.busy() - a.busy();
        long self = b.self() - a.self();
        return new Share(b.total() - a.total(), Math.max(0, busy - self));
    }
}
