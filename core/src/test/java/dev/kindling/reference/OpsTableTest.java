package dev.kindling.reference;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The coverage tables in docs/ops.md and between the README's {@code <!-- ops-table:begin -->} /
 * {@code <!-- ops-table:end -->} markers must be what {@link OpsTable} generates from the code, so a
 * user reading them sees what exists. With {@code -Dkindling.updateReadmeOpsTable=true} the test
 * rewrites both instead; otherwise it fails naming the first line that differs.
 */
class OpsTableTest {
    static final String BEGIN = "<!-- ops-table:begin -->";
    static final String END = "<!-- ops-table:end -->";
    private static final Path README = Path.of("../README.md");
    private static final Path OPS = Path.of("../docs/ops.md");

    @Test
    void theReadmeAndDocsOpsTablesAreWhatTheCodeHas() throws Exception {
        OpsTable.Generated g = OpsTable.generate();
        String readme = Files.readString(README);
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        assertTrue(begin >= 0 && end > begin, "README.md needs the markers " + BEGIN + " and " + END);
        String block = readme.substring(begin + BEGIN.length(), end);
        String wanted = "\n" + g.readmeBlock();
        if (Boolean.getBoolean("kindling.updateReadmeOpsTable")) {
            Files.writeString(README, readme.substring(0, begin + BEGIN.length()) + wanted + readme.substring(end));
            Files.writeString(OPS, g.opsMarkdown());
            return;
        }
        String fix = " (regenerate: mvn -pl core test -Dtest=OpsTableTest -Dkindling.updateReadmeOpsTable=true)";
        assertEquals(null, firstDifference(block, wanted), "README.md's ops table drifted from the code" + fix);
        String ops = Files.exists(OPS) ? Files.readString(OPS) : "";
        assertEquals(null, firstDifference(ops, g.opsMarkdown()), "docs/ops.md drifted from the code" + fix);
    }

    @Test
    void aDriftedLineIsNamed() {
        assertEquals("line 2: file has 'b' but the code gives 'c'", firstDifference("a\nb\n", "a\nc\n"));
        assertEquals("line 3: file has '' but the code gives 'x'", firstDifference("a\nb", "a\nb\nx"));
        assertEquals(null, firstDifference("a\nb\n", "a\nb\n"));
    }

    @Test
    void javaNamesBecomePyTorchNames() {
        assertEquals("index_select", OpsTable.snake("indexSelect"));
        assertEquals("requires_grad_", OpsTable.snake("requiresGrad_"));
        assertEquals("conv2d", OpsTable.snake("conv2d"));
        assertEquals("l1_loss", OpsTable.snake("l1Loss"));
        assertEquals("binary_cross_entropy_with_logits", OpsTable.snake("binaryCrossEntropyWithLogits"));
    }

    /** null when equal, else "line N: file has '...' but the code gives '...'". */
    static String firstDifference(String file, String generated) {
        String[] a = file.split("\n", -1);
        String[] b = generated.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "";
            String y = i < b.length ? b[i] : "";
            if (!x.equals(y)) return "line " + (i + 1) + ": file has '" + x + "' but the code gives '" + y + "'";
        }
        return null;
    }
}
