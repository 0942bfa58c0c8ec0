package dev.kindling.reference;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Runs the committed PyTorch cases of issue 16 ({@code src/test/resources/reference/ops_extra.json},
 * written by {@code gen_ops_extra.py} beside it): the added math ops and activations, and the edge
 * semantics (0-d reductions with a dim, unbatched convolution, empty matmul, broadcasting masks,
 * pad modes...). Every case must pass except those the file itself marks as skipped, with a reason.
 */
class ExtraReferenceTest {

    @Test
    void everyCaseOfOpsExtraMatchesPyTorch() throws Exception {
        var url = ExtraReferenceTest.class.getResource("/reference/ops_extra.json");
        assertNotNull(url, "ops_extra.json is missing from the test resources");
        ReferenceRunner.Summary s = ReferenceRunner.run(Path.of(url.toURI()));
        System.out.println("ops_extra.json " + s.details());
        assertEquals(0, s.failed(), s.details());
    }
}
