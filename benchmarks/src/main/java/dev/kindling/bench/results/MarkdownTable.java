package dev.kindling.bench.results;

import java.util.ArrayList;
import java.util.List;

/**
 * One GitHub-flavoured Markdown table as a benchmark printed it: the heading above it (the nearest
 * line starting with {@code #}, or empty), its header cells and its rows of cells. The first cell of
 * a row names the case; {@link RunSummary} matches rows of repeated runs by it.
 */
record MarkdownTable(String heading, List<String> header, List<List<String>> rows) {

    MarkdownTable {
        header = List.copyOf(header);
        List<List<String>> copy = new ArrayList<>();
        for (List<String> r : rows) copy.add(List.copyOf(r));
        rows = List.copyOf(copy);
    }

    /** The row whose first cell is caseName, or null. */
    List<String> row(String caseName) { return row(caseName, 0); }

    /** The row of the occurrence-th case named caseName (0 = the first), or null. */
    List<String> row(String caseName, int occurrence) {
        int seen = 0;
        for (List<String> r : rows) {
            if (!r.isEmpty() && r.get(0).equals(caseName) && seen++ == occurrence) return r;
        }
        return null;
    }

    /** The cells of a Markdown table line ("| a | b |"), trimmed. */
    static List<String> cells(String line) {
        String s = line.trim();
        if (s.startsWith("|")) s = s.substring(1);
        if (s.endsWith("|")) s = s.substring(0, s.length() - 1);
        List<String> out = new ArrayList<>();
        for (String c : s.split("\\|", -1)) out.add(c.trim());
        return out;
    }

    /** Whether line is a table's header separator ("|---|:--|"). */
    static boolean isSeparator(String line) {
        String s = line.trim();
        return s.startsWith("|") && s.replaceAll("[|:\\-\\s]", "").isEmpty() && s.contains("-");
    }

    /** Renders the table with padded columns (the same layout the benchmarks print). */
    String render() {
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = Math.max(3, header.get(c).length());
            for (List<String> r : rows) if (c < r.size()) width[c] = Math.max(width[c], r.get(c).length());
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, width);
        sb.append('|');
        for (int w : width) sb.append('-').append("-".repeat(w)).append("-|");
        sb.append('\n');
        for (List<String> r : rows) line(sb, r, width);
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] width) {
        sb.append('|');
        for (int c = 0; c < width.length; c++) {
            String s = c < cells.size() ? cells.get(c) : "";
            sb.append(' ').append(s).append(" ".repeat(width[c] - s.length())).append(" |");
        }
        sb.append('\n');
    }
}
