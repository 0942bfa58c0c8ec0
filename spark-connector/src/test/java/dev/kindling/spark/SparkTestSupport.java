package dev.kindling.spark;

import dev.kindling.data.Csv;
import dev.kindling.spark.serde.KindlingKryoRegistrator;
import dev.kindling.tensor.Tensor;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** Shared fixtures: an embedded SparkSession configured as the tests need, and sklearn's digits as a DataFrame. */
public final class SparkTestSupport {
    private SparkTestSupport() {}

    public static SparkSession session(String master) {
        return SparkSession.builder()
                .master(master)
                .appName("kindling-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrationRequired", "true")
                .config("spark.kryo.registrator", KindlingKryoRegistrator.class.getName())
                .getOrCreate();
    }

    public static Path shared() {
        return Path.of(System.getProperty("kindling.shared", "../../shared"));
    }

    /**
     * sklearn digits: features array<float>[64] scaled to [0, 1], label int, in {@code partitions}
     * contiguous slices of the file (no shuffle, so every master sees the same rows in the same order).
     */
    public static Dataset<Row> digits(SparkSession spark, int partitions) throws IOException {
        Tensor t = Csv.readNumeric(shared().resolve("data/sklearn/digits.csv.gz"), false);
        int n = t.size(0);
        float[] pixels = t.narrow(1, 0, 64).div(16.0).to(dev.kindling.tensor.DType.FLOAT32).contiguous().toFloatArray();
        int[] labels = t.select(1, 64).toIntArray();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<float[]> px = jsc.broadcast(pixels);
        Broadcast<int[]> lb = jsc.broadcast(labels);
        StructType schema = new StructType(new StructField[] {
                DataTypes.createStructField("features", DataTypes.createArrayType(DataTypes.FloatType, false), false),
                DataTypes.createStructField("label", DataTypes.IntegerType, false)});
        return spark.range(0, n, 1, partitions).map((MapFunction<Long, Row>) i -> RowFactory.create(
                Arrays.copyOfRange(px.value(), (int) (i * 64), (int) (i * 64 + 64)), lb.value()[(int) (long) i]), Encoders.row(schema));
    }

    /**
     * Synthetic rows of {@code width} floats in [0, 1) with a class label in 0..9 (a function of
     * the row number only, so any master and partitioning sees the same rows), in
     * {@code partitions} contiguous slices.
     */
    public static Dataset<Row> wide(SparkSession spark, int rows, int width, int partitions) {
        StructType schema = new StructType(new StructField[] {
                DataTypes.createStructField("features", DataTypes.createArrayType(DataTypes.FloatType, false), false),
                DataTypes.createStructField("label", DataTypes.IntegerType, false)});
        return spark.range(0, rows, 1, partitions).map((MapFunction<Long, Row>) i -> {
            java.util.Random r = new java.util.Random(i);
            float[] x = new float[width];
            int label = (int) (i % 10);
            for (int k = 0; k < width; k++) x[k] = r.nextFloat() * (k % 10 == label ? 2 : 1);
            return RowFactory.create(x, label);
        }, Encoders.row(schema));
    }
}
