package dev.kindling.spark;

import dev.kindling.data.Csv;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** DataFrames for the Spark ML tests: sklearn's iris with species names, and a synthetic linear regression. */
public final class MlTestData {
    public static final String[] IRIS_FEATURES = {"sepal_length", "sepal_width", "petal_length", "petal_width"};

    private MlTestData() {}

    /** Iris: four double columns and the species name (string) read from the file's header line. */
    public static Dataset<Row> iris(SparkSession spark, int partitions) throws IOException {
        Path file = SparkTestSupport.shared().resolve("data/sklearn/iris.csv");
        String[] header = Files.readAllLines(file).get(0).split(",");   // "150,4,setosa,versicolor,virginica"
        Tensor t = Csv.readNumeric(file, true);
        double[] v = t.toDoubleArray();
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < t.size(0); r++) {
            rows.add(RowFactory.create(v[r * 5], v[r * 5 + 1], v[r * 5 + 2], v[r * 5 + 3], header[2 + (int) v[r * 5 + 4]]));
        }
        StructType schema = new StructType();
        for (String c : IRIS_FEATURES) schema = schema.add(c, DataTypes.DoubleType, false);
        schema = schema.add("species", DataTypes.StringType, false);
        return spark.createDataFrame(rows, schema).repartition(partitions);
    }

    /** The first n of sklearn's digits as 1x8x8 uint8 images (pixels 0..16 scaled to 0..255) with an int label. */
    public static Dataset<Row> digitImages(SparkSession spark, int n, int partitions) throws IOException {
        Tensor t = Csv.readNumeric(SparkTestSupport.shared().resolve("data/sklearn/digits.csv.gz"), false);
        double[] v = t.toDoubleArray();
        int cols = t.size(1);
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            byte[] image = new byte[64];
            for (int c = 0; c < 64; c++) image[c] = (byte) Math.round(v[r * cols + c] * 255 / 16);
            rows.add(RowFactory.create(image, (int) v[r * cols + 64]));
        }
        StructType schema = new StructType().add("image", DataTypes.BinaryType, false).add("digit", DataTypes.IntegerType, false);
        return spark.createDataFrame(rows, schema).repartition(partitions);
    }

    /** y = 2 x1 - 3 x2 + 0.5 + N(0, noise^2), x uniform in [-1, 1]. */
    public static Dataset<Row> linear(SparkSession spark, int n, double noise, long seed, int partitions) {
        Generator g = new Generator(seed);
        double[] x = Tensors.rand(g, n, 2).toDoubleArray();
        double[] e = Tensors.randn(g, n).toDoubleArray();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double x1 = 2 * x[2 * i] - 1;
            double x2 = 2 * x[2 * i + 1] - 1;
            rows.add(RowFactory.create(x1, x2, 2 * x1 - 3 * x2 + 0.5 + noise * e[i]));
        }
        StructType schema = new StructType().add("x1", DataTypes.DoubleType, false).add("x2", DataTypes.DoubleType, false)
                .add("y", DataTypes.DoubleType, false);
        return spark.createDataFrame(rows, schema).repartition(partitions);
    }
}
