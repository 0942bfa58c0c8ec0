package dev.kindling.spark.ml;

import dev.kindling.spark.train.FitResult;
import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.StructType;

/**
 * A trained Kindling classifier as a Spark ML {@code Model}: {@code transform} appends, for every
 * row, the network's logits ({@code rawPrediction}, an ML Vector), their softmax
 * ({@code probability}, an ML Vector) and the predicted class index ({@code prediction}, a
 * double: the most likely class, or with {@code thresholds} set the class of the largest
 * probability / threshold, MLlib's rule), in the columns {@code MulticlassClassificationEvaluator} reads. Setting the raw or
 * probability column name to "" leaves that column out. Saved and loaded with Spark ML's
 * {@code write()}/{@link #read()}, alone or inside a {@code PipelineModel}.
 */
public final class KindlingClassificationModel extends KindlingModel<KindlingClassificationModel> implements ClassifierOutputParams {
    private final Param<String> probabilityCol;
    private final Param<String> rawPredictionCol;
    private final DoubleArrayParam thresholds;

    /**
     * An untrained model, for discovery by {@code ServiceLoader} (Spark Connect's ML registry needs a
     * public no-argument constructor); {@link #load} gives a trained one.
     */
    public KindlingClassificationModel() { this(Identifiable.randomUID("kindlingClassificationModel"), null); }

    KindlingClassificationModel(String uid, FitResult fit) {
        super(uid, fit);
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

    public KindlingClassificationModel setProbabilityCol(String v) { set(probabilityCol, v); return this; }

    public KindlingClassificationModel setRawPredictionCol(String v) { set(rawPredictionCol, v); return this; }

    @Override
    public DoubleArrayParam thresholds() { return thresholds; }

    /**
     * Per-class thresholds, as in MLlib: the prediction becomes the class with the largest
     * probability / threshold (a class with threshold 0 wins); one per class, all >= 0, at most one 0.
     */
    public KindlingClassificationModel setThresholds(double... v) { set(thresholds, ClassifierOutputParams.checkThresholds(v)); return this; }

    /** The logits of one sample (MLlib's {@code predictRaw}); features as {@code transform} would give them to the network. */
    public Vector predictRaw(Vector features) { return Vectors.dense(oneRow(forwardOne(features))); }

    /** The class probabilities of one sample, the softmax of its logits (MLlib's {@code predictProbability}). */
    public Vector predictProbability(Vector features) { return Vectors.dense(oneRow(F.softmax(forwardOne(features), 1))); }

    /** The predicted class index of one sample, with the thresholds when set (MLlib's {@code predict}). */
    public double predict(Vector features) {
        Tensor logits = forwardOne(features);
        double[] raw = oneRow(logits);
        ClassifierOutputParams.checkThresholdCount(getThresholds(), raw.length);
        return ClassifierOutputParams.predictedClass(raw, oneRow(F.softmax(logits, 1)), getThresholds());
    }

    /** The values of a [1, classes] output (float32, widened as transform widens them). */
    private static double[] oneRow(Tensor t) {
        if (t.dim() != 2 || t.size(0) != 1) {
            throw new IllegalArgumentException("classifier model output has shape " + Shapes.str(t.shape()) + " for one sample; expected [1, classes]");
        }
        float[] f = t.contiguous().toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    @Override
    InferenceTask.Outputs outputs() {
        return new InferenceTask.Outputs(true, !getRawPredictionCol().isEmpty(), !getProbabilityCol().isEmpty(), getThresholds());
    }

    /** Thresholds must number the network's classes, as MLlib checks before it predicts. */
    @Override
    void checkNetworkOutput(Tensor oneSample) {
        if (oneSample.dim() == 2) ClassifierOutputParams.checkThresholdCount(getThresholds(), oneSample.size(1));
    }

    @Override
    StructType appendOutputs(StructType schema) {
        return appendOutputs(schema, getRawPredictionCol(), getProbabilityCol(), getPredictionCol());
    }

    /** rawPrediction, probability, prediction: Spark's order for classifiers. */
    static StructType appendOutputs(StructType schema, String raw, String probability, String prediction) {
        StructType s = StageSchemas.append(schema, raw, SQLDataTypes.VectorType(), "setRawPredictionCol");
        s = StageSchemas.append(s, probability, SQLDataTypes.VectorType(), "setProbabilityCol");
        return StageSchemas.prediction(s, prediction);
    }

    @Override
    public KindlingClassificationModel copy(ParamMap extra) {
        return copyValues(new KindlingClassificationModel(uid(), fit()), extra).setParent(parent());
    }

    /** Reads a model saved with {@code write().save(path)} (or inside a saved {@code PipelineModel}). */
    public static MLReader<KindlingClassificationModel> read() {
        return new StagePersistence.Reader<>(KindlingClassificationModel.class, uid -> new KindlingClassificationModel(uid, null),
                (model, conf, path) -> model.attach(StagePersistence.loadFit(conf, path, model.getModel(), true)));
    }

    public static KindlingClassificationModel load(String path) { return read().load(path); }
}
