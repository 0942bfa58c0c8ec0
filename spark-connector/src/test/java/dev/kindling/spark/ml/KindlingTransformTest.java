package dev.kindling.spark.ml;

import dev.kindling.nn.ModelSpec;
import dev.kindling.nn.Module;
import dev.kindling.spark.LocalSparkTest;
import dev.kindling.spark.data.ExecutorArrow;
import dev.kindling.spark.train.FitResult;
import dev.kindling.tensor.Tensors;
import org.apache.spark.SparkException;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.apache.spark.ml.functions.array_to_vector;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inference through the models' {@code transform} with weights set by hand, so every output is
 * checked against its closed form: logits W x + b, their softmax, the argmax; partitions that are
 * empty or outnumber the rows; vector, array and binary-image features; and bad input.
 */
class KindlingTransformTest extends LocalSparkTest {
    // Linear(2, 3): logits = W x + b
    static final float[][] W = {{1.0f, -2.0f}, {0.5f, 0.25f}, {-1.0f, 3.0f}};
    static final float[] B = {0.1f, -0.2f, 0.3f};
    static final double[][] X = {{0, 0}, {1, 2}, {-1.5, 0.5}, {3, -1}, {0.2, 0.7}};

    @AfterEach
    void arrowMemoryIsFreed() {
        assertEquals(0, ExecutorArrow.allocatedBytes(), "Arrow memory left allocated after the test");
    }

    static KindlingClassificationModel linearClassifier() {
        ModelSpec spec = ModelSpec.parse("Linear(2,3)");
        Module m = spec.get();
        m.loadStateDict(Map.of("0.weight", Tensors.tensor(W), "0.bias", Tensors.tensor(B)), true);
        KindlingClassificationModel model = new KindlingClassificationModel("clf", FitResult.ofEpochs(m, List.of(), 0, false, true));
        model.set(model.model(), spec);
        return model;
    }

    /**
     * The rows of X as (id, features vector), made by spark.range so that the partitioning is fixed
     * and the rows' order is known (range splits its ids evenly, leaving partitions empty when they
     * outnumber the rows).
     */
    static Dataset<Row> vectors(int partitions) {
        return spark.range(0, X.length, 1, partitions).select(col("id").cast("int").as("id"),
                array_to_vector(expr(literal(X) + "[id]")).as("features"));
    }

    /** A SQL literal array of arrays of doubles. */
    static String literal(double[][] rows) {
        StringBuilder s = new StringBuilder("array(");
        for (int i = 0; i < rows.length; i++) {
            s.append(i > 0 ? ", " : "").append("array(");
            for (int j = 0; j < rows[i].length; j++) s.append(j > 0 ? ", " : "").append(rows[i][j]).append("D");
            s.append(")");
        }
        return s.append(")").toString();
    }

    static double[] logits(double[] x) {
        double[] z = new double[3];
        for (int c = 0; c < 3; c++) z[c] = W[c][0] * x[0] + W[c][1] * x[1] + B[c];
        return z;
    }

    static double[] softmax(double[] z) {
        double max = Arrays.stream(z).max().orElseThrow();
        double[] e = Arrays.stream(z).map(v -> Math.exp(v - max)).toArray();
        double s = Arrays.stream(e).sum();
        return Arrays.stream(e).map(v -> v / s).toArray();
    }

    static int argmax(double[] z) {
        int best = 0;
        for (int c = 1; c < z.length; c++) if (z[c] > z[best]) best = c;
        return best;
    }

    @Test
    void classifierOutputsMatchClosedFormWithMorePartitionsThanRows() {
        Dataset<Row> df = vectors(8);
        List<Integer> sizes = df.javaRDD().mapPartitions(it -> {
            int n = 0;
            for (; it.hasNext(); it.next()) n++;
            return List.of(n).iterator();
        }).collect();
        assertEquals(8, sizes.size());
        assertTrue(sizes.contains(0), "some partitions are empty: " + sizes);

        Dataset<Row> out = linearClassifier().transform(df);
        assertArrayEquals(new String[] {"id", "features", "rawPrediction", "probability", "prediction"}, out.columns());
        assertEquals(8, out.javaRDD().getNumPartitions());
        List<Row> rows = out.collectAsList();
        assertEquals(X.length, rows.size());
        for (int i = 0; i < X.length; i++) {
            Row r = rows.get(i);
            assertEquals(i, r.getInt(0), "rows keep their order");
            assertArrayEquals(X[i], ((Vector) r.get(1)).toArray(), "input columns are kept");
            double[] z = logits(X[i]);
            assertArrayEquals(z, ((Vector) r.get(2)).toArray(), 1e-5, "logits of row " + i);
            assertArrayEquals(softmax(z), ((Vector) r.get(3)).toArray(), 1e-6, "probabilities of row " + i);
            assertEquals(argmax(z), r.getDouble(4), "prediction of row " + i);
        }
    }

    @Test
    void partitionsOfSeveralChunksKeepOrderAndRowNumbers() {
        List<Row> rows = linearClassifier().chunkRows(2).transform(vectors(1)).select("id", "rawPrediction").collectAsList();
        assertEquals(X.length, rows.size());
        for (int i = 0; i < X.length; i++) {
            assertEquals(i, rows.get(i).getInt(0));
            assertArrayEquals(logits(X[i]), ((Vector) rows.get(i).get(1)).toArray(), 1e-5, "logits of row " + i);
        }
        Dataset<Row> df = vectors(1).withColumn("features", when(col("id").equalTo(3), lit(null)).otherwise(col("features")));
        SparkException e = assertThrows(SparkException.class, () -> linearClassifier().chunkRows(2).transform(df).collectAsList());
        assertTrue(e.getMessage().contains("features column 'features' is null at row 3 of partition 0"), e.getMessage());
    }

