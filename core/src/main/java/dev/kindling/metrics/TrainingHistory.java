package dev.kindling.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a training run measured, row by row, for people to keep and plot: one row every few
 * optimizer steps and one per epoch, each holding named numbers (loss, accuracy, learning rate,
 * samples/s, the timing split). Keras users know it as {@code History}, PyTorch users write it by
 * hand; here every trainer fills one and {@link #writeFiles} saves it as CSV, JSON and a PNG chart.
 *
 * <p>Metric names are free, but the trainers use {@link #LOSS}, {@link #ACCURACY},
 * {@link #VAL_LOSS}, {@link #VAL_ACCURACY}, {@link #LR}, {@link #SAMPLES_PER_SECOND} and
 * {@link #SECONDS}, so charts and tools can find them. A value may be NaN (not measured): the
 * CSV leaves it empty and the JSON writes {@code null}. Safe to fill from one thread while
 * another reads it.
 */
public final class TrainingHistory {
    public static final String LOSS = "loss";
    public static final String ACCURACY = "accuracy";
    public static final String VAL_LOSS = "val_loss";
    public static final String VAL_ACCURACY = "val_accuracy";
    public static final String LR = "lr";
    public static final String SAMPLES_PER_SECOND = "samples_per_s";
    public static final String SECONDS = "seconds";

    /** Whether a row sums up some steps inside an epoch or a whole epoch. */
    public enum Scope {
        STEP, EPOCH;

        String label() { return name().toLowerCase(Locale.ROOT); }

        static Scope of(String label, Path file) {
            for (Scope s : values()) if (s.label().equals(label)) return s;
            throw new IllegalArgumentException(file + ": scope must be 'step' or 'epoch' but is '" + label + "'");
        }
    }

    /**
     * One row: its scope, the epoch it belongs to (1-based), the optimizer steps taken when it was
     * written (global, 1-based), and the metrics in the order they were given.
     */
    public record Row(Scope scope, int epoch, long step, Map<String, Double> values) {
        public Row {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        /** The metric's value, or NaN when this row does not have it. */
        public double get(String metric) {
            Double v = values.get(metric);
            return v == null ? Double.NaN : v;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Row> rows = new ArrayList<>();

    /** Appends a row and returns this history. */
    public synchronized TrainingHistory add(Scope scope, int epoch, long step, Map<String, Double> values) {
        rows.add(new Row(scope, epoch, step, values));
        return this;
    }

    /** All rows, in the order they were added. */
    public synchronized List<Row> rows() { return List.copyOf(rows); }

    /** The rows of one scope, in order. */
    public synchronized List<Row> rows(Scope scope) {
        return rows.stream().filter(r -> r.scope() == scope).toList();
    }

    /** Every metric name any row holds, in the order they first appear. */
    public synchronized List<String> metrics() {
        Set<String> names = new LinkedHashSet<>();
        for (Row r : rows) names.addAll(r.values().keySet());
        return List.copyOf(names);
    }

    /** The three files {@link #writeFiles} wrote. */
    public record Written(Path csv, Path json, Path png) {}

    /**
     * Writes {@code NAME.csv}, {@code NAME.json} and {@code NAME.png} (loss and accuracy curves)
     * into dir, creating it if needed; each file is written under a temporary name and renamed.
     */
    public Written writeFiles(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Written out = new Written(dir.resolve(name + ".csv"), dir.resolve(name + ".json"), dir.resolve(name + ".png"));
        writeCsv(out.csv());
        writeJson(out.json());
        HistoryChart.writePng(this, out.png());
        return out;
    }

    /** Writes one line per row: {@code scope,epoch,step,} then every metric (empty where NaN or absent). */
    public void writeCsv(Path file) throws IOException {
        List<Row> all = rows();
        List<String> names = metrics();
        StringBuilder s = new StringBuilder("scope,epoch,step");
        for (String n : names) s.append(',').append(n);
        s.append('\n');
        for (Row r : all) {
            s.append(r.scope().label()).append(',').append(r.epoch()).append(',').append(r.step());
            for (String n : names) {
                double v = r.get(n);
                s.append(',');
                if (!Double.isNaN(v)) s.append(v);
            }
            s.append('\n');
        }
        AtomicFiles.write(file, s.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a JSON array with one object per row: scope, epoch, step and the metrics (null for NaN). */
    public void writeJson(Path file) throws IOException {
        ArrayNode array = JSON.createArrayNode();
        for (Row r : rows()) {
            ObjectNode o = array.addObject();
            o.put("scope", r.scope().label());
            o.put("epoch", r.epoch());
            o.put("step", r.step());
            for (Map.Entry<String, Double> e : r.values().entrySet()) {
                if (e.getValue().isNaN() || e.getValue().isInfinite()) o.putNull(e.getKey());
                else o.put(e.getKey(), e.getValue());
            }
        }
        AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(array));
    }

    /** Reads what {@link #writeJson} wrote. */
    public static TrainingHistory readJson(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(file + ": not a training history (invalid JSON: " + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException(file + ": a training history is a JSON array of rows, but the file holds "
                    + (root == null ? "nothing" : root.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        TrainingHistory h = new TrainingHistory();
        for (JsonNode o : root) {
            Scope scope = Scope.of(requireField(o, "scope", file).asText(), file);
            int epoch = requireField(o, "epoch", file).asInt();
            long step = requireField(o, "step", file).asLong();
            Map<String, Double> values = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("scope") || e.getKey().equals("epoch") || e.getKey().equals("step")) continue;
                values.put(e.getKey(), e.getValue().isNull() ? Double.NaN : e.getValue().asDouble());
            }
            h.add(scope, epoch, step, values);
        }
        return h;
    }

    private static JsonNode requireField(JsonNode row, String field, Path file) {
        JsonNode v = row.get(field);
        if (v == null || v.isNull()) throw new IllegalArgumentException(file + ": a history row lacks '" + field + "': " + row);
        return v;
    }

    /** Reads what {@link #writeCsv} wrote. */
    public static TrainingHistory readCsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).startsWith("scope,epoch,step")) {
            throw new IllegalArgumentException(file + ": a training history CSV starts with 'scope,epoch,step' but starts with '"
                    + (lines.isEmpty() ? "" : lines.get(0)) + "'");
        }
        String[] header = lines.get(0).split(",", -1);
        TrainingHistory h = new TrainingHistory();
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            if (cells.length != header.length) {
                throw new IllegalArgumentException(file + ": line " + (i + 1) + " has " + cells.length + " cells, the header "
                        + header.length);
            }
            Map<String, Double> values = new LinkedHashMap<>();
            for (int c = 3; c < cells.length; c++) values.put(header[c], cells[c].isEmpty() ? Double.NaN : Double.parseDouble(cells[c]));
            h.add(Scope.of(cells[0], file), Integer.parseInt(cells[1]), Long.parseLong(cells[2]), values);
        }
        return h;
    }

    @Override
    public synchronized String toString() {
        return "TrainingHistory(" + rows(Scope.EPOCH).size() + " epochs, " + rows.size() + " rows)";
    }
}
