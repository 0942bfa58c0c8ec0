package dev.kindling.reference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runner fails what it cannot vouch for: a kwarg the port never reads, a dtype other than
 * PyTorch's, an op Kindling lacks, a call PyTorch rejects but Kindling accepts. Only the file's
 * own "skip" entries are skipped.
 */
class ReferenceRunnerStrictnessTest {
    @TempDir
    Path dir;

    private static final String X = "{\"shape\": [2], \"dtype\": \"float32\", \"data\": [1.5, -2.0]}";

    private ReferenceRunner.Summary run(String caseJson) throws Exception {
        Path f = dir.resolve("cases.json");
        Files.writeString(f, "{\"cases\": [" + caseJson + "]}");
        return ReferenceRunner.run(f);
    }

    @Test
    void aMatchingCasePasses() throws Exception {
        var s = run("{\"name\": \"neg\", \"op\": \"neg\", \"kwargs\": {}, \"inputs\": [" + X + "], \"outputs\": ["
                + "{\"shape\": [2], \"dtype\": \"float32\", \"data\": [-1.5, 2.0]}]}");
        assertEquals(1, s.passed(), s.details());
    }

    @Test
    void anUnreadKwargFails() throws Exception {
        var s = run("{\"name\": \"neg\", \"op\": \"neg\", \"kwargs\": {\"out_of_place\": true}, \"inputs\": [" + X + "], \"outputs\": ["
                + "{\"shape\": [2], \"dtype\": \"float32\", \"data\": [-1.5, 2.0]}]}");
        assertEquals(1, s.failed(), s.details());
        assertTrue(s.failures().get(0).contains("kwargs the port does not read: [out_of_place]"), s.details());
    }

    @Test
    void aDifferentDtypeFails() throws Exception {
        var s = run("{\"name\": \"neg\", \"op\": \"neg\", \"kwargs\": {}, \"inputs\": [" + X + "], \"outputs\": ["
                + "{\"shape\": [2], \"dtype\": \"float64\", \"data\": [-1.5, 2.0]}]}");
        assertEquals(1, s.failed(), s.details());
        assertTrue(s.failures().get(0).contains("dtype float32 but expected float64"), s.details());
    }

    @Test
    void anUnknownOpFailsAndOnlyTheFilesSkipsAreSkipped() throws Exception {
        var s = run("{\"name\": \"u\", \"op\": \"no_such_op\", \"kwargs\": {}, \"inputs\": [" + X + "], \"outputs\": [" + X + "]},"
                + "{\"name\": \"s\", \"op\": \"no_such_op\", \"skip\": \"not yet\", \"kwargs\": {}, \"inputs\": [" + X + "]}");
        assertEquals(1, s.failed(), s.details());
        assertTrue(s.failures().get(0).contains("cannot run: no op 'no_such_op'"), s.details());
        assertEquals(1, s.skipped(), s.details());
        assertTrue(s.skippedCases().get(0).contains("s (not yet)"), s.details());
    }

    @Test
    void aCallPyTorchRejectsMustBeRejected() throws Exception {
        var s = run("{\"name\": \"e\", \"op\": \"neg\", \"kwargs\": {}, \"error\": \"RuntimeError: made up\", \"inputs\": [" + X + "]}");
        assertEquals(1, s.failed(), s.details());
        assertTrue(s.failures().get(0).contains("but Kindling accepted it"), s.details());
    }

    @Test
    void anUnreadOptimizerKwargFails() throws Exception {
        String p = "{\"shape\": [1], \"dtype\": \"float32\", \"data\": [1.0]}";
        var s = run("{\"name\": \"o\", \"op\": \"optimizer\", \"kwargs\": {\"optimizer\": \"SGD\", \"lr\": 0.5, \"foreach\": true},"
                + " \"inputs\": [" + p + "], \"gradients\": [" + p + "], \"trajectory\": [{\"shape\": [1], \"dtype\": \"float32\", \"data\": [0.5]}]}");
        assertEquals(1, s.failed(), s.details());
        assertTrue(s.failures().get(0).contains("kwargs the port does not read: [foreach]"), s.details());
    }

    @Test
    void anUnknownCaseFieldFails() throws Exception {
        var s = run("{\"name\": \"neg\", \"op\": \"neg\", \"kwargs\": {}, \"out_dtype\": \"float64\", \"inputs\": [" + X + "], \"outputs\": ["
                + "{\"shape\": [2], \"dtype\": \"float32\", \"data\": [-1.5, 2.0]}]}");
        assertEquals(1, s.failed(), s.details());
        assertTrue(s.failures().get(0).contains("case fields the runner does not know: [out_dtype]"), s.details());
    }

    @Test
    void gradientsWithoutAnUpstreamGradientFail() throws Exception {
        var s = run("{\"name\": \"neg\", \"op\": \"neg\", \"kwargs\": {}, \"inputs\": [" + X + "], \"outputs\": ["
                + "{\"shape\": [2], \"dtype\": \"float32\", \"data\": [-1.5, 2.0]}], \"grads\": [" + X + "]}");
        assertEquals(1, s.failed(), s.details());
        assertTrue(s.failures().get(0).contains("both grad_output and grads"), s.details());
    }

    /** meshgrid's second input does not reach the first output: PyTorch's grad is None, written as zeros. */
    private String meshgridCase(String secondGrad) {
        String a = "{\"shape\": [2], \"dtype\": \"float32\", \"data\": [1.5, -2.0]}";
        String b = "{\"shape\": [1], \"dtype\": \"float32\", \"data\": [0.5]}";
        String ones = "{\"shape\": [2, 1], \"dtype\": \"float32\", \"data\": [1.0, 1.0]}";
        return "{\"name\": \"m\", \"op\": \"meshgrid\", \"kwargs\": {\"indexing\": \"ij\"}, \"inputs\": [" + a + ", " + b + "], \"outputs\": ["
                + "{\"shape\": [2, 1], \"dtype\": \"float32\", \"data\": [1.5, -2.0]}, {\"shape\": [2, 1], \"dtype\": \"float32\", \"data\": [0.5, 0.5]}],"
                + " \"grad_output\": " + ones + ", \"grads\": [{\"shape\": [2], \"dtype\": \"float32\", \"data\": [1.0, 1.0]}, "
                + "{\"shape\": [1], \"dtype\": \"float32\", \"data\": [" + secondGrad + "]}]}";
    }

    @Test
    void aMissingGradientPassesOnlyWherePyTorchsWasNone() throws Exception {
        var none = run(meshgridCase("0.0"));
        assertEquals(1, none.passed(), none.details());
        var some = run(meshgridCase("2.0"));
        assertEquals(1, some.failed(), some.details());
        assertTrue(some.failures().get(0).contains("grad 1: no gradient was computed"), some.details());
    }
}
