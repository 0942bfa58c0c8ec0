package dev.kindling.spark.train;

import dev.kindling.nn.Linear;
import dev.kindling.nn.Module;
import dev.kindling.nn.utils.ParameterVectors;
import dev.kindling.optim.SGD;
import dev.kindling.spark.LocalSparkTest;
import dev.kindling.spark.data.ExecutorArrow;
import dev.kindling.spark.ml.KindlingRegressor;
import dev.kindling.tensor.Tensors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Instance weights (MLlib's {@code weightCol}) in a distributed fit: one full-batch SGD step gives
 * the parameters of the weighted mean loss sum w_i * loss_i / sum w_i, computed here in closed
 * form, with the rows spread unevenly over partitions (so dividing per partition would differ);
 * integer weights k give the same step as each row repeated k times; bad weights name the column.
 */
class InstanceWeightsTest extends LocalSparkTest {
    // y ~ W x + b, three features; rows, targets and weights (one weight is 0: that row must not count)
    static final double[][] X = {{1, 0, 2}, {0.5, -1, 0}, {2, 1, -1}, {-1, 3, 0.5}, {0, 0.25, 1}, {1.5, -0.5, -2}, {3, 1, 1}};
    static final double[] Y = {1.0, -0.5, 2.5, 0.0, 0.75, -1.5, 4.0};
    static final double[] WEIGHTS = {0.5, 2.0, 0.0, 1.5, 3.0, 1.0, 0.25};
    static final float[][] W0 = {{0.2f, -0.1f, 0.3f}};
    static final float[] B0 = {0.05f};
    static final double LR = 0.1;

    @AfterEach
    void arrowMemoryIsFreed() {
        assertEquals(0, ExecutorArrow.allocatedBytes(), "Arrow memory left allocated after the test");
    }

    static Module fixedLinear(int in, int out, float[][] w, float[] b) {
        Linear m = new Linear(in, out);
        m.loadStateDict(Map.of("weight", Tensors.tensor(w), "bias", Tensors.tensor(b)), true);
        return m;
    }

    /** (features array, label, weight) rows in the given number of partitions. */
    static Dataset<Row> frame(double[][] x, double[] y, double[] w, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < x.length; i++) rows.add(RowFactory.create(x[i], y[i], w[i]));
        StructType schema = new StructType().add("features", DataTypes.createArrayType(DataTypes.DoubleType), false)
                .add("label", DataTypes.DoubleType).add("weight", DataTypes.DoubleType);
        return spark.createDataFrame(rows, schema).repartition(partitions);
    }

    private static DistributedTrainer.Builder oneFullBatchStep(boolean classification, int rows) {
        return DistributedTrainer.builder().optimizer(p -> new SGD(p, LR)).features("features").label("label", classification)
                .loss(classification ? TrainingLoss.crossEntropy() : TrainingLoss.mse()).batchSize(rows).epochs(1).seed(5);
    }

    private static float[] flat(Module m) {
        return ParameterVectors.parametersToVector(m.parameters()).toFloatArray();
    }

    @Test
    void aStepFollowsTheExplicitWeightedGradient() {
        FitResult fit = oneFullBatchStep(false, X.length).model(() -> fixedLinear(3, 1, W0, B0)).weight("weight").build()
                .fit(frame(X, Y, WEIGHTS, 3), null);
        assertEquals(1, fit.steps());

        // d/dtheta of sum w_i (W x_i + b - y_i)^2 / sum w_i, in double
        double sumW = 0;
        double loss = 0;
        double[] gW = new double[3];
        double gB = 0;
        for (int i = 0; i < X.length; i++) {
            double r = B0[0] - Y[i];
            for (int j = 0; j < 3; j++) r += W0[0][j] * X[i][j];
            sumW += WEIGHTS[i];
            loss += WEIGHTS[i] * r * r;
            for (int j = 0; j < 3; j++) gW[j] += 2 * WEIGHTS[i] * r * X[i][j];
            gB += 2 * WEIGHTS[i] * r;
        }
        float[] expected = new float[4];
        for (int j = 0; j < 3; j++) expected[j] = (float) (W0[0][j] - LR * gW[j] / sumW);
        expected[3] = (float) (B0[0] - LR * gB / sumW);
        assertArrayEquals(expected, flat(fit.model()), 1e-5f, "parameters after one weighted step [W, b]");
        assertEquals(loss / sumW, fit.last().trainLoss(), 1e-5, "the epoch's training loss is the weighted mean");
    }

    @Test
    void integerWeightsEqualRepeatedRows() {
        double[][] x = {{1, 0}, {0, 1}, {1, 1}, {-1, 2}, {0.5, -0.5}};
        double[] y = {0, 1, 2, 1, 0};
        double[] k = {1, 3, 2, 1, 4};
        List<double[]> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < x.length; i++) for (int r = 0; r < k[i]; r++) {
            xs.add(x[i]);
            ys.add(y[i]);
        }
        double[] ones = new double[xs.size()];
        java.util.Arrays.fill(ones, 1);
        float[][] w = {{0.1f, -0.2f}, {0.3f, 0.05f}, {-0.15f, 0.25f}};
        float[] b = {0.0f, 0.1f, -0.1f};

        FitResult weighted = oneFullBatchStep(true, x.length).model(() -> fixedLinear(2, 3, w, b)).weight("weight").build()
                .fit(frame(x, y, k, 2), null);
        FitResult repeated = oneFullBatchStep(true, xs.size()).model(() -> fixedLinear(2, 3, w, b)).build()
                .fit(frame(xs.toArray(new double[0][]), ys.stream().mapToDouble(Double::doubleValue).toArray(), ones, 3), null);
        float[] before = flat(fixedLinear(2, 3, w, b));
        float[] after = flat(repeated.model());
        assertTrue(!java.util.Arrays.equals(before, after), "the step moved the parameters");
        assertArrayEquals(after, flat(weighted.model()), 1e-6f, "weights k = rows repeated k times");
        assertEquals(repeated.last().trainLoss(), weighted.last().trainLoss(), 1e-6);
    }

    @Test
    void badWeightsNameTheColumnAndRow() {
        KindlingRegressor reg = new KindlingRegressor().setModel("Linear(3,1)").setMaxIter(1).setWeightCol("weight");
        double[] negative = WEIGHTS.clone();
        negative[3] = -1;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reg.fit(frame(X, Y, negative, 1)));
        assertTrue(e.getMessage().matches("training DataFrame: weight column 'weight' holds -1.0 at row \\d+ of partition \\d+; "
                + "instance weights must be finite numbers >= 0"), e.getMessage());
        double[] nan = WEIGHTS.clone();
        nan[2] = Double.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> reg.fit(frame(X, Y, nan, 1)));
        assertTrue(e.getMessage().contains("weight column 'weight' holds NaN"), e.getMessage());
        Dataset<Row> nulls = frame(X, Y, WEIGHTS, 1).withColumn("weight", org.apache.spark.sql.functions.expr(
                "case when label > 3 then null else weight end"));
        e = assertThrows(IllegalArgumentException.class, () -> reg.fit(nulls));
        assertTrue(e.getMessage().matches("training DataFrame: weight column 'weight' is null at row \\d+ of partition \\d+"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> reg.fit(frame(X, Y, WEIGHTS, 1).withColumnRenamed("weight", "w")));
        assertTrue(e.getMessage().contains("'weight' does not exist"), e.getMessage());
    }
}
