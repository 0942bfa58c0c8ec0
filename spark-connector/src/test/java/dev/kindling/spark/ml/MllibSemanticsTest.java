package dev.kindling.spark.ml;

import dev.kindling.spark.LocalSparkTest;
import dev.kindling.spark.data.ExecutorArrow;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MLlib behaviour Kindling's classifier promises: {@code thresholds} turn probabilities into
 * predictions by MLlib's rule (largest probability / threshold, a 0 threshold wins) and are
 * validated; single-vector {@code predictRaw}, {@code predictProbability} and {@code predict}
 * equal {@code transform}; and a stage's {@code transformSchema} rejects bad columns before any Spark job runs
 * (a listener records the jobs started while the call fails).
 */
class MllibSemanticsTest extends LocalSparkTest {

    @AfterEach
    void arrowMemoryIsFreed() {
        assertEquals(0, ExecutorArrow.allocatedBytes(), "Arrow memory left allocated after the test");
    }

    /** MLlib's rule, written out independently of the code under test. */
    static int mllibPrediction(double[] probability, double[] thresholds) {
        double[] scaled = new double[probability.length];
        for (int c = 0; c < scaled.length; c++) scaled[c] = thresholds[c] == 0 ? Double.POSITIVE_INFINITY : probability[c] / thresholds[c];
        return KindlingTransformTest.argmax(scaled);
    }

    @Test
    void thresholdsPredictByMllibsRule() {
        double[] thresholds = {0.6, 0.1, 0.3};
        List<Row> rows = KindlingTransformTest.linearClassifier().setThresholds(thresholds)
                .transform(KindlingTransformTest.vectors(2)).collectAsList();
        int changed = 0;
        for (int i = 0; i < rows.size(); i++) {
            double[] z = KindlingTransformTest.logits(KindlingTransformTest.X[i]);
            double[] p = KindlingTransformTest.softmax(z);
            assertArrayEquals(z, ((Vector) rows.get(i).getAs("rawPrediction")).toArray(), 1e-5, "logits unchanged, row " + i);
            assertArrayEquals(p, ((Vector) rows.get(i).getAs("probability")).toArray(), 1e-6, "probabilities unchanged, row " + i);
            assertEquals(mllibPrediction(p, thresholds), (double) rows.get(i).getAs("prediction"), "prediction of row " + i);
            if (mllibPrediction(p, thresholds) != KindlingTransformTest.argmax(z)) changed++;
        }
        assertNotEquals(0, changed, "these thresholds change some predictions, so the test can tell they are applied");
    }

    @Test
    void aZeroThresholdWinsEvenWithoutProbabilityColumn() {
        List<Row> rows = KindlingTransformTest.linearClassifier().setThresholds(1, 0, 1).setProbabilityCol("").setRawPredictionCol("")
                .transform(KindlingTransformTest.vectors(2)).collectAsList();
        for (Row r : rows) assertEquals(1.0, (double) r.getAs("prediction"));
    }

    @Test
    void singleVectorPredictionsEqualTransform() {
        double[] thresholds = {0.6, 0.1, 0.3};
        KindlingClassificationModel model = KindlingTransformTest.linearClassifier().setThresholds(thresholds);
        List<Row> rows = model.transform(KindlingTransformTest.vectors(2)).collectAsList();
        for (int i = 0; i < rows.size(); i++) {
            Vector x = Vectors.dense(KindlingTransformTest.X[i]);
            assertArrayEquals(((Vector) rows.get(i).getAs("rawPrediction")).toArray(), model.predictRaw(x).toArray(), 0.0, "row " + i);
            assertArrayEquals(((Vector) rows.get(i).getAs("probability")).toArray(), model.predictProbability(x).toArray(), 0.0, "row " + i);
            assertEquals((double) rows.get(i).getAs("prediction"), model.predict(x), "row " + i);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.predict(Vectors.dense(1, 2, 3)));
        assertTrue(e.getMessage().startsWith("the model cannot take a features vector of 3 values"), e.getMessage());
    }

