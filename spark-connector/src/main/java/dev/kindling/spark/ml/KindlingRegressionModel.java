package dev.kindling.spark.ml;

import dev.kindling.spark.train.FitResult;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.StructType;

/**
 * A trained Kindling regressor as a Spark ML {@code Model}: {@code transform} appends the
 * network's output for every row as {@code prediction} (a double), the column
 * {@code RegressionEvaluator} reads. Saved and loaded with Spark ML's {@code write()}/{@link #read()},
 * alone or inside a {@code PipelineModel}.
 */
public final class KindlingRegressionModel extends KindlingModel<KindlingRegressionModel> {

    /**
     * An untrained model, for discovery by {@code ServiceLoader} (Spark Connect's ML registry needs a
     * public no-argument constructor); {@link #load} gives a trained one.
     */
    public KindlingRegressionModel() { this(Identifiable.randomUID("kindlingRegressionModel"), null); }

    KindlingRegressionModel(String uid, FitResult fit) { super(uid, fit); }

    /** The prediction for one sample (MLlib's {@code predict}); features as {@code transform} would give them to the network. */
    public double predict(Vector features) {
        Tensor y = forwardOne(features);
        if (y.numel() != 1) {
            throw new IllegalArgumentException("regression model output has shape " + Shapes.str(y.shape()) + " for one sample; expected [1] or [1, 1]");
        }
        return y.contiguous().toFloatArray()[0];
    }

    @Override
    InferenceTask.Outputs outputs() { return new InferenceTask.Outputs(false, false, false, null); }

    @Override
    StructType appendOutputs(StructType schema) {
        return StageSchemas.prediction(schema, getPredictionCol());
    }

    @Override
    public KindlingRegressionModel copy(ParamMap extra) {
        return copyValues(new KindlingRegressionModel(uid(), fit()), extra).setParent(parent());
    }

    /** Reads a model saved with {@code write().save(path)} (or inside a saved {@code PipelineModel}). */
    public static MLReader<KindlingRegressionModel> read() {
        return new StagePersistence.Reader<>(KindlingRegressionModel.class, uid -> new KindlingRegressionModel(uid, null),
                (model, conf, path) -> model.attach(StagePersistence.loadFit(conf, path, model.getModel(), false)));
    }

    public static KindlingRegressionModel load(String path) { return read().load(path); }
}
