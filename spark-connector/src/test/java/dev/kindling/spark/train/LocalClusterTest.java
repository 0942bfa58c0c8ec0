package dev.kindling.spark.train;

import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.Adam;
import dev.kindling.spark.LocalCluster;
import dev.kindling.spark.SparkTestSupport;
import dev.kindling.spark.data.ExecutorArrow;
import dev.kindling.tensor.Tensor;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same fit (same seed, data and partitioning) in local[1], local[2], local[4] (one JVM, one
 * to four task threads) and in local-cluster[2,1,1024] (executors in two other JVMs) reaches
 * bit-identical parameters, and the executors free their Arrow memory afterwards.
 */
class LocalClusterTest {

    private static FitResult fit(SparkSession spark) throws Exception {
        Dataset<Row> df = SparkTestSupport.digits(spark, 4);
        return DistributedTrainer.builder()
                .model(() -> new Sequential(new Linear(64, 32), new ReLU(), new Linear(32, 10)))
                .optimizer(params -> new Adam(params, 0.01))
                .features("features").label("label", true)
                .batchSize(128).epochs(2).seed(21)
                .build().fit(df, null);
    }

    private static Map<String, Tensor> fitIn(String master) throws Exception {
        SparkSession local = SparkTestSupport.session(master);
        try {
            return fit(local).model().stateDict();
        } finally {
            local.stop();
        }
    }

    @Test
    void multiProcessFitMatchesLocalFit() throws Exception {
        Map<String, Tensor> expected = fitIn("local[2]");
        for (String master : List.of("local[1]", "local[4]")) {
            Map<String, Tensor> other = fitIn(master);
            for (String k : expected.keySet()) {
                assertArrayEquals(expected.get(k).toFloatArray(), other.get(k).toFloatArray(), master + " vs local[2]: parameter " + k);
            }
        }
        SparkSession cluster = LocalCluster.session();
        try {
            FitResult r = fit(cluster);
            List<Integer> executors = cluster.sparkContext().getExecutorIds().size() > 0
                    ? List.of(cluster.sparkContext().getExecutorIds().size()) : List.of(0);
            assertEquals(2, executors.get(0), "two executor processes");
            Map<String, Tensor> actual = r.model().stateDict();
            for (String k : expected.keySet()) {
                assertArrayEquals(expected.get(k).toFloatArray(), actual.get(k).toFloatArray(), "local-cluster vs local[2]: parameter " + k);
            }
            long leftover = cluster.range(0, 8, 1, 8).javaRDD().map(x -> ExecutorArrow.allocatedBytes()).reduce(Long::sum);
            assertEquals(0, leftover, "executors hold no Arrow memory after the fit");
            assertTrue(r.last().trainAccuracy() > 0.8);
        } finally {
            cluster.stop();
        }
    }
}
