package dev.kindling.spark.ml;

import dev.kindling.spark.train.DistributedTrainer;
import dev.kindling.spark.train.FitResult;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@code Estimator} that trains a Kindling network as a regressor on a DataFrame,
 * data-parallel over its partitions ({@link DistributedTrainer}, mean squared error), and returns
 * a {@link KindlingRegressionModel}. The label column holds real targets; the network maps each
 * sample to one output ({@code [N]} or {@code [N, 1]}). For example, after a
 * {@code VectorAssembler}:
 * <pre>{@code
 * new KindlingRegressor().setModel("Linear(2,16) Tanh Linear(16,1)").setLearningRate(0.01).setMaxIter(30)
 * }</pre>
 */
public final class KindlingRegressor extends KindlingEstimator<KindlingRegressor, KindlingRegressionModel> {

    public KindlingRegressor() { this(Identifiable.randomUID("kindlingRegressor")); }

    public KindlingRegressor(String uid) { super(uid); }

    @Override
    boolean classification() { return false; }

    @Override
    KindlingRegressionModel newModel(FitResult fit) { return new KindlingRegressionModel(uid(), fit); }

    @Override
    StructType appendOutputs(StructType schema) {
        return StageSchemas.prediction(schema, getPredictionCol());
    }

    @Override
    public KindlingRegressor copy(ParamMap extra) { return defaultCopy(extra); }

    /** Reads a regressor saved with {@code write().save(path)} (or inside a saved {@code Pipeline}). */
    public static MLReader<KindlingRegressor> read() {
        return new StagePersistence.Reader<>(KindlingRegressor.class, KindlingRegressor::new, (stage, conf, path) -> {});
    }

    public static KindlingRegressor load(String path) { return read().load(path); }
}
