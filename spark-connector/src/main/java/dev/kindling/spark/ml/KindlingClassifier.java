package dev.kindling.spark.ml;

import dev.kindling.spark.train.DistributedTrainer;
import dev.kindling.spark.train.FitResult;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@code Estimator} that trains a Kindling network as a classifier on a DataFrame,
 * data-parallel over its partitions ({@link DistributedTrainer}, cross-entropy loss), and returns
 * a {@link KindlingClassificationModel}. Labels are class indices 0..C-1 in a numeric column (as
 * {@code StringIndexer} writes them); the network maps features to C logits. For example, after
 * a {@code VectorAssembler} and a {@code StringIndexer} in a {@code Pipeline}:
 * <pre>{@code
 * new KindlingClassifier().setModel("Linear(4,16) ReLU Linear(16,3)")
 *     .setOptimizer("adam").setLearningRate(0.01).setBatchSize(32).setMaxIter(20)
 * }</pre>
 */
public final class KindlingClassifier extends KindlingEstimator<KindlingClassifier, KindlingClassificationModel> implements ClassifierOutputParams {
    private final Param<String> probabilityCol;
    private final Param<String> rawPredictionCol;
    private final DoubleArrayParam thresholds;

    public KindlingClassifier() { this(Identifiable.randomUID("kindlingClassifier")); }

    public KindlingClassifier(String uid) {
        super(uid);
        probabilityCol = ClassifierOutputParams.probabilityParam(this);
        rawPredictionCol = ClassifierOutputParams.rawPredictionParam(this);
        thresholds = ClassifierOutputParams.thresholdsParam(this);
        setDefault(probabilityCol, "probability");
        setDefault(rawPredictionCol, "rawPrediction");
    }

    @Override
    public Param<String> probabilityCol() { return probabilityCol; }

    @Override
    public Param<String> rawPredictionCol() { return rawPredictionCol; }

    public KindlingClassifier setProbabilityCol(String v) { set(probabilityCol, v); return this; }

    public KindlingClassifier setRawPredictionCol(String v) { set(rawPredictionCol, v); return this; }

    @Override
    public DoubleArrayParam thresholds() { return thresholds; }

    /**
     * Per-class thresholds, as in MLlib: the prediction becomes the class with the largest
     * probability / threshold (a class with threshold 0 wins); one per class, all >= 0, at most one 0.
     */
    public KindlingClassifier setThresholds(double... v) { set(thresholds, ClassifierOutputParams.checkThresholds(v)); return this; }

    @Override
    boolean classification() { return true; }

    @Override
    KindlingClassificationModel newModel(FitResult fit) { return new KindlingClassificationModel(uid(), fit); }

    @Override
    StructType appendOutputs(StructType schema) {
        return KindlingClassificationModel.appendOutputs(schema, getRawPredictionCol(), getProbabilityCol(), getPredictionCol());
    }

    @Override
    public KindlingClassifier copy(ParamMap extra) { return defaultCopy(extra); }

    /** Reads a classifier saved with {@code write().save(path)} (or inside a saved {@code Pipeline}). */
    public static MLReader<KindlingClassifier> read() {
        return new StagePersistence.Reader<>(KindlingClassifier.class, KindlingClassifier::new, (stage, conf, path) -> {});
    }

    public static KindlingClassifier load(String path) { return read().load(path); }
}
