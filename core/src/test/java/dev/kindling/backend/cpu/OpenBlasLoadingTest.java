package dev.kindling.backend.cpu;

import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the CPU backend finds its GEMM: OpenBLAS through JavaCPP's Loader from the platform jar, and the
 * pure-Java GEMM with one log line where OpenBLAS cannot load. The fallback runs in a child JVM because
 * the choice is made once per process.
 */
class OpenBlasLoadingTest {

    @Test
    void javaCppLoaderExtractsThePlatformLibraryThatFfmBinds() {
        assertTrue(OpenBlas.available(), "OpenBLAS failed to load: " + OpenBlas.failure());
        Path lib = OpenBlas.libraryPath();
        String platform = org.bytedeco.javacpp.Loader.getPlatform();
        assertTrue(lib.toString().contains(platform), "library " + lib + " should come from the " + platform + " jar");
        assertTrue(lib.getFileName().toString().contains("openblas"), lib.toString());
    }

    @Test
    void missingOpenBlasFallsBackToJavaGemmWithOneLogLine() throws Exception {
        ChildRun run = ChildRun.of("-Dkindling.openblas.path=/nonexistent/libopenblas.so.0");
        assertEquals(0, run.exitCode, run.output);
        List<String> gemmLines = run.output.lines().filter(l -> l.contains("Kindling matmul:")).toList();
        assertEquals(1, gemmLines.size(), "exactly one line names the GEMM in use:\n" + run.output);
        assertTrue(gemmLines.get(0).contains("pure-Java fallback GEMM"), gemmLines.get(0));
        assertTrue(gemmLines.get(0).contains("/nonexistent/libopenblas.so.0"), "the line names what failed: " + gemmLines.get(0));
        assertTrue(run.output.contains("describe=pure-Java GEMM"), run.output);
        assertTrue(run.output.contains("matches=true"), "the fallback's product must equal OpenBLAS's:\n" + run.output);
    }

    /** Entry point of the child JVM: reports the GEMM in use and checks a product against the naive one. */
    public static void main(String[] args) {
        Tensor a = Tensors.randn(new Generator(7), 33, 47);
        Tensor b = Tensors.randn(new Generator(8), 47, 29);
        float[] got = a.matmul(b).toFloatArray();
        double[] want = dev.kindling.tensor.TestSupport.naiveMatmul(widen(a.toFloatArray()), widen(b.toFloatArray()), 33, 47, 29);
        boolean matches = true;
        for (int i = 0; i < got.length; i++) matches &= Math.abs(got[i] - want[i]) <= 1e-4f * (1 + Math.abs(want[i]));
        System.out.println("describe=" + OpenBlas.describe());
        System.out.println("matches=" + matches);
    }

    private static double[] widen(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    /** A JVM started with this test's classpath and the given system properties, running {@link #main}. */
    private record ChildRun(int exitCode, String output) {
        static ChildRun of(String... jvmArgs) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.add("--enable-native-access=ALL-UNNAMED");
            cmd.addAll(List.of(jvmArgs));
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(OpenBlasLoadingTest.class.getName());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new ChildRun(p.waitFor(), out);
        }
    }
}
