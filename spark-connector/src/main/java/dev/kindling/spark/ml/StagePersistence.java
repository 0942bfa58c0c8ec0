package dev.kindling.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.io.SafeTensors;
import dev.kindling.io.SafeTensorsFile;
import dev.kindling.nn.ModelFactory;
import dev.kindling.nn.Module;
import dev.kindling.spark.internal.HadoopFiles;
import dev.kindling.spark.internal.SparkInternals;
import dev.kindling.spark.train.DistributedTrainer;
import dev.kindling.spark.train.EpochMetrics;
import dev.kindling.spark.train.FitResult;
import dev.kindling.tensor.Tensor;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Saves and loads Kindling's Spark ML stages in the layout Spark's {@code DefaultParamsReader}
 * reads, so {@code Pipeline} and {@code PipelineModel} persistence work with them:
 * <pre>
 *   path/metadata/part-00000        one JSON line: class, timestamp, sparkVersion, uid, paramMap, defaultParamMap
 *   path/data/model.safetensors     fitted models: the trained weights under PyTorch state-dict keys
 *   path/data/training.json         fitted models: per-epoch history, steps, whether early stopping ended the fit
 * </pre>
 * The model architecture travels in the "model" param (see {@link ModelParam}). Every file goes
 * through Hadoop's FileSystem API (local, HDFS, S3...) under a temporary name and is renamed.
 */
final class StagePersistence {
    static final String METADATA = "metadata/part-00000";
    static final String WEIGHTS = "data/model.safetensors";
    static final String TRAINING = "data/training.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private StagePersistence() {}

    /** Writes a stage's metadata and, for a fitted model (fit != null), its weights and history. */
    static final class Writer extends MLWriter {
        private final Params stage;
        private final FitResult fit;

        Writer(Params stage, FitResult fit) {
            this.stage = stage;
            this.fit = fit;
        }

        @Override
        public void saveImpl(String path) {
            Configuration conf = sc().hadoopConfiguration();
            try {
                String metadata = SparkInternals.paramsMetadata(stage, sparkSession());
                HadoopFiles.writeText(conf, new Path(path, METADATA), metadata + "\n");
                if (fit != null) {
                    saveWeights(conf, fit.model(), new Path(path, WEIGHTS));
                    HadoopFiles.writeText(conf, new Path(path, TRAINING), trainingJson(fit));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("saving " + stage.uid() + " to " + path + " failed: " + e.getMessage(), e);
            }
        }
    }

    /** Reads a stage back: builds it with the saved uid, sets the saved params, then lets {@code finish} load the rest. */
    static final class Reader<T extends Params> extends MLReader<T> {
        private final Class<T> type;
        private final Function<String, T> create;
        private final Finisher<T> finish;

        /** What a reader does after the params are set (a fitted model loads its weights here). */
        interface Finisher<T> {
            void finish(T stage, Configuration conf, String path) throws IOException;
        }

        Reader(Class<T> type, Function<String, T> create, Finisher<T> finish) {
            this.type = type;
            this.create = create;
            this.finish = finish;
        }

        @Override
        public T load(String path) {
            Configuration conf = sc().hadoopConfiguration();
            try {
                Path file = HadoopFiles.firstFile(conf, new Path(path, "metadata"), "part-");
                String json = new String(HadoopFiles.readBytes(conf, file), StandardCharsets.UTF_8).strip();
                T stage = SparkInternals.readParams(json, type.getName(), create);
                finish.finish(stage, conf, path);
                return stage;
            } catch (IOException e) {
                throw new UncheckedIOException("loading a " + type.getSimpleName() + " from " + path + " failed: " + e.getMessage(), e);
            }
        }
    }

    private static void saveWeights(Configuration conf, Module model, Path target) throws IOException {
        // "format": "pt" marks a PyTorch state dict, as torch's safetensors helpers write it.
        HadoopFiles.writeStream(conf, target, out -> SafeTensors.write(model.stateDict(), Map.of("format", "pt"), out));
    }

    /** Builds the model from factory and loads the saved weights (strictly: every key, every shape). */
    static FitResult loadFit(Configuration conf, String path, ModelFactory factory, boolean classification) throws IOException {
        Module model = DistributedTrainer.buildModel(factory, 0);
        Path weights = new Path(path, WEIGHTS);
        Map<String, Tensor> state = new java.util.LinkedHashMap<>();
        try (SafeTensorsFile f = SafeTensorsFile.of(HadoopFiles.readBytes(conf, weights), weights.toString())) {
            for (String name : f.names()) state.put(name, f.copy(name));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("saved model " + path + " is damaged: " + e.getMessage(), e);
        }
        try {
            model.loadStateDict(state, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("saved model " + path + ": the weights in " + weights + " do not fit the saved architecture "
                    + factory + ": " + e.getMessage(), e);
        }
        Path trainingFile = new Path(path, TRAINING);
        try {
            JsonNode training = JSON.readTree(HadoopFiles.readBytes(conf, trainingFile));
            List<EpochMetrics> history = new ArrayList<>();
            for (JsonNode e : required(training, "history")) history.add(JSON.treeToValue(e, EpochMetrics.class));
            return FitResult.ofEpochs(model, List.copyOf(history), required(training, "steps").asLong(),
                    required(training, "stoppedEarly").asBoolean(), classification);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("saved model " + path + " is damaged: " + trainingFile + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null) throw new IllegalArgumentException("no \"" + field + "\" field");
        return v;
    }

    private static String trainingJson(FitResult fit) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("steps", fit.steps());
        node.put("stoppedEarly", fit.stoppedEarly());
        node.set("history", JSON.valueToTree(fit.history()));
        return JSON.writeValueAsString(node);
    }
}
