package dev.kindling.cuda;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The committed fatbinary is what the sources build: its recorded source hash is the hash of the
 * sources now, every architecture carries every kernel the backend launches, its PTX passes ptxas,
 * and, where nvcc is installed, a rebuild gives the same cubins and PTX.
 */
class KernelBinaryTest {
    private static final Path SOURCES = Path.of("src/main/cuda");
    private static final Path BINARY = Path.of("src/main/resources/dev/kindling/cuda/kindling.fatbin");
    private static final Path PROPERTIES = Path.of("src/main/resources/dev/kindling/cuda/kindling.fatbin.properties");

    @Test
    void theCommittedBinaryWasBuiltFromTheseSources() throws IOException {
        Properties p = properties();
        assertEquals(p.getProperty("sources.sha256"), sourcesSha256(),
                "the CUDA sources changed since kindling.fatbin was built: run cuda/build-kernels.sh and commit its output");
        assertEquals(p.getProperty("fatbin.sha256"), FatbinIndex.sha256(Files.readAllBytes(BINARY)),
                "kindling.fatbin is not the file build-kernels.sh recorded");
        assertEquals(FatbinIndex.sha256(Files.readAllBytes(BINARY)), FatbinIndex.sha256(KernelBinary.bytes()),
                "the class path's kindling.fatbin differs from the source tree's");
    }

    @Test
    void everyArchitectureHasEveryKernel() throws IOException {
        Properties p = properties();
        FatbinIndex index = FatbinIndex.parse(Files.readAllBytes(BINARY));
        List<String> expectedEntries = new ArrayList<>();
        for (String arch : p.getProperty("archs").trim().split("\\s+")) expectedEntries.add("sass " + arch);
        expectedEntries.add("ptx " + p.getProperty("ptx.arch").trim());
        assertEquals(new TreeSet<>(expectedEntries), new TreeSet<>(index.entries().stream().map(e -> e.kind() + " " + e.arch()).toList()));
        assertEquals(expectedEntries.size(), index.entries().size());
        TreeSet<String> expected = expectedKernels();
        for (FatbinIndex.Entry e : index.entries()) assertEquals(expected, e.kernels(), e.kind() + " " + e.arch());
    }

    @Test
    void ptxassemblesWithPtxas() throws IOException, InterruptedException {
        Optional<Path> ptxas = tool("ptxas");
        assumeTrue(ptxas.isPresent(), "no ptxas on PATH or in /usr/local/cuda/bin");
        byte[] fatbin = Files.readAllBytes(BINARY);
        FatbinIndex.Entry ptx = FatbinIndex.parse(fatbin).entries().stream().filter(e -> e.kind().equals("ptx")).findFirst().orElseThrow();
        Path dir = Files.createTempDirectory("kindling-ptx");
        Path file = dir.resolve("kindling.ptx");
        byte[] text = Arrays.copyOfRange(fatbin, ptx.offset(), ptx.offset() + ptx.size());
        int end = text.length;
        while (end > 0 && text[end - 1] == 0) end--;   // the payload is padded with NULs
        Files.write(file, Arrays.copyOf(text, end));
        run(List.of(ptxas.get().toString(), "-arch=sm_" + ptx.arch(), file.toString(), "-o", dir.resolve("k.cubin").toString()));
        assertTrue(Files.size(dir.resolve("k.cubin")) > 0);
    }

