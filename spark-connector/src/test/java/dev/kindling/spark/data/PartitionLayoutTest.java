package dev.kindling.spark.data;

import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.SGD;
import dev.kindling.spark.LocalSparkTest;
import dev.kindling.spark.SparkTestSupport;
import dev.kindling.spark.train.DistributedTrainer;
import dev.kindling.spark.train.FitResult;
import dev.kindling.tensor.Tensor;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fits on any partitioning of small data: one partition, a thousand, more partitions than rows
 * (so some, the first among them, are empty), with no extra executor memory; an empty validation
 * DataFrame and running out of off-heap memory are reported as such.
 */
class PartitionLayoutTest extends LocalSparkTest {

    private static DistributedTrainer.Builder mlp(int width) {
        return DistributedTrainer.builder()
                .model(() -> new Sequential(new Linear(width, 32), new ReLU(), new Linear(32, 10)))
                .optimizer(params -> new SGD(params, 0.05))
                .features("features").label("label", true)
                .batchSize(500).epochs(1).seed(1);
    }

    private static void assertTrained(FitResult r, long steps, long rows) {
        assertEquals(steps, r.steps());
        assertEquals(1, r.history().size());
        assertTrue(Double.isFinite(r.last().trainLoss()), "loss " + r.last().trainLoss());
        for (Map.Entry<String, Tensor> e : r.model().stateDict().entrySet()) {
            for (double v : e.getValue().toDoubleArray()) assertTrue(Double.isFinite(v), "parameter " + e.getKey() + " holds " + v);
        }
        assertEquals(0, ExecutorArrow.allocatedBytes(), "Arrow memory left after the fit of " + rows + " rows");
    }

    @Test
    void onePartition() {
        assertTrained(mlp(784).build().fit(SparkTestSupport.wide(spark, 2000, 784, 1), null), 4, 2000);
    }

    @Test
    void aThousandPartitionsOfWideRows() {
        assertTrained(mlp(784).build().fit(SparkTestSupport.wide(spark, 2000, 784, 1000), null), 4, 2000);
    }

    @Test
    void morePartitionsThanRowsLeavesSomeEmpty() {
        Dataset<Row> df = SparkTestSupport.wide(spark, 50, 784, 80); // partition 0 and 29 others hold no row
        assertTrained(mlp(784).batchSize(20).build().fit(df, df), 3, 50);
    }

    @Test
    void anEmptyValidationDataFrameIsNamed() {
        Dataset<Row> train = SparkTestSupport.wide(spark, 100, 8, 2);
        Dataset<Row> empty = train.filter(functions.col("label").lt(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mlp(8).build().fit(train, empty));
        assertEquals("the validation DataFrame has no rows (its 2 partitions are all empty)", e.getMessage());
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> mlp(8).build().fit(empty, train));
        assertEquals("the training DataFrame has no rows (its 2 partitions are all empty)", t.getMessage());
        assertEquals(0, ExecutorArrow.allocatedBytes());
    }

    @Test
    void aValidationSchemaErrorNamesTheValidationDataFrame() {
        Dataset<Row> train = SparkTestSupport.wide(spark, 100, 8, 2);
        Dataset<Row> noLabel = train.drop("label");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mlp(8).build().fit(train, noLabel));
        assertTrue(e.getMessage().startsWith("validation DataFrame: ") && e.getMessage().contains("'label'"), e.getMessage());
    }

    @Test
    void maxStepsInsideTheFirstEpochLeavesNoEpochMetrics() {
        FitResult r = mlp(8).maxSteps(2).build().fit(SparkTestSupport.wide(spark, 2000, 8, 2), null);
        assertEquals(2, r.steps());
        assertTrue(r.history().isEmpty());
        IllegalStateException e = assertThrows(IllegalStateException.class, r::last);
        assertEquals("no epoch completed: the fit stopped after 2 steps, inside its first epoch (maxSteps); see steps()", e.getMessage());
    }

    /** A partition larger than the off-heap memory left: the error names the settings to raise. */
    @Test
    void runningOutOfOffHeapMemoryNamesTheSetting() {
        Dataset<Row> df = SparkTestSupport.wide(spark, 1, 784, 1);
        FeatureSpec fs = FeatureSpec.of(df.schema(), "features", null);
        LabelSpec ls = LabelSpec.of(df.schema(), "label", true);
        PartitionWriter writer = new PartitionWriter(fs, ls, df.schema(), 4096, true);
        List<InternalRow> rows = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rows.add(new GenericInternalRow(new Object[] {UnsafeArrayData.fromPrimitiveArray(new float[784]), i % 10}));
        }
        try (BufferAllocator small = new RootAllocator(1 << 20)) { // 1 MiB: room for ~300 rows of 784 floats
            OffHeapMemoryException e = assertThrows(OffHeapMemoryException.class, () -> writer.write(3, rows.iterator(), 0, small));
            assertTrue(e.getMessage().startsWith("converting partition 3 of the DataFrame to Arrow ran out of off-heap memory"), e.getMessage());
            assertTrue(e.getMessage().contains("-XX:MaxDirectMemorySize") && e.getMessage().contains("spark.executor.memoryOverhead"),
                    e.getMessage());
            assertEquals(0, small.getAllocatedMemory(), "everything allocated before the failure is freed");
        }
    }
}
