package dev.kindling.bench.results;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scaling curves as a PNG (XChart, as core's {@code HistoryChart}): one line with markers per
 * series over a numeric x (model size, partitions), read from a tab-separated file of
 * {@code series<TAB>x<TAB>y} lines ({@code #} starts a comment; a first line whose x is not a
 * number is a header). For scripts such as {@code run-scaling.sh}:
 *
 * <pre>java -cp ... dev.kindling.bench.results.CurveChart --in steps.tsv --out scaling.png \
 *     --title "step time vs model size" --x "parameters" --y "ms per step" [--log-x] [--log-y]</pre>
 */
public final class CurveChart {
    static final String USAGE = "usage: CurveChart --in FILE.tsv --out FILE.png [--title T] [--x LABEL] [--y LABEL] [--log-x] [--log-y]";

    private CurveChart() {}

    public static void main(String[] args) throws IOException {
        Path in = null;
        Path out = null;
        String title = "";
        String x = "x";
        String y = "y";
        boolean logX = false;
        boolean logY = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--in" -> in = Path.of(value(args, ++i));
                case "--out" -> out = Path.of(value(args, ++i));
                case "--title" -> title = value(args, ++i);
                case "--x" -> x = value(args, ++i);
                case "--y" -> y = value(args, ++i);
                case "--log-x" -> logX = true;
                case "--log-y" -> logY = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; " + USAGE);
            }
        }
        if (in == null || out == null) throw new IllegalArgumentException("--in and --out are required; " + USAGE);
        write(read(in), title, x, y, logX, logY, out);
        System.err.println("CurveChart: wrote " + out);
    }

    /** Series name -> points {x, y} in file order. */
    static Map<String, List<double[]>> read(Path file) throws IOException {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t");
            if (f.length != 3) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected 3 tab-separated fields (series, x, y) but got "
                        + f.length + ": '" + line + "'");
            }
            double px;
            double py;
            try {
                px = Double.parseDouble(f[1].trim());
                py = Double.parseDouble(f[2].trim());
            } catch (NumberFormatException e) {
                if (series.isEmpty()) continue; // a header line
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": x and y must be numbers but got '" + line + "'");
            }
            series.computeIfAbsent(f[0].trim(), k -> new ArrayList<>()).add(new double[] {px, py});
        }
        if (series.isEmpty()) throw new IllegalArgumentException(file + " has no data lines (series<TAB>x<TAB>y)");
        return series;
    }

    /** Writes the curves to png; log axes need positive values. */
    public static void write(Map<String, List<double[]>> series, String title, String xLabel, String yLabel, boolean logX,
                             boolean logY, Path png) throws IOException {
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
        XYChart chart = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setMarkerSize(7);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (double[] p : e.getValue()) {
                xs.add(p[0]);
                ys.add(p[1]);
            }
            XYSeries s = chart.addSeries(e.getKey(), xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) throw new IllegalArgumentException(args[i - 1] + " needs a value; " + USAGE);
        return args[i];
    }
}
