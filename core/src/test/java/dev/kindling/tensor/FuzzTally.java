package dev.kindling.tensor;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Counts, per mutation kind, how many fuzzed inputs a reader loaded and how many it rejected, so
 * a fuzz test can check that its mutations reach both outcomes (a fuzzer whose inputs are all
 * rejected at the first byte tests nothing). The counts are printed only when the system property
 * {@code kindling.fuzz.report} is set, so a passing test stays silent.
 */
public final class FuzzTally {
    private final String format;
    private final Map<String, int[]> counts = new TreeMap<>();

    public FuzzTally(String format) {
        this.format = format;
    }

    public void loaded(String kind) { counts.computeIfAbsent(kind, k -> new int[2])[0]++; }

    public void rejected(String kind) { counts.computeIfAbsent(kind, k -> new int[2])[1]++; }

    public int loaded() { return counts.values().stream().mapToInt(c -> c[0]).sum(); }

    public int rejected() { return counts.values().stream().mapToInt(c -> c[1]).sum(); }

    /** Every input was counted, some loaded and some were rejected, and {@code validKind} always loaded. */
    public void assertBothOutcomes(int inputs, String validKind) {
        assertEquals(inputs, loaded() + rejected(), format + ": inputs counted");
        assertTrue(loaded() > 0 && rejected() > 0, format + ": expected both outcomes but got " + counts());
        int[] valid = counts.get(validKind);
        assertTrue(valid != null && valid[0] > 0, format + ": mutations of kind '" + validKind + "' should load: " + counts());
    }

    /** "kind: loaded/rejected" per kind. */
    public String counts() {
        StringBuilder s = new StringBuilder();
        counts.forEach((k, c) -> s.append(String.format("%n  %-26s loaded %5d  rejected %5d", k, c[0], c[1])));
        return s.toString();
    }

    public void reportIfAsked() {
        if (System.getProperty("kindling.fuzz.report") == null) return;
        System.out.printf("%s fuzz: %d inputs, %d loaded, %d rejected%s%n", format, loaded() + rejected(), loaded(), rejected(), counts());
    }
}
