package dev.kindling.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A GitHub-flavoured Markdown table with padded columns, so the same text reads well in a
 * terminal and renders as a table in a README or an issue comment.
 */
final class MarkdownTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    MarkdownTable(List<String> header) { this.header = List.copyOf(header); }

    void row(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells but the header has " + header.size());
        }
        rows.add(List.copyOf(cells));
    }

    String render() {
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = Math.max(3, header.get(c).length());
            for (List<String> r : rows) width[c] = Math.max(width[c], r.get(c).length());
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
            String s = cells.get(c);
            sb.append(' ').append(s).append(" ".repeat(width[c] - s.length())).append(" |");
        }
        sb.append('\n');
    }
}
