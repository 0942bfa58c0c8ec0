package dev.kindling.bench.results;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Draws the tables of a benchmark report as one PNG of horizontal bars, one panel per table, one
 * bar per case and peer: the median over the runs of Kindling / peer (a column headed
 * {@code Kindling / P}, {@code vs P} or {@code vs. P}), a black whisker from the smallest to the
 * largest run, a grey line at parity and a dashed red line at the target when the table has a
 * {@code target: >= 70% of P} or {@code target: <= 1.50x P's time} column. A table without ratio
 * columns (a peerless table such as the conv GEMM floor) is drawn from its first numeric column in
 * its own unit. Plain Java2D: horizontal bars keep long case names readable, which XChart's
 * category charts (vertical bars only) do not.
 */
final class RatioChart {
    private static final Pattern RATIO_HEADER = Pattern.compile("(?i)^(Kindling / |vs\\.? )(.+)$");
    private static final Pattern TARGET = Pattern.compile("^target: (>=|<=) (\\d+(?:\\.\\d+)?)(%|x) (?:of )?(.+?)(?:'s time)?$");
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0x9467bd),
            new Color(0x8c564b), new Color(0x17becf)};
    private static final int WIDTH = 1100;
    private static final int LABEL_WIDTH = 380;
    private static final int BAR = 13;

    private RatioChart() {}

    /** One bar group's source: a column of a summary table, named by its peer (or header). */
    private record Series(String name, int column) {}

    private record Panel(SummaryTable table, String title, String axis, List<Series> series, double target, String targetPeer,
                         String targetText, double parity) {}

    /** Writes png unless no table has anything to draw; returns whether it wrote. */
    static boolean write(List<SummaryTable> tables, String title, Path png) throws IOException {
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
        List<Panel> panels = new ArrayList<>();
        for (SummaryTable t : tables) {
            Panel p = panel(t);
            if (p != null) panels.add(p);
        }
        if (panels.isEmpty()) return false;
        int height = 40;
        for (Panel p : panels) height += panelHeight(p);
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, 12, 26);
            int y = 40;
            for (Panel p : panels) {
                draw(g, p, y);
                y += panelHeight(p);
            }
        } finally {
            g.dispose();
        }
        Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
        ImageIO.write(image, "png", tmp.toFile());
        Files.move(tmp, png, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return true;
    }

    private static Panel panel(SummaryTable t) {
        List<Series> series = new ArrayList<>();
        for (int c = 1; c < t.header().size(); c++) {
            Matcher m = RATIO_HEADER.matcher(t.header().get(c));
            if (m.matches() && hasNumbers(t, c)) series.add(new Series(m.group(2), c));
        }
        double target = Double.NaN;
        String targetPeer = null;
        String targetText = null;
        for (String h : t.header()) {
            Matcher m = TARGET.matcher(h);
            if (m.matches()) {
                target = Double.parseDouble(m.group(2));
                targetPeer = m.group(4);
                targetText = h;
            }
        }
        String title = t.heading().isEmpty() ? "(untitled table)" : t.heading();
        if (!series.isEmpty()) {
            String unit = unitOf(t, series.get(0).column());
            // Section's tables: "Kindling / P" in % compares rates, in "x" times; other benchmarks'
            // "vs P" columns state their own sense in the table (e.g. a speed-up "7.1x").
            boolean kindlingOverPeer = t.header().get(series.get(0).column()).startsWith("Kindling / ");
            String axis = !kindlingOverPeer ? "each row against the peer, as the table's \"vs\" column states it"
                    : switch (unit) {
                        case "%" -> "Kindling's rate as % of the peer's (higher is better)";
                        case "x" -> "Kindling's time / the peer's (lower is better)";
                        default -> "Kindling / peer";
                    };
            return new Panel(t, title, axis, series, target, targetPeer, targetText, unit.equals("%") ? 100 : 1);
        }
        for (int c = 1; c < t.header().size(); c++) {
            if (allNumbers(t, c)) return new Panel(t, title, t.header().get(c), List.of(new Series(t.header().get(c), c)),
                    Double.NaN, null, null, Double.NaN);
        }
        return null;
    }

    private static boolean hasNumbers(SummaryTable t, int col) {
        for (int r = 0; r < t.cases().size(); r++) if (t.cell(r, col).numeric()) return true;
        return false;
    }

    private static boolean allNumbers(SummaryTable t, int col) {
        if (t.cases().isEmpty()) return false;
        for (int r = 0; r < t.cases().size(); r++) if (!t.cell(r, col).numeric()) return false;
        return true;
    }

    /** "%" or "x" when the column's numbers carry that suffix ("85%", "1.20x"), else "". */
    private static String unitOf(SummaryTable t, int col) {
        for (int r = 0; r < t.cases().size(); r++) {
            String s = t.cell(r, col).text();
            Matcher m = Pattern.compile("^\\d+(?:\\.\\d+)?([%x])").matcher(s);
            if (m.find()) return m.group(1);
        }
        return "";
    }

    private static int panelHeight(Panel p) {
        return 70 + p.table().cases().size() * (p.series().size() * BAR + 10) + 30;
    }

    private static void draw(Graphics2D g, Panel p, int top) {
        SummaryTable t = p.table();
        double max = Double.isNaN(p.target()) ? 0 : p.target();
        if (!Double.isNaN(p.parity())) max = Math.max(max, p.parity());
        for (Series s : p.series()) {
            for (int r = 0; r < t.cases().size(); r++) {
                CellSummary c = t.cell(r, s.column());
                if (c.numeric()) max = Math.max(max, c.max());
            }
        }
        double step = niceStep(max <= 0 ? 1 : max * 1.05 / 5);
        max = step * Math.ceil((max <= 0 ? 1 : max * 1.05) / step);
        int x0 = LABEL_WIDTH;
        int plotWidth = WIDTH - LABEL_WIDTH - 30;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(clip(g, p.title(), WIDTH - 24), 12, top + 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        StringBuilder legend = new StringBuilder(p.axis());
        if (p.targetText() != null) legend.append(";  red dashes: ").append(p.targetText());
        g.drawString(clip(g, legend.toString(), WIDTH - 24), 12, top + 36);
        int lx = 12;
        for (int i = 0; i < p.series().size(); i++) {
            g.setColor(PALETTE[i % PALETTE.length]);
            g.fillRect(lx, top + 44, 12, 10);
            g.setColor(Color.BLACK);
            String name = p.series().get(i).name();
            g.drawString(name, lx + 16, top + 54);
            lx += 16 + g.getFontMetrics().stringWidth(name) + 20;
        }
        int y = top + 64;
        int plotTop = y;
        for (int r = 0; r < t.cases().size(); r++) {
            int groupHeight = p.series().size() * BAR;
            g.setColor(Color.BLACK);
            g.drawString(clip(g, t.cases().get(r), LABEL_WIDTH - 20), 12, y + groupHeight / 2 + 5);
            for (int i = 0; i < p.series().size(); i++) {
                Series s = p.series().get(i);
                CellSummary c = t.cell(r, s.column());
                int by = y + i * BAR;
                if (!c.numeric()) continue;
                int w = (int) Math.round(c.median() / max * plotWidth);
                g.setColor(PALETTE[i % PALETTE.length]);
                g.fillRect(x0, by + 1, Math.max(1, w), BAR - 2);
                g.setColor(Color.BLACK);
                int a = x0 + (int) Math.round(c.min() / max * plotWidth);
                int b = x0 + (int) Math.round(c.max() / max * plotWidth);
                g.drawLine(a, by + BAR / 2, b, by + BAR / 2);
                g.drawLine(a, by + 3, a, by + BAR - 3);
                g.drawLine(b, by + 3, b, by + BAR - 3);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
                g.drawString(String.format(Locale.ROOT, "%.3g", c.median()), Math.max(x0 + w, b) + 4, by + BAR - 3);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            }
            y += groupHeight + 10;
        }
        int plotBottom = y;
        g.setColor(Color.GRAY);
        g.drawLine(x0, plotTop - 2, x0, plotBottom);
        g.drawLine(x0, plotBottom, x0 + plotWidth, plotBottom);
        for (double v = 0; v <= max + step / 2; v += step) {
            int x = x0 + (int) Math.round(v / max * plotWidth);
            g.drawLine(x, plotBottom, x, plotBottom + 4);
            String label = tick(v);
            g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, plotBottom + 17);
        }
        if (!Double.isNaN(p.parity())) {
            int x = x0 + (int) Math.round(p.parity() / max * plotWidth);
            g.setColor(new Color(0x999999));
            g.drawLine(x, plotTop - 2, x, plotBottom);
        }
        if (!Double.isNaN(p.target())) {
            int x = x0 + (int) Math.round(p.target() / max * plotWidth);
            g.setColor(Color.RED);
            g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            g.drawLine(x, plotTop - 2, x, plotBottom);
            g.setStroke(new BasicStroke());
        }
    }

    /** 1, 2 or 5 times a power of ten, at least raw. */
    private static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5}) if (m * p >= raw) return m * p;
        return 10 * p;
    }

    private static String tick(double v) {
        String s = String.format(Locale.ROOT, "%.6f", v).replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String clip(Graphics2D g, String s, int width) {
        FontMetrics fm = g.getFontMetrics();
        if (fm.stringWidth(s) <= width) return s;
        String t = s;
        while (!t.isEmpty() && fm.stringWidth(t + "...") > width) t = t.substring(0, t.length() - 1);
        return t + "...";
    }
}
