package dev.kindling.examples;

import dev.kindling.examples.readme.ArrowRoundTrip;
import dev.kindling.examples.readme.TensorsIn30Seconds;
import dev.kindling.examples.readme.TrainInOneJvm;
import dev.kindling.examples.readme.TrainOnSpark;
import dev.kindling.metrics.TrainingHistory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's Java code is the code of {@code dev.kindling.examples.readme}: every block the
 * README marks with {@code <!-- include: FILE -->} equals that file from its first import on, and
 * every such program runs. Its shell commands name only files that exist.
 */
class ReadmeSnippetsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern INCLUDE = Pattern.compile("<!-- include: (\\S+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);

    private static String readme() throws IOException {
        return Files.readString(ROOT.resolve("README.md"));
    }

    @Test
    void everyIncludedBlockIsItsSourceFileVerbatim() throws IOException {
        Matcher m = INCLUDE.matcher(readme());
        List<String> included = new ArrayList<>();
        while (m.find()) {
            Path source = ROOT.resolve(m.group(1));
            assertTrue(Files.isRegularFile(source), "README includes " + m.group(1) + ", which does not exist");
            String code = Files.readString(source);
            String shown = code.substring(code.indexOf("import "));
            assertEquals(shown, m.group(2), "README's block for " + m.group(1) + " differs from the file: copy the file into it");
            included.add(source.getFileName().toString());
        }
        assertEquals(List.of("TensorsIn30Seconds.java", "TrainInOneJvm.java", "TrainOnSpark.java", "ArrowRoundTrip.java"), included);
        assertFalse(readme().contains("../shared/DESIGN.md"), "the README points only inside the repository");
    }

    @Test
    void theSnippetsRun() throws Exception {
        TensorsIn30Seconds.main(new String[0]);
        ArrowRoundTrip.main(new String[0]);
        assertTrue(Files.size(Path.of("kindling-output", "train.feather")) > 0);
        TrainInOneJvm.main(new String[] {TrainClassifierTest.mnist().toString()});
        assertTrue(Files.size(Path.of("kindling-output", "model.safetensors")) > 800_000, "784x256 + 256x10 float32 weights");
        deleteTree(Path.of("kindling-output", "checkpoints"));   // else the fit resumes the last run's checkpoint
        TrainOnSpark.main(new String[0]);
        TrainingHistory h = TrainingHistory.readJson(Path.of("kindling-output", "readme-history.json"));
        int epochs = h.rows(TrainingHistory.Scope.EPOCH).size();
        assertTrue(epochs >= 1 && epochs <= 5, "5 epochs at most (early stopping may end it sooner): " + epochs);
        double accuracy = h.rows(TrainingHistory.Scope.EPOCH).getLast().get(TrainingHistory.VAL_ACCURACY);
        assertTrue(accuracy > 0.9, "the diagonal is learnt: validation accuracy " + accuracy);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
