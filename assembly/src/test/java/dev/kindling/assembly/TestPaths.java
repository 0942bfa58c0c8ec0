package dev.kindling.assembly;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the build put what these tests look at; the paths come from system properties that
 * assembly/pom.xml's Surefire configuration sets.
 */
final class TestPaths {
    /** The groups (as repository paths) whose jars the assembly merges besides Kindling's modules. */
    private static final List<String> MERGED_GROUPS = List.of("/org/bytedeco/", "/info/picocli/", "/org/knowm/xchart/");

    private TestPaths() {}

    static String property(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) throw new IllegalStateException("system property " + name + " is not set (run the tests through Maven)");
        return v;
    }

    static Path repo() { return Paths.get(property("kindling.repo.dir")).toAbsolutePath().normalize(); }

    static Path assemblyJar() {
        Path jar = Paths.get(property("kindling.assembly.jar"));
        if (!Files.isRegularFile(jar)) throw new IllegalStateException(jar + " does not exist: these tests run after `package`");
        return jar;
    }

    /** The classpath of the cluster's Spark, as the build wrote it. */
    static String sparkClasspath() {
        try {
            return Files.readString(Paths.get(property("kindling.spark.classpath"))).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> classpath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).map(Paths::get).toList();
    }

    /** The class folders or jars of core, arrow-bridge and spark-connector (this module's own excluded). */
    static List<Path> kindlingModuleOutputs() {
        Path repo = repo();
        Path self = repo.resolve("assembly");
        List<Path> out = new ArrayList<>();
        for (Path p : classpath()) {
            Path abs = p.toAbsolutePath().normalize();
            if (abs.startsWith(repo) && !abs.startsWith(self)) out.add(abs);
        }
        return out;
    }

    /** Everything the assembly merges: Kindling's modules and the jars of MERGED_GROUPS. */
    static List<Path> mergedInputs() {
        List<Path> out = new ArrayList<>(kindlingModuleOutputs());
        for (Path p : classpath()) {
            String s = p.toString().replace('\\', '/');
            if (MERGED_GROUPS.stream().anyMatch(s::contains)) out.add(p);
        }
        return out;
    }
}
