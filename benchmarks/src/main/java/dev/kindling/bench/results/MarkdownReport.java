package dev.kindling.bench.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark's Markdown output split into its text lines and its tables, in order, so that
 * {@link RunSummary} can replace each table by its summary over repeated runs and keep the text
 * (environment, notes) around it.
 *
 * @param blocks each either a {@code String} (one text line) or a {@link MarkdownTable}
 */
record MarkdownReport(List<Object> blocks) {

    static MarkdownReport read(Path file) throws IOException {
        return parse(Files.readAllLines(file));
    }

    static MarkdownReport parse(List<String> lines) {
        List<Object> blocks = new ArrayList<>();
        String heading = "";
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (line.startsWith("#")) heading = line.replaceFirst("^#+\\s*", "");
            boolean tableStart = line.trim().startsWith("|") && i + 1 < lines.size() && MarkdownTable.isSeparator(lines.get(i + 1));
            if (!tableStart) {
                blocks.add(line);
                i++;
                continue;
            }
            List<String> header = MarkdownTable.cells(line);
            List<List<String>> rows = new ArrayList<>();
            i += 2;
            while (i < lines.size() && lines.get(i).trim().startsWith("|")) rows.add(MarkdownTable.cells(lines.get(i++)));
            blocks.add(new MarkdownTable(heading, header, rows));
        }
        return new MarkdownReport(List.copyOf(blocks));
    }

    List<MarkdownTable> tables() {
        List<MarkdownTable> out = new ArrayList<>();
        for (Object b : blocks) if (b instanceof MarkdownTable t) out.add(t);
        return out;
    }
}