    @Test
    void emptyDataFrameAndEmptyPartitionsGiveNoRows() {
        Dataset<Row> empty = vectors(3).filter("id < 0");
        Dataset<Row> out = linearClassifier().transform(empty);
        assertEquals(0, out.count());
        assertEquals(5, out.columns().length);
    }

    @Test
    void optionalColumnsCanBeLeftOutAndArraysWork() {
        Dataset<Row> df = spark.range(0, X.length, 1, 2).select(expr("transform(" + literal(X) + "[id], v -> cast(v as float))").as("x"));
        assertEquals("array<float>", df.schema().apply("x").dataType().simpleString());
        KindlingClassificationModel model = linearClassifier().setFeaturesCol("x").setRawPredictionCol("").setProbabilityCol("")
                .setPredictionCol("cls");
        Dataset<Row> out = model.transform(df);
        assertArrayEquals(new String[] {"x", "cls"}, out.columns());
        List<Row> got = out.collectAsList();
        for (int i = 0; i < X.length; i++) assertEquals(argmax(logits(X[i])), got.get(i).getDouble(1), "row " + i);
    }

    @Test
    void regressionOnBinaryImagesScalesPixelsLikeTraining() {
        // Flatten Linear(4,1) over 1x2x2 uint8 images: prediction = sum(w * pixel / 255) + b
        ModelSpec spec = ModelSpec.parse("Flatten Linear(4,1)");
        Module m = spec.get();
        float[] w = {0.5f, -1.0f, 2.0f, 0.25f};
        m.loadStateDict(Map.of("1.weight", Tensors.tensor(new float[][] {w}), "1.bias", Tensors.tensor(0.75f)), true);
        KindlingRegressionModel model = new KindlingRegressionModel("reg", FitResult.ofEpochs(m, List.of(), 0, false, false));
        model.set(model.model(), spec);
        model.setFeaturesCol("image").setImageShape(1, 2, 2);
        byte[][] images = {{0, 0, 0, 0}, {(byte) 255, 0, 0, 0}, {10, 20, 30, 40}, {(byte) 200, (byte) 100, 50, 25}};
        StringBuilder hex = new StringBuilder("array(");
        for (int i = 0; i < images.length; i++) hex.append(i > 0 ? ", " : "").append("unhex('").append(HexFormat.of().formatHex(images[i])).append("')");
        Dataset<Row> df = spark.range(0, images.length, 1, 3).select(expr(hex + ")[id]").as("image"));
        List<Row> got = model.transform(df).collectAsList();
        assertEquals(images.length, got.size());
        for (int i = 0; i < images.length; i++) {
            double expected = 0.75;
            for (int k = 0; k < 4; k++) expected += w[k] * (images[i][k] & 0xff) / 255.0;
            assertEquals(expected, got.get(i).getDouble(1), 1e-5, "image " + i);
        }
    }

    @Test
    void missingFeaturesColumnIsNamed() {
        Dataset<Row> df = vectors(2).withColumnRenamed("features", "f");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> linearClassifier().transform(df));
        assertTrue(e.getMessage().contains("'features' does not exist") && e.getMessage().contains("[id, f]"), e.getMessage());
    }

    @Test
    void wrongFeatureTypeIsNamed() {
        Dataset<Row> df = vectors(2).selectExpr("id", "cast(id as string) as features");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> linearClassifier().transform(df));
        assertTrue(e.getMessage().contains("'features' has type string"), e.getMessage());
    }

    @Test
    void existingOutputColumnIsNamed() {
        Dataset<Row> df = vectors(2).withColumn("prediction", org.apache.spark.sql.functions.lit(1.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> linearClassifier().transform(df));
        assertTrue(e.getMessage().contains("output column 'prediction' already exists"), e.getMessage());
    }

    @Test
    void nullFeaturesFailNamingColumnAndRow() {
        Dataset<Row> df = vectors(1).withColumn("features", when(col("id").equalTo(2), lit(null)).otherwise(col("features")));
        SparkException e = assertThrows(SparkException.class, () -> linearClassifier().transform(df).collectAsList());
        assertTrue(e.getMessage().contains("features column 'features' is null at row 2 of partition 0"), e.getMessage());
    }

    @Test
    void wrongFeatureWidthFailsInTransformNamingShapes() {
        Dataset<Row> vector = spark.range(0, 1).select(array_to_vector(expr("array(1D, 2D, 3D)")).as("features"));
        IllegalArgumentException v = assertThrows(IllegalArgumentException.class, () -> linearClassifier().transform(vector));
        assertTrue(v.getMessage().startsWith("the model cannot take features column 'features' with samples of shape [3]: ")
                && v.getMessage().contains("expects 2 input features"), v.getMessage());
        Dataset<Row> array = spark.range(0, 1).select(expr("array(1D, 2D, 3D, 4D)").as("x"));
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> linearClassifier().setFeaturesCol("x").transform(array));
        assertTrue(a.getMessage().startsWith("the model cannot take features column 'x' with samples of shape [4]: ")
                && a.getMessage().contains("expects 2 input features"), a.getMessage());
        Dataset<Row> scalar = spark.range(0, 1).select(col("id").cast("double").as("features"));
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class, () -> linearClassifier().transform(scalar));
        assertTrue(n.getMessage().startsWith("the model cannot take features column 'features' with samples of shape [1]: "), n.getMessage());
    }
}