    @Test
    void regressorPredictsOneImageLikeTransform() {
        // Flatten Linear(4,1) over a 1x2x2 image given as pixels scaled to [0, 1]
        dev.kindling.nn.ModelSpec spec = dev.kindling.nn.ModelSpec.parse("Flatten Linear(4,1)");
        dev.kindling.nn.Module m = spec.get();
        float[] w = {0.5f, -1.0f, 2.0f, 0.25f};
        m.loadStateDict(java.util.Map.of("1.weight", dev.kindling.tensor.Tensors.tensor(new float[][] {w}),
                "1.bias", dev.kindling.tensor.Tensors.tensor(0.75f)), true);
        KindlingRegressionModel model = new KindlingRegressionModel("reg",
                dev.kindling.spark.train.FitResult.ofEpochs(m, List.of(), 0, false, false));
        model.set(model.model(), spec);
        model.setImageShape(1, 2, 2);
        double[] pixels = {10 / 255.0, 20 / 255.0, 30 / 255.0, 40 / 255.0};
        double expected = 0.75;
        for (int k = 0; k < 4; k++) expected += w[k] * pixels[k];
        assertEquals(expected, model.predict(Vectors.dense(pixels)), 1e-6);
    }

    @Test
    void badThresholdsAreRejected() {
        KindlingClassificationModel model = KindlingTransformTest.linearClassifier();
        for (double[] bad : new double[][] {{0.5, -0.1, 0.5}, {0, 0, 1}, {0.5, Double.NaN, 0.5}, {}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.setThresholds(bad));
            assertTrue(e.getMessage().startsWith("thresholds must be non-empty, all >= 0"), e.getMessage());
        }
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> model.setThresholds(0.5, 0.5).transform(KindlingTransformTest.vectors(2)));
        assertTrue(count.getMessage().contains("thresholds has 2 entries [0.5, 0.5] but the network outputs 3 classes"), count.getMessage());
    }

    @Test
    void estimatorPassesThresholdsToItsModel() {
        KindlingClassifier clf = new KindlingClassifier().setThresholds(0.2, 0.8);
        KindlingClassificationModel model = new KindlingClassificationModel();
        clf.copyValues(model, new org.apache.spark.ml.param.ParamMap());
        assertArrayEquals(new double[] {0.2, 0.8}, model.getThresholds());
    }

    /** Runs failing, asserting it throws an IllegalArgumentException containing message and starts no Spark job. */
    private static void failsWithoutJob(String message, Executable failing) throws InterruptedException {
        List<String> jobs = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch sentinelSeen = new CountDownLatch(1);
        SparkListener listener = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart start) {
                String description = start.properties().getProperty("spark.job.description");
                if ("sentinel".equals(description)) sentinelSeen.countDown();
                else jobs.add("job " + start.jobId() + " (" + description + ")");
            }
        };
        spark.sparkContext().addSparkListener(listener);
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, failing);
            assertTrue(e.getMessage().contains(message), e.getMessage());
            // Listener events arrive in order: once the sentinel job is seen, every earlier job has been.
            spark.sparkContext().setJobDescription("sentinel");
            spark.range(1).count();
            spark.sparkContext().setJobDescription(null);
            sentinelSeen.await();
            assertEquals(List.of(), jobs, "jobs started before '" + message + "' was reported");
        } finally {
            spark.sparkContext().removeSparkListener(listener);
        }
    }

    @Test
    void schemaErrorsStopFitAndTransformBeforeAnyJob() throws Exception {
        Dataset<Row> df = KindlingTransformTest.vectors(2).withColumn("label", col("id").cast("double"));
        KindlingClassifier clf = new KindlingClassifier().setModel("Linear(2,3)").setMaxIter(1);
        failsWithoutJob("column 'feats' does not exist", () -> clf.copy(new org.apache.spark.ml.param.ParamMap()).setFeaturesCol("feats").fit(df));
        failsWithoutJob("label column 'name' has type string",
                () -> clf.copy(new org.apache.spark.ml.param.ParamMap()).setLabelCol("name").fit(df.withColumn("name", lit("a"))));
        failsWithoutJob("output column 'probability' already exists", () -> clf.fit(df.withColumn("probability", lit(1.0))));
        failsWithoutJob("'features' has type string",
                () -> new KindlingRegressor().setModel("Linear(2,1)").fit(df.withColumn("features", lit("x"))));
        failsWithoutJob("weight column 'name' has type string",
                () -> clf.copy(new org.apache.spark.ml.param.ParamMap()).setWeightCol("name").fit(df.withColumn("name", lit("a"))));
        failsWithoutJob("column 'w' does not exist", () -> clf.copy(new org.apache.spark.ml.param.ParamMap()).setWeightCol("w").fit(df));
        failsWithoutJob("output column 'rawPrediction' already exists",
                () -> KindlingTransformTest.linearClassifier().transform(df.withColumn("rawPrediction", lit(1.0))));
        failsWithoutJob("'features' has type string",
                () -> KindlingTransformTest.linearClassifier().transform(df.withColumn("features", lit("x"))));
    }
}
