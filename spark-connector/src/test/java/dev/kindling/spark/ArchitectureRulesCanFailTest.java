package dev.kindling.spark;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ArchitectureTest}'s rules can fail: the tests of the internal and data packages use
 * Spark's internals directly and reach up into the trainer, and the rules report them. (A separate
 * class because ArchUnit's engine and Jupiter would otherwise write one test report each under the
 * same name.)
 */
class ArchitectureRulesCanFailTest {

    private static JavaClasses testsOf(String... packages) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS).importPackages(packages);
    }

    @Test
    void theInternalsRuleReportsADirectCatalystUse() {
        EvaluationResult result = ArchitectureTest.ONLY_SPARK_INTERNALS_USES_SPARK_INTERNALS.evaluate(testsOf("dev.kindling.spark.internal"));
        String report = result.getFailureReport().toString();
        assertTrue(result.hasViolation(), "expected violations in SparkInternalsTest");
        assertTrue(report.contains("SparkInternalsTest") && report.contains("UnsafeArrayData"), report);
    }

    @Test
    void theLayerRuleReportsDataReachingIntoTheTrainer() {
        // Main classes too: a layer is made of imported classes, and the tests' targets are main classes.
        EvaluationResult result = ArchitectureTest.LAYERS.evaluate(new ClassFileImporter().importPackages("dev.kindling.spark"));
        String report = result.getFailureReport().toString();
        assertTrue(result.hasViolation(), "expected violations in the data package's tests");
        assertTrue(report.contains("PartitionLayoutTest") && report.contains("DistributedTrainer"), report);
    }
}
