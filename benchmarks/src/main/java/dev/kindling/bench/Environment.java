package dev.kindling.bench;

import dev.kindling.backend.cpu.OpenBlas;
import dev.kindling.backend.cpu.Parallel;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * What a result table depends on, captured when the run starts: the OpenBLAS kernel and thread
 * count, the {@code OPENBLAS_*} variables as this process saw them, the JDK and its flags, the CPU,
 * the load average (another tenant on a 2-core machine shows up here first) and the PyTorch build.
 */
record Environment(String label, String kernel, List<String> lines) {

    /** direct and loopThreads describe CoreBench's extra peers; null and 0 leave their lines out. */
    static Environment capture(BenchConfig config, DirectSgemm direct, TorchPeer torch, int loopThreads) {
        List<String> l = new ArrayList<>();
        l.add("date: " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        l.add("CPU: " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " processors; load average at start "
                + loadAverage());
        l.add("environment: OPENBLAS_CORETYPE=" + env("OPENBLAS_CORETYPE") + ", OPENBLAS_L2_SIZE=" + env("OPENBLAS_L2_SIZE")
                + ", OMP_NUM_THREADS=" + env("OMP_NUM_THREADS"));
        l.add("Kindling: " + OpenBlas.describe() + ", " + Parallel.threads() + " kernel threads");
        if (direct != null) {
            l.add("OpenBLAS direct: " + direct.library() + ", `" + direct.config() + "`, " + direct.threads() + " threads");
        }
        l.add(torch != null ? "PyTorch: " + torch.describe() : "PyTorch: not measured (--no-torch)");
        if (loopThreads > 0) l.add("Java loops: 1 thread (`Java loop 1T`) and " + loopThreads + " threads (`Java loop 2T`)");
        l.add("JVM: " + Runtime.version() + " " + System.getProperty("java.vm.name") + ", flags `"
                + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()) + "`");
        l.add("timing: JMH " + org.openjdk.jmh.util.Version.getPlainVersion() + " (in-process, average time per call) per contender after >= " + config.minWarmupCalls()
                + " calls and " + config.warmupSeconds() + " s of JMH warm-up, then " + config.samples()
                + " JMH iterations (samples) of " + Math.round(config.sampleSeconds() * 1e3) + " ms each, in " + config.rounds() + " rounds across the contenders, each block after "
                + Math.round(config.settleSeconds() * 1e3) + " ms of untimed calls, at most " + config.retakeSeconds()
                + " s of retakes per case; rate = work / median (best) "
                + "seconds per call; ratios compare medians");
        return new Environment(config.label(), OpenBlas.coreName(), List.copyOf(l));
    }

    private static String env(String name) {
        String v = System.getenv(name);
        return v == null ? "(unset)" : v;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
