package dev.kindling.reference;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays {@code digits_mlp_sgd.json} (or {@code -Dkindling.trajectory=FILE}) and requires every
 * step's loss and the final parameters to match PyTorch's.
 */
class TrajectoryTest {

    @Test
    void replaysPyTorchsTrainingRun() throws Exception {
        String explicit = System.getProperty("kindling.trajectory");
        Path file = explicit != null && !explicit.isBlank() ? Path.of(explicit)
                : Path.of(System.getProperty("kindling.shared", "../../shared"), "reference", "digits_mlp_sgd.json");
        assertTrue(Files.isRegularFile(file), "trajectory file not found: " + file.toAbsolutePath());
        TrajectoryReplay.Result r = TrajectoryReplay.replay(file);
        System.out.println(r.line() + "; final parameters max |diff| " + r.finalParamMaxDiff()
                + (r.heldoutAccuracy() != null ? "; held-out accuracy " + r.heldoutAccuracy() + " (PyTorch " + r.expectedHeldoutAccuracy() + ")" : ""));
        assertNull(r.firstMismatch(), r.line());
        assertEquals(r.steps(), r.withinTolerance(), r.line());
        assertTrue(r.finalParamMaxDiff() <= 1e-4, "final parameters differ by " + r.finalParamMaxDiff());
        if (r.heldoutAccuracy() != null) assertEquals(r.expectedHeldoutAccuracy(), r.heldoutAccuracy(), 1.0 / 300 + 1e-9);
    }

    @Test
    void theModelPrintsLikePyTorch() throws Exception {
        Path file = Path.of(System.getProperty("kindling.shared", "../../shared"), "reference", "digits_mlp_sgd.json");
        var root = new ObjectMapper().readTree(Files.readString(file));
        assertEquals(root.get("model").asText(), TrajectoryReplay.buildModel(root.get("layers")).toString());
    }
}
