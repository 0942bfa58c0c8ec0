package dev.kindling.bench;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmarks module's layout (issue 12): its classes live in {@code dev.kindling.bench.*},
 * beside no library package, and use only what users use: Kindling's published modules, never
 * the examples. Checked on this module's compiled classes alone.
 */
class BenchmarksLayoutTest {
    private static JavaClasses benchmarkClasses() {
        Path compiled = Path.of("target", "classes");
        assertTrue(Files.isDirectory(compiled), "compiled benchmark classes expected at " + compiled.toAbsolutePath());
        JavaClasses imported = new ClassFileImporter().importPath(compiled);
        assertTrue(imported.size() > 10, "benchmark classes imported: " + imported.size());
        return imported;
    }

    @Test
    void everyBenchmarkClassLivesInTheBenchPackages() {
        classes().should().resideInAPackage("dev.kindling.bench..").check(benchmarkClasses());
    }

    @Test
    void benchmarksDoNotDependOnTheExamples() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.kindling.examples..").check(benchmarkClasses());
    }
}
