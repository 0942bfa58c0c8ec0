package dev.kindling.spark.train;

import dev.kindling.nn.Linear;
import dev.kindling.nn.Sequential;
import dev.kindling.spark.LocalSparkTest;
import dev.kindling.spark.data.ExecutorArrow;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad data fails before training with the column (and row) named; odd partitionings still train. */
class BadInputTest extends LocalSparkTest {

    private static final StructType SCHEMA = new StructType(new StructField[] {
            DataTypes.createStructField("x", DataTypes.createArrayType(DataTypes.FloatType, true), true),
            DataTypes.createStructField("y", DataTypes.IntegerType, true)});

    private static Dataset<Row> frame(List<Row> rows, int partitions) {
        return spark.createDataFrame(rows, SCHEMA).coalesce(1).repartition(partitions);
    }

    private static List<Row> good(int n) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) rows.add(RowFactory.create(new float[] {i, -i, 1}, i % 2));
        return rows;
    }

    private static FitResult fit(Dataset<Row> df) {
        return DistributedTrainer.builder()
                .model(() -> new Sequential(new Linear(3, 2)))
                .features("x").label("y", true).batchSize(4).epochs(1).seed(1)
                .build().fit(df, null);
    }

    private static void assertMessage(Dataset<Row> df, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fit(df));
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' should mention '" + f + "'");
        assertEquals(0, ExecutorArrow.allocatedBytes(), "nothing half-created is left allocated");
    }

    @Test
    void nullFeaturesRaggedArraysNaNAndBadLabels() {
        List<Row> nulls = good(8);
        nulls.set(5, RowFactory.create(null, 1));
        assertMessage(frame(nulls, 1), "training DataFrame: features column 'x' is null at row 5");
        List<Row> nullElement = good(8);
        nullElement.set(2, RowFactory.create(new Float[] {1f, null, 2f}, 0));
        assertMessage(frame(nullElement, 1), "'x' has a null element at row 2");
        List<Row> ragged = good(8);
        ragged.set(3, RowFactory.create(new float[] {1, 2}, 0));
        assertMessage(frame(ragged, 1), "'x' has 2 elements but earlier rows have 3", "row 3");
        List<Row> nan = good(8);
        nan.set(6, RowFactory.create(new float[] {1, Float.NaN, 2}, 0));
        assertMessage(frame(nan, 1), "'x' has NaN", "row 6");
        List<Row> nullLabel = good(8);
        nullLabel.set(1, RowFactory.create(new float[] {1, 2, 3}, null));
        assertMessage(frame(nullLabel, 1), "label column 'y' is null at row 1");
        List<Row> beyondOutputs = good(8);
        beyondOutputs.set(4, RowFactory.create(new float[] {1, 2, 3}, 2));
        assertMessage(frame(beyondOutputs, 2), "label column 'y' holds class index 2 but the model outputs 2 classes");
    }

    @Test
    void schemaProblemsAreCaughtOnTheDriver() {
        Dataset<Row> df = frame(good(4), 1);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> DistributedTrainer.builder()
                .model(() -> new Sequential(new Linear(3, 2))).features("nope").label("y", true).build().fit(df, null));
        assertTrue(missing.getMessage().contains("column 'nope' does not exist"), missing.getMessage());
        Dataset<Row> stringLabel = df.withColumn("y", df.col("y").cast("string"));
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class, () -> fit(stringLabel));
        assertTrue(label.getMessage().contains("label column 'y' has type string") && label.getMessage().contains("StringIndexer"),
                label.getMessage());
        Dataset<Row> stringFeatures = df.withColumn("x", df.col("y").cast("string"));
        IllegalArgumentException features = assertThrows(IllegalArgumentException.class, () -> fit(stringFeatures));
        assertTrue(features.getMessage().contains("features column 'x' has type string"), features.getMessage());
    }

    @Test
    void emptyPartitionsAndMorePartitionsThanRows() {
        FitResult r = fit(frame(good(5), 12));
        assertEquals(2, r.steps(), "5 rows in batches of 4");
        FitResult one = fit(frame(good(1), 3));
        assertEquals(1, one.steps());
        assertEquals(0, ExecutorArrow.allocatedBytes());
    }
}
