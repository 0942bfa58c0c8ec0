package dev.kindling.metrics;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Progress off a terminal is three lines per epoch; on one it is a bar that the epoch's end clears. */
class TrainingProgressTest {

    @Test
    void withoutATerminalEachQuarterOfAnEpochLogsOneLine() {
        List<String> lines = new ArrayList<>();
        TrainingProgress p = TrainingProgress.lines(lines::add);
        p.epochStarted(2, 5, 23);
        for (int s = 1; s <= 23; s++) {
            int step = s;
            p.stepDone(s, () -> "loss " + step);
        }
        p.epochEnded();
        assertEquals(List.of("epoch 2/5  step 6/23 (26%)  loss 6", "epoch 2/5  step 12/23 (52%)  loss 12",
                "epoch 2/5  step 18/23 (78%)  loss 18"), lines);
    }

    @Test
    void shortEpochsLogWhatTheyHave() {
        assertFalse(TrainingProgress.isQuarter(1, 1));
        assertTrue(TrainingProgress.isQuarter(1, 2));
        assertFalse(TrainingProgress.isQuarter(2, 2), "the last step is the epoch's own line");
        List<String> lines = new ArrayList<>();
        TrainingProgress p = TrainingProgress.lines(lines::add);
        p.epochStarted(1, 0, 3);
        for (int s = 1; s <= 3; s++) p.stepDone(s, () -> "m");
        assertEquals(List.of("epoch 1  step 1/3 (33%)  m", "epoch 1  step 2/3 (66%)  m"), lines);
    }

    @Test
    void onATerminalABarIsRedrawnInPlaceAndCleared() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TrainingProgress p = TrainingProgress.bar(new PrintStream(out, true, StandardCharsets.UTF_8));
        p.epochStarted(1, 2, 10);
        p.stepDone(5, () -> "loss 0.5");
        p.stepDone(10, () -> "loss 0.4");
        p.epochEnded();
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.startsWith("\repoch 1/2 [===============>              ] 5/10  loss 0.5"), s);
        assertTrue(s.contains("\repoch 1/2 [==============================] 10/10  loss 0.4"), "the last step is always drawn: " + s);
        assertTrue(s.endsWith("\r"), "the bar is wiped before the epoch's line");
        assertFalse(s.contains("\n"), "a bar never scrolls the terminal");
    }
}
