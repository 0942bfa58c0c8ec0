package dev.kindling.spark;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * KindlingRegressor after a VectorAssembler on y = 2 x1 - 3 x2 + 0.5 + noise (sd 0.05), local[2]:
 * held-out RMSE through RegressionEvaluator, the learned weights against the true ones, the
 * validation split in the history, checkpoints, and a saved model giving identical predictions.
 */
class KindlingRegressorTest extends LocalSparkTest {
    static final double NOISE = 0.05;

    @Test
    void learnsLinearTarget(@TempDir Path dir) throws Exception {
        Dataset<Row>[] split = MlTestData.linear(spark, 400, NOISE, 7, 2).randomSplit(new double[] {0.8, 0.2}, 5);
        Path checkpoints = dir.resolve("checkpoints");
        KindlingRegressor regressor = new KindlingRegressor().setModel("Linear(2,1)").setLabelCol("y")
                .setLearningRate(0.05).setBatchSize(64).setMaxIter(40).setLocalSteps(4).setSeed(1)
                .setValidationFraction(0.2).setEarlyStoppingPatience(8)
                .setCheckpointDir(checkpoints.toString()).setCheckpointInterval(40);
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {
                new VectorAssembler().setInputCols(new String[] {"x1", "x2"}).setOutputCol("features"), regressor}).fit(split[0]);
        assertEquals(0, ExecutorArrow.allocatedBytes(), "the executors' Arrow memory is freed after the fit");
        KindlingRegressionModel model = (KindlingRegressionModel) fitted.stages()[1];

        Dataset<Row> predictions = fitted.transform(split[1]);
        double rmse = new RegressionEvaluator().setLabelCol("y").setMetricName("rmse").evaluate(predictions);
        double r2 = new RegressionEvaluator().setLabelCol("y").setMetricName("r2").evaluate(predictions);
        float[] w = model.module().stateDict().get("0.weight").toFloatArray();
        float b = model.module().stateDict().get("0.bias").toFloatArray()[0];
        List<EpochMetrics> history = model.history();
        System.out.printf("linear regression: %d epochs, rmse %.4f, r2 %.4f, w [%.4f, %.4f], b %.4f, val loss %.5f%n",
                history.size(), rmse, r2, w[0], w[1], b, history.get(history.size() - 1).validationLoss());
        assertEquals(0, ExecutorArrow.allocatedBytes(), "the Arrow memory of inference is freed");

        double squares = 0;
        List<Row> rows = predictions.select("y", "prediction").collectAsList();
        for (Row r : rows) squares += Math.pow(r.getDouble(0) - r.getDouble(1), 2);
        assertEquals(Math.sqrt(squares / rows.size()), rmse, 1e-9, "RegressionEvaluator's RMSE equals the one computed here");
        // Noise alone gives an RMSE of about 0.05 (measured: 0.0454); the threshold leaves room for a less converged fit.
        assertTrue(rmse < 0.08, "held-out RMSE " + rmse);
        assertTrue(r2 > 0.99, "held-out r2 " + r2);
        assertEquals(2.0, w[0], 0.05);
        assertEquals(-3.0, w[1], 0.05);
        assertEquals(0.5, b, 0.05);
        // Measured: the validation loss stops improving and the fit stops after 24 of 40 epochs.
        assertTrue(model.stoppedEarly() && history.size() < 40, "early stopping after " + history.size() + " epochs");
        for (EpochMetrics m : history) assertFalse(Double.isNaN(m.validationLoss()), "epoch " + m.epoch() + " has a validation loss");
        assertTrue(history.get(history.size() - 1).validationLoss() < 0.01, "final validation MSE");

        try (Stream<Path> files = Files.list(checkpoints)) {
            List<String> names = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".safetensors")).sorted().toList();
            assertEquals(2, names.size(), "the two latest checkpoints are kept: " + names);
            assertTrue(names.get(1).matches("checkpoint-0+\\d+\\.safetensors"), names.toString());
        }

        String path = dir.resolve("regressor").toString();
        model.write().save(path);
        KindlingRegressionModel back = KindlingRegressionModel.load(path);
        Dataset<Row> assembled = fitted.stages()[0].transform(split[1]);
        List<Row> before = model.transform(assembled).select("prediction").collectAsList();
        List<Row> after = back.transform(assembled).select("prediction").collectAsList();
        assertEquals(before, after, "the loaded model predicts exactly as the saved one");
        assertEquals(history, back.history());
    }
}
