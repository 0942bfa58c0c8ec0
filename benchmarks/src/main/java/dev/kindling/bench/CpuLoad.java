package dev.kindling.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much of the machine other processes used while something was measured: the busy time of
 * all CPUs ({@code /proc/stat}) minus this JVM's own CPU time ({@code /proc/self/stat}, every
 * thread, libtorch's and OpenBLAS's included), as a share of the machine's capacity. On a 2-core
 * machine shared with other builds this is what tells a real result from a disturbed one.
 * Reports NaN where {@code /proc} is unavailable.
 */
final class CpuLoad {
    private final long[] start;

    private CpuLoad(long[] start) { this.start = start; }

    static CpuLoad start() { return new CpuLoad(read()); }

    /** Fraction (0..1) of all CPUs' time since start spent by other processes, or NaN. */
    double othersShare() {
        long[] end = read();
        if (start == null || end == null) return Double.NaN;
        long total = end[0] - start[0];
        long busy = end[1] - start[1];
        long self = end[2] - start[2];
        return total <= 0 ? Double.NaN : Math.max(0, busy - self) / (double) total;
    }

    /** {total ticks, busy ticks, this process's ticks}, all in USER_HZ, or null. */
    private static long[] read() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < cpu.length && i <= 8; i++) total += Long.parseLong(cpu[i]); // user .. steal
            long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);                 // idle + iowait
            String self = Files.readString(Path.of("/proc/self/stat"));
            String[] f = self.substring(self.lastIndexOf(')') + 2).split(" ");
            long own = Long.parseLong(f[11]) + Long.parseLong(f[12]);                     // utime + stime
            return new long[] {total, total - idle, own};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
