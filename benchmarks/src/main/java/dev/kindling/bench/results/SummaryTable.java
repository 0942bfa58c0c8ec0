package dev.kindling.bench.results;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One table over repeated runs: the same header and cases as each run's table, every cell a
 * {@link CellSummary} of the runs' cells. Rows are matched by their first cell, the case name, and
 * among rows of the same name by their order (SparkBench names a model once per mode).
 */
record SummaryTable(String heading, List<String> header, List<String> cases, List<List<CellSummary>> cells) {

    /** tables: the same table (same position in the report) from each run, in run order. */
    static SummaryTable of(List<MarkdownTable> tables) {
        MarkdownTable first = tables.get(0);
        Set<CaseKey> keys = new LinkedHashSet<>();
        for (MarkdownTable t : tables) {
            Map<String, Integer> seen = new HashMap<>();
            for (List<String> r : t.rows()) if (!r.isEmpty()) keys.add(new CaseKey(r.get(0), seen.merge(r.get(0), 1, Integer::sum) - 1));
        }
        List<String> cases = new ArrayList<>();
        List<List<CellSummary>> cells = new ArrayList<>();
        for (CaseKey c : keys) {
            cases.add(c.name());
            List<CellSummary> row = new ArrayList<>();
            for (int col = 1; col < first.header().size(); col++) {
                List<String> perRun = new ArrayList<>();
                for (MarkdownTable t : tables) {
                    List<String> r = t.row(c.name(), c.occurrence());
                    perRun.add(r == null || col >= r.size() ? null : r.get(col));
                }
                row.add(CellSummary.of(perRun));
            }
            cells.add(row);
        }
        return new SummaryTable(first.heading(), first.header(), List.copyOf(cases), cells);
    }

    /** A row's identity across runs: its case name and which row of that name it is. */
    private record CaseKey(String name, int occurrence) {}

    /** The column index (0 = case) of the header named name, or -1. */
    int column(String name) { return header.indexOf(name); }

    /** The summary of a case's cell in column col (col >= 1). */
    CellSummary cell(int row, int col) { return cells.get(row).get(col - 1); }

    MarkdownTable toMarkdown() {
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < cases.size(); r++) {
            List<String> row = new ArrayList<>();
            row.add(cases.get(r));
            for (CellSummary s : cells.get(r)) row.add(s.text());
            rows.add(row);
        }
        return new MarkdownTable(heading, header, rows);
    }
}