    /**
     * Rebuilds with nvcc and compares entry by entry (nvcc 13.0's output was found deterministic:
     * a full rebuild gave the same cubins and PTX). To keep the build short only the first
     * architecture and the PTX are rebuilt; -Dkindling.cuda.fullRebuild=true rebuilds all of them.
     */
    @Test
    void rebuildingWithNvccGivesTheCommittedCubinsAndPtx() throws IOException, InterruptedException {
        Optional<Path> nvcc = tool("nvcc");
        assumeTrue(nvcc.isPresent(), "no nvcc on PATH or in /usr/local/cuda/bin");
        Path out = Files.createTempDirectory("kindling-kernels");
        Properties p = properties();
        String archs = Boolean.getBoolean("kindling.cuda.fullRebuild") ? p.getProperty("archs")
                : p.getProperty("archs").trim().split("\\s+")[0];
        ProcessBuilder pb = new ProcessBuilder("bash", "build-kernels.sh");
        pb.environment().put("KERNELS_OUT", out.toString());
        pb.environment().put("NVCC", nvcc.get().toString());
        pb.environment().put("ARCHS", archs);
        pb.environment().put("PTX_ARCH", p.getProperty("ptx.arch"));
        run(pb);
        List<String> rebuilt = FatbinIndex.parse(Files.readAllBytes(out.resolve("kindling.fatbin"))).entries().stream()
                .map(KernelBinaryTest::identity).sorted().toList();
        List<String> committed = FatbinIndex.parse(Files.readAllBytes(BINARY)).entries().stream()
                .filter(e -> e.kind().equals("ptx") || List.of(archs.trim().split("\\s+")).contains(String.valueOf(e.arch())))
                .map(KernelBinaryTest::identity).sorted().toList();
        assertEquals(committed, rebuilt, "kindling.fatbin is stale: run cuda/build-kernels.sh and commit its output");
    }

    private static String identity(FatbinIndex.Entry e) { return e.kind() + " " + e.arch() + " " + e.sha256(); }

    @Test
    void cuobjdumpListsEveryArchitecture() throws IOException, InterruptedException {
        Optional<Path> cuobjdump = tool("cuobjdump");
        assumeTrue(cuobjdump.isPresent(), "no cuobjdump on PATH or in /usr/local/cuda/bin");
        String listing = run(List.of(cuobjdump.get().toString(), "-lelf", "-lptx", BINARY.toString()));
        Properties p = properties();
        for (String arch : p.getProperty("archs").trim().split("\\s+")) assertTrue(listing.contains("sm_" + arch), listing);
        assertTrue(listing.contains("sm_" + p.getProperty("ptx.arch").trim()) && listing.contains("ptx"), listing);
    }

    /** Every kernel name CudaBackend composes. */
    static TreeSet<String> expectedKernels() {
        List<String> all = List.of("f32", "f64", "i32", "i64", "u8");
        List<String> floats = List.of("f32", "f64");
        TreeSet<String> k = new TreeSet<>();
        for (String s : all) {
            k.add("kd_fill_" + s);
            k.add("kd_compare_" + s);
            k.add("kd_reduce_bool_" + s);
            k.add("kd_random_" + s);
            k.add("kd_sort_indices_" + s);
            k.add("kd_nonzero_" + s);
            for (String d : all) k.add("kd_copy_" + s + "_" + d);
        }
        for (String s : List.of("f32", "f64", "i32", "i64")) {
            k.add("kd_binary_" + s);
            k.add("kd_unary_" + s);
        }
        for (String s : all) k.add("kd_unary_pred_" + s);
        for (String s : List.of("i32", "i64", "u8")) k.add("kd_sum_int_" + s);
        for (String w : List.of("w8", "w32", "w64")) {
            for (String prefix : List.of("kd_index_select_", "kd_gather_", "kd_scatter_", "kd_where_")) k.add(prefix + w);
        }
        for (String s : List.of("f32", "f64", "i64")) {
            k.add("kd_scatter_add_" + s);
            k.add("kd_index_add_" + s);
        }
        for (String s : floats) {
            for (String prefix : List.of("kd_reduce_", "kd_argreduce_",
                    "kd_cumsum_", "kd_softmax_", "kd_softmax_backward_", "kd_im2col_", "kd_col2im_",
                    "kd_maxpool_indices_", "kd_adam_", "kd_sgd_", "kd_gemm_")) {
                k.add(prefix + s);
            }
            k.add("kd_bernoulli_" + s + "_" + s);
            k.add("kd_bernoulli_" + s + "_u8");
        }
        return k;
    }

    static String sourcesSha256() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".cu") || f.toString().endsWith(".cuh"))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList()) {
                all.write(Files.readAllBytes(f));
            }
        }
        return FatbinIndex.sha256(all.toByteArray());
    }

    private static Properties properties() throws IOException {
        Properties p = new Properties();
        try (var in = Files.newInputStream(PROPERTIES)) {
            p.load(in);
        }
        return p;
    }

    static Optional<Path> tool(String name) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/local/cuda/bin").split(":")) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        return run(new ProcessBuilder(command));
    }

    private static String run(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", pb.command()) + "\n" + out);
        return out;
    }
}
