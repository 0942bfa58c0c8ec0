package dev.kindling.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One table of results: a group of cases measured in the same unit (GFLOP/s or GB/s), Kindling in
 * the first column and each peer next to it with the ratio Kindling / peer, plus the target the
 * issue sets against one of the peers. Rates are work per call divided by the median (and, in
 * brackets, the best) seconds per call; ratios compare medians.
 *
 * <p>A section made by {@link #timePerCall} shows milliseconds per call instead (training steps,
 * forward+backward passes), its ratios as Kindling's time over the peer's ("1.20x": 20% slower)
 * and its target as a bound on that ratio.
 */
final class Section {
    static final String KINDLING = "Kindling";

    /** The target: Kindling's median rate must reach {@code fraction} of {@code peer}'s. */
    record Target(String peer, double fraction) {
        /** Kindling's median time may be at most {@code factor} times the peer's. */
        static Target timeWithin(String peer, double factor) { return new Target(peer, 1 / factor); }
    }

    /** One case: its label, the work one call does (FLOPs or bytes), and how it was measured. */
    record Row(String label, double workPerCall, Comparison.Result result) {
        Map<String, Timing> timings() { return result.timings(); }
    }

    private final String title;
    private final String unit;
    private final double unitScale;
    private final List<String> peers;
    private final Target target;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final boolean timeDisplay;

    /** unitScale: work units per reported unit (1e9 for GFLOP/s and GB/s). */
    Section(String title, String unit, double unitScale, List<String> peers, Target target) {
        this(title, unit, unitScale, peers, target, false);
    }

    private Section(String title, String unit, double unitScale, List<String> peers, Target target, boolean timeDisplay) {
        this.title = title;
        this.unit = unit;
        this.unitScale = unitScale;
        this.peers = List.copyOf(peers);
        this.target = target;
        this.timeDisplay = timeDisplay;
    }

    /** A section of milliseconds per call (rows get a work of 1 call); target from {@link Target#timeWithin}. */
    static Section timePerCall(String title, List<String> peers, Target target) {
        return new Section(title, "ms", 1, peers, target, true);
    }

    String title() { return title; }

    void add(Row row) { rows.add(row); }

    void note(String text) { notes.add(text); }

    List<Row> rows() { return List.copyOf(rows); }

    Target target() { return target; }

    /** Kindling's median rate over the peer's, or NaN when either is missing. */
    double ratio(Row row, String peer) {
        Timing k = row.timings().get(KINDLING);
        Timing p = row.timings().get(peer);
        return k == null || p == null ? Double.NaN : p.median() / k.median();
    }

    /** The table under the given heading line, then the notes as a list. */
    String toMarkdown(String heading) {
        List<String> header = new ArrayList<>();
        header.add("case");
        header.add(KINDLING + " " + unit);
        for (String p : peers) {
            header.add(p + " " + unit);
            header.add(KINDLING + " / " + p);
        }
        if (target != null) header.add("target: " + describe(target));
        header.add("others' CPU");
        header.add("retaken");
        MarkdownTable table = new MarkdownTable(header);
        for (Row row : rows) {
            List<String> cells = new ArrayList<>();
            cells.add(row.label());
            cells.add(rate(row, KINDLING));
            for (String p : peers) {
                cells.add(rate(row, p));
                double r = ratio(row, p);
                cells.add(Double.isNaN(r) ? "—" : timeDisplay ? times(1 / r) : percent(r));
            }
            if (target != null) cells.add(verdict(row));
            double others = row.result().others().fraction();
            cells.add(Double.isNaN(others) ? "?" : percent(others));
            int kept = row.result().disturbedKept();
            cells.add(row.result().retaken() + (kept > 0 ? ", " + kept + " disturbed kept" : ""));
            table.row(cells);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(heading).append("\n\n");
        sb.append(table.render()).append('\n');
        for (String n : notes) sb.append("- ").append(n).append('\n');
        return sb.toString();
    }

    private String rate(Row row, String name) {
        Timing t = row.timings().get(name);
        if (t == null) return "—";
        if (timeDisplay) return String.format("%.3f (%.3f)", t.median() * 1e3, t.min() * 1e3);
        return String.format("%.1f (%.1f)", row.workPerCall() / t.median() / unitScale,
                row.workPerCall() / t.min() / unitScale);
    }

    private String verdict(Row row) {
        double r = ratio(row, target.peer());
        if (Double.isNaN(r)) return "—";
        if (r >= target.fraction()) return "met";
        if (timeDisplay) return "MISSED (" + times(1 / r) + ")";
        // One decimal: a ratio of 89.7% shows as "90%" in its column but must not read as met.
        return String.format("MISSED by %.1f pts", (target.fraction() - r) * 100);
    }

    /** The target in words: ">= 90% of OpenBLAS direct" or "<= 1.5x PyTorch's time". */
    String describe(Target t) {
        return timeDisplay ? "<= " + times(1 / t.fraction()) + " " + t.peer() + "'s time"
                : ">= " + percent(t.fraction()) + " of " + t.peer();
    }

    /** How a row's ratio to the target peer reads in the list of missed targets. */
    String describeRatio(Row row) {
        double r = ratio(row, target.peer());
        return timeDisplay ? times(1 / r) + " " + target.peer() + "'s time" : percent1(r) + " of " + target.peer();
    }

    static String percent(double r) { return String.format("%.0f%%", r * 100); }

    /** With one decimal, for the verdicts near a target. */
    static String percent1(double r) { return String.format("%.1f%%", r * 100); }

    static String times(double r) { return String.format("%.2fx", r); }
}
