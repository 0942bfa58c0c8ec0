package dev.kindling.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A history written as CSV, JSON and PNG reads back as it was written, NaN included. */
class TrainingHistoryTest {

    private static TrainingHistory sample() {
        TrainingHistory h = new TrainingHistory();
        for (int epoch = 1; epoch <= 3; epoch++) {
            for (int s = 1; s <= 4; s++) {
                long step = (epoch - 1) * 4L + s;
                h.add(TrainingHistory.Scope.STEP, epoch, step, Map.of(TrainingHistory.LOSS, 2.0 / step));
            }
            Map<String, Double> v = new LinkedHashMap<>();
            v.put(TrainingHistory.LOSS, 1.0 / epoch);
            v.put(TrainingHistory.ACCURACY, 0.5 + 0.1 * epoch);
            v.put(TrainingHistory.VAL_LOSS, epoch == 2 ? Double.NaN : 1.1 / epoch);
            v.put(TrainingHistory.LR, 1e-3);
            v.put(TrainingHistory.SECONDS, 0.25 * epoch);
            h.add(TrainingHistory.Scope.EPOCH, epoch, epoch * 4L, v);
        }
        return h;
    }

    @Test
    void csvAndJsonReadBackRowForRow(@TempDir Path dir) throws IOException {
        TrainingHistory h = sample();
        TrainingHistory.Written w = h.writeFiles(dir, "history");
        assertEquals(List.of("loss", "accuracy", "val_loss", "lr", "seconds"), h.metrics());
        for (TrainingHistory back : List.of(TrainingHistory.readCsv(w.csv()), TrainingHistory.readJson(w.json()))) {
            assertEquals(h.rows().size(), back.rows().size());
            for (int i = 0; i < h.rows().size(); i++) {
                TrainingHistory.Row a = h.rows().get(i);
                TrainingHistory.Row b = back.rows().get(i);
                assertEquals(a.scope(), b.scope());
                assertEquals(a.epoch(), b.epoch());
                assertEquals(a.step(), b.step());
                for (String m : h.metrics()) assertEquals(a.get(m), b.get(m), 0.0, "row " + i + " metric " + m);
            }
        }
        List<String> csv = Files.readAllLines(w.csv());
        assertEquals("scope,epoch,step,loss,accuracy,val_loss,lr,seconds", csv.get(0));
        assertEquals("epoch,2,8,0.5,0.7,,0.001,0.5", csv.get(10), "NaN is an empty cell");
        assertTrue(Files.readString(w.json()).contains("\"val_loss\" : null"), "NaN is null in JSON");
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "no temporary files are left behind");
        }
    }

    @Test
    void theChartIsAPngWithALossAndAnAccuracyPanel(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("h.png");
        HistoryChart.writePng(sample(), png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(800, image.getWidth());
        assertEquals(720, image.getHeight(), "two panels of 360 pixels");
        assertTrue(distinctColours(image) > 8, "the chart draws curves, not a blank canvas");

        TrainingHistory lossOnly = new TrainingHistory().add(TrainingHistory.Scope.EPOCH, 1, 10, Map.of("loss", 0.3));
        HistoryChart.writePng(lossOnly, png);
        assertEquals(360, ImageIO.read(png.toFile()).getHeight(), "no accuracy panel without accuracy values");
    }

    @Test
    void nothingToPlotAndBrokenFilesAreNamed(@TempDir Path dir) throws IOException {
        TrainingHistory empty = new TrainingHistory().add(TrainingHistory.Scope.EPOCH, 1, 1, Map.of("lr", 0.1));
        var e = assertThrows(IllegalArgumentException.class, () -> HistoryChart.writePng(empty, dir.resolve("x.png")));
        assertTrue(e.getMessage().contains("no 'loss' or 'accuracy'") && e.getMessage().contains("[lr]"), e.getMessage());

        Path json = Files.writeString(dir.resolve("bad.json"), "{\"scope\": 1}");
        e = assertThrows(IllegalArgumentException.class, () -> TrainingHistory.readJson(json));
        assertTrue(e.getMessage().startsWith(json.toString()) && e.getMessage().contains("JSON array"), e.getMessage());
        Path csv = Files.writeString(dir.resolve("bad.csv"), "scope,epoch,step,loss\nepoch,1,2\n");
        e = assertThrows(IllegalArgumentException.class, () -> TrainingHistory.readCsv(csv));
        assertTrue(e.getMessage().contains("line 2 has 3 cells, the header 4"), e.getMessage());
    }

    private static int distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) for (int x = 0; x < image.getWidth(); x += 3) colours.add(image.getRGB(x, y));
        return colours.size();
    }
}
