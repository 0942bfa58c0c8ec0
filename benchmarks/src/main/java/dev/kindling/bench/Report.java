package dev.kindling.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders one run as Markdown: a heading naming the label, the environment, then each section's
 * table under a heading that names the OpenBLAS kernel, then the targets that were missed.
 */
final class Report {
    private Report() {}

    /**
     * benchmark: its name in the heading ("core", "training"); othersShare: the share of the machine
     * other processes used during the whole run (NaN if unknown).
     */
    static String render(String benchmark, Environment env, List<Section> sections, double othersShare) {
        StringBuilder sb = new StringBuilder();
        sb.append("## Kindling ").append(benchmark).append(" benchmark: ").append(env.label()).append(" (OpenBLAS kernel ").append(env.kernel())
                .append(")\n\n");
        for (String line : env.lines()) sb.append("- ").append(line).append('\n');
        sb.append("- other processes used ").append(Double.isNaN(othersShare) ? "?" : Section.percent(othersShare))
                .append(" of the machine's CPU time during this run; a sample during which they used more than 10% "
                        + "is thrown away and taken again (column `retaken`, up to a time limit per case); column "
                        + "`others' CPU` is their share during the samples kept\n");
        sb.append('\n');
        for (Section s : sections) {
            sb.append(s.toMarkdown("### " + s.title() + " [" + env.label() + ", OpenBLAS kernel " + env.kernel() + "]"));
            sb.append('\n');
        }
        List<String> missed = missed(sections);
        sb.append("### Targets [").append(env.label()).append("]\n\n");
        if (missed.isEmpty()) sb.append("All targets met.\n");
        else for (String m : missed) sb.append("- ").append(m).append('\n');
        return sb.toString();
    }

    private static List<String> missed(List<Section> sections) {
        List<String> out = new ArrayList<>();
        for (Section s : sections) {
            Section.Target t = s.target();
            if (t == null) continue;
            for (Section.Row r : s.rows()) {
                double ratio = s.ratio(r, t.peer());
                if (!Double.isNaN(ratio) && ratio < t.fraction()) {
                    int disturbed = r.result().disturbedKept();
                    out.add(String.format("missed: %s: %s is %s (target %s)%s", s.title().split(",")[0], r.label(),
                            s.describeRatio(r), s.describe(t),
                            disturbed > 0 ? "; disturbed: " + disturbed + " samples kept while the machine was busy" : ""));
                }
            }
        }
        return out;
    }
}
