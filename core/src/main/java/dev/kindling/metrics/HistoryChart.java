package dev.kindling.metrics;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws a {@link TrainingHistory} as one PNG with two XChart panels against the optimizer step:
 * loss on top (training loss every few steps as a line, each epoch's training and validation loss
 * as points) and accuracy below (per epoch, training and validation). Panels or series whose
 * metric was never measured are left out, so a regression run shows only its loss.
 */
public final class HistoryChart {
    private static final int WIDTH = 800;
    private static final int PANEL_HEIGHT = 360;

    private HistoryChart() {}

    /** Writes the chart to file (under a temporary name, then renamed). */
    public static void writePng(TrainingHistory history, Path file) throws IOException {
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
        List<XYChart> panels = new ArrayList<>();
        XYChart loss = panel("Loss", "loss", Styler.LegendPosition.InsideNE);
        addSeries(loss, history, TrainingHistory.Scope.STEP, TrainingHistory.LOSS, "training loss (every few steps)", false);
        addSeries(loss, history, TrainingHistory.Scope.EPOCH, TrainingHistory.LOSS, "training loss (epoch)", true);
        addSeries(loss, history, TrainingHistory.Scope.EPOCH, TrainingHistory.VAL_LOSS, "validation loss (epoch)", true);
        if (!loss.getSeriesMap().isEmpty()) panels.add(loss);
        XYChart accuracy = panel("Accuracy", "accuracy", Styler.LegendPosition.InsideSE);
        addSeries(accuracy, history, TrainingHistory.Scope.EPOCH, TrainingHistory.ACCURACY, "training accuracy (epoch)", true);
        addSeries(accuracy, history, TrainingHistory.Scope.EPOCH, TrainingHistory.VAL_ACCURACY, "validation accuracy (epoch)", true);
        if (!accuracy.getSeriesMap().isEmpty()) panels.add(accuracy);
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("the history has no '" + TrainingHistory.LOSS + "' or '" + TrainingHistory.ACCURACY
                    + "' values to plot (metrics: " + history.metrics() + ")");
        }
        BufferedImage image = new BufferedImage(WIDTH, PANEL_HEIGHT * panels.size(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            for (int i = 0; i < panels.size(); i++) g.drawImage(BitmapEncoder.getBufferedImage(panels.get(i)), 0, i * PANEL_HEIGHT, null);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        AtomicFiles.write(file, png.toByteArray());
    }

    private static XYChart panel(String title, String yTitle, Styler.LegendPosition legend) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(PANEL_HEIGHT).title(title).xAxisTitle("optimizer step")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(legend);
        chart.getStyler().setMarkerSize(6);
        return chart;
    }

    private static void addSeries(XYChart chart, TrainingHistory history, TrainingHistory.Scope scope, String metric, String name,
                                  boolean points) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (TrainingHistory.Row r : history.rows(scope)) {
            double v = r.get(metric);
            if (Double.isNaN(v) || Double.isInfinite(v)) continue;
            x.add((double) r.step());
            y.add(v);
        }
        if (x.isEmpty()) return;
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(points ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        if (points) s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    }
}
