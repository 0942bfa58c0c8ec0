package dev.kindling.bench.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges the Markdown reports of N whole runs of one benchmark (each in a fresh JVM) into one
 * report and its chart: {@code <out>/<name>.md}, the first run's text with every table replaced by
 * its {@link SummaryTable} (each figure the median of the run medians, then the min-max spread over
 * the runs), and {@code <out>/<name>.png}, the {@link RatioChart} of those tables. The run scripts
 * call it through {@code bench-lib.sh}'s {@code run_repeated}:
 *
 * <pre>RunSummary --name core-env-haswell --out DIR --command "run-core.sh ..." run1.md run2.md run3.md</pre>
 */
public final class RunSummary {
    static final String USAGE = "usage: RunSummary --name NAME --out DIR [--command TEXT] RUN.md...";

    private RunSummary() {}

    public static void main(String[] args) throws IOException {
        String name = null;
        Path out = null;
        String command = null;
        List<Path> runs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--name" -> name = value(args, ++i);
                case "--out" -> out = Path.of(value(args, ++i));
                case "--command" -> command = value(args, ++i);
                default -> runs.add(Path.of(args[i]));
            }
        }
        if (name == null || !name.matches("[A-Za-z0-9._-]+") || out == null || runs.isEmpty()) {
            throw new IllegalArgumentException("need --name (letters, digits, '.', '_', '-'), --out and at least one run report; " + USAGE);
        }
        List<MarkdownReport> reports = new ArrayList<>();
        for (Path p : runs) reports.add(MarkdownReport.read(p));
        List<SummaryTable> tables = summarise(reports, runs);
        Files.createDirectories(out);
        Path png = out.resolve(name + ".png");
        boolean charted = RatioChart.write(tables, name + ": median of " + runs.size() + " run(s), whiskers min-max", png);
        Path md = out.resolve(name + ".md");
        Files.writeString(md, render(reports.get(0), tables, runs, out, command, charted ? png.getFileName().toString() : null));
        System.err.println("RunSummary: wrote " + md + (charted ? " and " + png : " (no table to chart)"));
    }

    private static List<SummaryTable> summarise(List<MarkdownReport> reports, List<Path> runs) {
        int count = reports.get(0).tables().size();
        for (int r = 1; r < reports.size(); r++) {
            if (reports.get(r).tables().size() != count) {
                throw new IllegalArgumentException(runs.get(r) + " has " + reports.get(r).tables().size() + " tables but "
                        + runs.get(0) + " has " + count + ": the runs did not measure the same cases");
            }
        }
        List<SummaryTable> out = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            List<MarkdownTable> same = new ArrayList<>();
            for (MarkdownReport r : reports) same.add(r.tables().get(t));
            out.add(SummaryTable.of(same));
        }
        return out;
    }

    private static String render(MarkdownReport first, List<SummaryTable> tables, List<Path> runs, Path out, String command,
                                 String png) {
        StringBuilder sb = new StringBuilder();
        int n = runs.size();
        sb.append("<!-- written by dev.kindling.bench.results.RunSummary from ").append(n).append(" run report(s) -->\n\n");
        sb.append("**").append(n).append(n == 1 ? " whole run" : " whole runs").append(", each in a fresh JVM**")
                .append(command == null ? "" : " (`" + command + "`)").append(". ");
        if (n > 1) {
            sb.append("Every figure below is the median over the runs of what each run reported (its own median, or best in "
                    + "brackets, of its samples), followed by the min-max of the runs' first figure in square brackets; "
                    + "a cell that differed in words between runs lists each variant with its count. ");
        }
        sb.append("Each run's own report: ");
        List<String> links = new ArrayList<>();
        for (Path r : runs) {
            Path rel = out.toAbsolutePath().normalize().relativize(r.toAbsolutePath().normalize());
            links.add("[" + r.getFileName() + "](" + rel.toString().replace('\\', '/') + ")");
        }
        sb.append(String.join(", ", links)).append(".");
        if (n > 1) {
            sb.append(" The text around the tables (environment, load, notes, the list of missed targets) is the first "
                    + "run's; the tables and the chart are the summary of all runs.");
        }
        sb.append("\n\n");
        if (png != null) sb.append("![chart: Kindling / peer per row, median of the runs with min-max](").append(png).append(")\n\n");
        int t = 0;
        for (Object b : first.blocks()) {
            if (b instanceof MarkdownTable) sb.append(tables.get(t++).toMarkdown().render());
            else sb.append((String) b).append('\n');
        }
        return sb.toString();
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) throw new IllegalArgumentException(args[i - 1] + " needs a value; " + USAGE);
        return args[i];
    }
}
