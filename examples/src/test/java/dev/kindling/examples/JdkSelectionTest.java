package dev.kindling.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's commands on a newcomer's machine: Maven running on Java 17, no JAVA_HOME. The root
 * POM then finds a JDK 25 by itself, or stops with one line saying what it needs and where it
 * looked. Runs the real {@code mvn} on the root POM's validate phase (offline, non-recursive).
 */
class JdkSelectionTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private record Outcome(int exitCode, String output) {}

    private static Optional<Path> java17() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) return Optional.empty();
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(h -> h.getFileName().toString().contains("17") && Files.isExecutable(h.resolve("bin/java"))).findFirst();
        }
    }

    private static Optional<Path> mvn() {
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            Path p = Path.of(dir, "mvn");
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    private static Outcome validate(boolean quiet, String... properties) throws Exception {
        Optional<Path> java17 = java17();
        Optional<Path> mvn = mvn();
        assumeTrue(java17.isPresent(), "needs a JDK 17 under /usr/lib/jvm to play a newcomer's Maven; none found");
        assumeTrue(mvn.isPresent(), "needs mvn on PATH; none found");
        List<String> cmd = new ArrayList<>(List.of(mvn.get().toString(), "-B", "-o", "-N", "-f", ROOT.resolve("pom.xml").toString()));
        if (quiet) cmd.add("-q");
        cmd.addAll(List.of(properties));
        cmd.add("validate");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.equals("JDK_HOME") || (k.startsWith("JAVA") && k.endsWith("_HOME")) || k.equals("MAVEN_OPTS"));
        env.put("PATH", java17.get().resolve("bin") + File.pathSeparator + System.getenv("PATH"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Outcome(p.waitFor(), out);
    }

    @Test
    void withJava17OnPathTheBuildFindsAJdk25Itself() throws Exception {
        Path jdk25Parent = Path.of(System.getProperty("java.home")).getParent();   // the tests run on a JDK 25
        Outcome o = validate(false, "-Dkindling.jdk.dirs=" + jdk25Parent);
        assertEquals(0, o.exitCode(), o.output());
        assertTrue(o.output().contains("EvaluateBeanshell passed"), o.output());
    }

    @Test
    void withoutAJdk25TheBuildSaysWhatItNeedsAndWhereItLooked(@TempDir Path empty) throws Exception {
        Outcome o = validate(true, "-Dkindling.jdk.dirs=" + empty);
        assertTrue(o.exitCode() != 0, o.output());
        List<String> lines = o.output().lines().filter(l -> l.contains("Kindling needs a JDK 25 or newer")).toList();
        assertTrue(!lines.isEmpty(), o.output());
        String line = lines.get(0);
        assertTrue(line.contains("Maven itself runs on Java 17"), line);
        assertTrue(line.contains("JAVA_HOME") && line.contains("/usr/lib/jvm") && line.contains("install one there"), line);
        assertTrue(o.output().lines().noneMatch(l -> l.strip().startsWith("at ")), "no stack trace: " + o.output());
    }
}
