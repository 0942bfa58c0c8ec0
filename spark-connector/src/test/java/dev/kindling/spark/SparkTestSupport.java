package dev.kindling.spark;

import dev.kindling.data.Csv;
import dev.kindling.tensor.Tensor;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Shared fixtures: an embedded SparkSession configured as the tests need, and sklearn's digits as a DataFrame. */
final class SparkTestSupport {
    private SparkTestSupport() {}

    static SparkSession session(String master) {
        return SparkSession.builder()
                .master(master)
                .appName("kindling-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrationRequired", "true")
                .config("spark.kryo.registrator", KindlingKryoRegistrator.class.getName() + "," + SparkInternalsKryo.class.getName())
                .getOrCreate();
    }

    static Path shared() {
        return Path.of(System.getProperty("kindling.shared", "../../shared"));
    }

    /** sklearn digits: features array<float>[64] scaled to [0, 1], label int. */
    static Dataset<Row> digits(SparkSession spark, int partitions) throws IOException {
        Tensor t = Csv.readNumeric(shared().resolve("data/sklearn/digits.csv.gz"), false);
        double[] v = t.toDoubleArray();
        int cols = t.size(1);
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < t.size(0); r++) {
            float[] f = new float[64];
            for (int c = 0; c < 64; c++) f[c] = (float) (v[r * cols + c] / 16.0);
            rows.add(RowFactory.create(f, (int) v[r * cols + 64]));
        }
        StructType schema = new StructType(new StructField[] {
                DataTypes.createStructField("features", DataTypes.createArrayType(DataTypes.FloatType, false), false),
                DataTypes.createStructField("label", DataTypes.IntegerType, false)});
        return spark.createDataFrame(rows, schema).repartition(partitions);
    }
}
