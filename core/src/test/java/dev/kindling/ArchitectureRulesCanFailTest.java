package dev.kindling;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ArchitectureTest}'s backend rule can fail: the CPU backend's own tests live in
 * {@code dev.kindling.backend.cpu} and use Tensor and nn, and the rule reports them. (A separate
 * class because ArchUnit's engine and Jupiter would otherwise write one test report each under the
 * same name.)
 */
class ArchitectureRulesCanFailTest {

    @Test
    void theBackendRuleReportsATensorDependency() {
        JavaClasses backendTests = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages("dev.kindling.backend.cpu");
        EvaluationResult result = ArchitectureTest.BACKENDS_SEE_STORAGE_NOT_TENSORS.evaluate(backendTests);
        String report = result.getFailureReport().toString();
        assertTrue(result.hasViolation(), "expected violations in the backend's tests");
        assertTrue(report.contains("FastPathTest") && report.contains("dev.kindling.tensor.Tensor"), report);
    }
}
