package dev.kindling.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kindling.metrics.TrainingHistory;
import dev.kindling.spark.internal.HadoopFiles;
import dev.kindling.spark.train.EpochMetrics;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files {@link TrainJob} writes beside a saved model: {@code metrics.json} (the run's settings
 * and the last epoch's training and validation metrics; JSON null where a metric does not exist)
 * and {@code history/history.csv|json|png} (written locally by {@link TrainingHistory#writeFiles},
 * then copied, so the model directory may be on any Hadoop file system). Each file appears whole.
 */
final class TrainingReport {
    static final String METRICS = "metrics.json";
    static final String HISTORY_DIR = "history";
    static final String HISTORY_NAME = "history";

    private TrainingReport() {}

    static void write(SparkSession spark, String modelDir, List<EpochMetrics> epochs, TrainingHistory history, long steps,
                      boolean stoppedEarly, boolean classification, Map<String, Object> settings) throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        EpochMetrics last = epochs.get(epochs.size() - 1);
        Map<String, Object> json = new LinkedHashMap<>(settings);
        json.put("epochsRun", epochs.size());
        json.put("steps", steps);
        json.put("stoppedEarly", stoppedEarly);
        json.put("train", metrics(last.trainLoss(), last.trainAccuracy(), classification));
        json.put("validation", Double.isNaN(last.validationLoss()) ? null
                : metrics(last.validationLoss(), last.validationAccuracy(), classification));
        json.put("samplesPerSecond", finite(last.samplesPerSecond()));
        byte[] bytes = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json);
        HadoopFiles.writeBytes(conf, new Path(modelDir, METRICS), bytes);

        java.nio.file.Path local = Files.createTempDirectory("kindling-history");
        try {
            TrainingHistory.Written w = history.writeFiles(local, HISTORY_NAME);
            for (java.nio.file.Path f : List.of(w.csv(), w.json(), w.png())) {
                HadoopFiles.upload(conf, f, new Path(new Path(modelDir, HISTORY_DIR), f.getFileName().toString()));
            }
        } finally {
            try (var files = Files.list(local)) {
                for (java.nio.file.Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(local);
        }
    }

    /** Loss (cross entropy or MSE) and, for classification, accuracy. */
    private static Map<String, Object> metrics(double loss, double accuracy, boolean classification) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loss", finite(loss));
        if (classification) m.put("accuracy", finite(accuracy));
        return m;
    }

    /** JSON has no NaN: a missing number becomes null. */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
