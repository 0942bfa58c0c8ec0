package dev.kindling.assembly;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opens the assembly jar the build just made and checks what a cluster gets from it: every class
 * of Kindling's modules, nothing Spark, Scala, Hadoop, Arrow, Jackson, Netty or SLF4J ship (two
 * copies on one classpath fail at run time, far from their cause), picocli and XChart moved under
 * {@code dev.kindling.shaded} with every reference to them rewritten, and each
 * {@code META-INF/services} file holding the union of the lines of all the jars merged in.
 */
class AssemblyJarTest {
    /** Packages (as jar paths) the cluster provides; none may be inside the assembly. */
    static final List<String> CLUSTER_PROVIDED = List.of("org/apache/spark/", "scala/", "org/apache/hadoop/", "org/apache/arrow/",
            "com/fasterxml/jackson/", "io/netty/", "org/slf4j/", "org/apache/log4j/", "org/apache/logging/", "com/google/flatbuffers/");
    /** Original package -> where the assembly moved it (as in assembly/pom.xml). */
    static final Map<String, String> RELOCATED = Map.of("picocli/", "dev/kindling/shaded/picocli/",
            "org/knowm/xchart/", "dev/kindling/shaded/xchart/");

    static JarFile jar;
    static Set<String> entries;

    @BeforeAll
    static void open() throws IOException {
        jar = new JarFile(TestPaths.assemblyJar().toFile());
        entries = new TreeSet<>();
        jar.stream().forEach(e -> entries.add(e.getName()));
    }

    @Test
    void holdsEveryClassOfKindlingsModules() throws IOException {
        List<Path> modules = TestPaths.kindlingModuleOutputs();
        assertEquals(4, modules.size(), "core, arrow-bridge, cuda and spark-connector on the classpath: " + modules);
        int classes = 0;
        for (Path m : modules) {
            for (String c : classesIn(m)) {
                assertTrue(entries.contains(c), c + " of " + m + " is missing from " + TestPaths.assemblyJar());
                classes++;
            }
        }
        assertTrue(entries.contains("dev/kindling/spark/TrainJob.class") && entries.contains("dev/kindling/spark/PredictJob.class"));
        assertTrue(entries.contains("dev/kindling/cuda/kindling.fatbin"),
                "the CUDA kernels' fatbinary travels in the jar");
        assertTrue(classes > 300, "only " + classes + " Kindling classes found");
        assertTrue(entries.stream().anyMatch(e -> e.startsWith("org/bytedeco/openblas/linux-x86_64/") && e.contains("libopenblas")),
                "the OpenBLAS natives travel in the jar");
    }

    @Test
    void holdsNothingTheClusterProvides() {
        for (String e : entries) {
            for (String p : CLUSTER_PROVIDED) assertFalse(e.startsWith(p), e + " is Spark's to provide (" + p + ")");
        }
    }

    @Test
    void relocatesPicocliAndXChartEverywhere() throws IOException {
        for (var r : RELOCATED.entrySet()) {
            assertTrue(entries.stream().anyMatch(e -> e.startsWith(r.getValue()) && e.endsWith(".class")), "no classes under " + r.getValue());
            assertTrue(entries.stream().noneMatch(e -> e.startsWith(r.getKey())), "classes left under " + r.getKey());
        }
        int referencing = 0;
        for (String e : entries) {
            if (!e.endsWith(".class")) continue;
            String text = new String(jar.getInputStream(jar.getJarEntry(e)).readAllBytes(), StandardCharsets.ISO_8859_1);
            for (var r : RELOCATED.entrySet()) {
                for (int i = text.indexOf(r.getKey()); i >= 0; i = text.indexOf(r.getKey(), i + 1)) {
                    boolean moved = text.startsWith(r.getValue(), i - (r.getValue().length() - r.getKey().length()));
                    assertTrue(moved, e + " still refers to " + r.getKey() + " at byte " + i);
                    if (e.startsWith("dev/kindling/spark/") || e.startsWith("dev/kindling/metrics/")) referencing++;
                }
            }
        }
        assertTrue(referencing > 0, "Kindling's own classes (TrainJob, the history charts) refer to the moved packages");
    }

    @Test
    void mergesEveryServicesFile() throws IOException {
        Map<String, Set<String>> expected = new TreeMap<>();
        for (Path input : TestPaths.mergedInputs()) {
            for (var file : servicesIn(input).entrySet()) {
                Set<String> lines = expected.computeIfAbsent(relocate(file.getKey()), k -> new TreeSet<>());
                for (String l : file.getValue()) lines.add(relocate(l));
            }
        }
        assertTrue(expected.containsKey("META-INF/services/dev.kindling.backend.BackendProvider"), "core's backend registration: " + expected);
        Map<String, Set<String>> actual = new TreeMap<>();
        for (String e : entries) {
            if (e.startsWith("META-INF/services/") && !e.endsWith("/")) {
                try (InputStream in = jar.getInputStream(jar.getJarEntry(e))) {
                    actual.put(e, serviceLines(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
        }
        assertEquals(expected, actual);
        for (Set<String> providers : actual.values()) {
            for (String p : providers) assertTrue(entries.contains(p.replace('.', '/') + ".class"), "registered " + p + " is not in the jar");
        }
    }

    private static String relocate(String name) {
        String slashed = name.replace('.', '/');
        for (var r : RELOCATED.entrySet()) {
            if (slashed.startsWith(r.getKey()) || slashed.startsWith("META-INF/services/" + r.getKey())) {
                return name.replace(r.getKey().replace('/', '.'), r.getValue().replace('/', '.'));
            }
        }
        return name;
    }

    /** The class files (as jar paths) of a module's output: a directory or a jar. */
    private static List<String> classesIn(Path output) throws IOException {
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(output)) {
            try (Stream<Path> s = Files.walk(output)) {
                s.filter(p -> p.toString().endsWith(".class")).forEach(p -> out.add(output.relativize(p).toString().replace('\\', '/')));
            }
        } else {
            try (JarFile j = new JarFile(output.toFile())) {
                j.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).forEach(out::add);
            }
        }
        out.removeIf(n -> n.endsWith("module-info.class"));
        return out;
    }

    private static Map<String, Set<String>> servicesIn(Path input) throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        if (Files.isDirectory(input)) {
            Path dir = input.resolve("META-INF/services");
            if (!Files.isDirectory(dir)) return out;
            try (Stream<Path> s = Files.list(dir)) {
                for (Path f : s.toList()) out.put("META-INF/services/" + f.getFileName(), serviceLines(Files.readString(f)));
            }
        } else {
            try (JarFile j = new JarFile(input.toFile())) {
                for (var e : j.stream().filter(e -> e.getName().startsWith("META-INF/services/") && !e.isDirectory()).toList()) {
                    try (InputStream in = j.getInputStream(e)) {
                        out.put(e.getName(), serviceLines(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                    }
                }
            }
        }
        return out;
    }

    /** The provider names of a services file: comments and blank lines dropped. */
    private static Set<String> serviceLines(String text) {
        Set<String> out = new TreeSet<>();
        for (String l : text.split("\n")) {
            int hash = l.indexOf('#');
            String name = (hash < 0 ? l : l.substring(0, hash)).strip();
            if (!name.isEmpty()) out.add(name);
        }
        return out;
    }
}
