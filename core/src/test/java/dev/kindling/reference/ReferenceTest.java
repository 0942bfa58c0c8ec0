package dev.kindling.reference;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every case of the PyTorch reference file ({@code ../shared/reference/ops.json}, or the file
 * named by {@code -Dkindling.reference=FILE}) and prints {@code reference: N passed, M failed, K skipped}.
 */
class ReferenceTest {

    static Path referenceFile() {
        String explicit = System.getProperty("kindling.reference");
        if (explicit != null && !explicit.isBlank()) return Path.of(explicit);
        String shared = System.getProperty("kindling.shared", "../../shared");
        return Path.of(shared, "reference", "ops.json");
    }

    @Test
    void everyReferenceCaseMatchesPyTorch() throws Exception {
        Path file = referenceFile();
        assertTrue(Files.isRegularFile(file), "reference file not found: " + file.toAbsolutePath()
                + " (set -Dkindling.reference=FILE or put ../shared beside the checkout)");
        ReferenceRunner.Summary s = ReferenceRunner.run(file);
        System.out.println(s.details());
        assertEquals(0, s.failed(), s.details());
        if (System.getProperty("kindling.reference") == null) {
            assertEquals(0, s.skipped(), "every case of the public file must run: " + s.details());
        }
    }
}
