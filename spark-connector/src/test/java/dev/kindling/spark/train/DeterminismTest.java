package dev.kindling.spark.train;

import dev.kindling.nn.BatchNorm1d;
import dev.kindling.nn.Dropout;
import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.SGD;
import dev.kindling.spark.LocalSparkTest;
import dev.kindling.spark.SparkTestSupport;
import dev.kindling.tensor.Tensor;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Same seed and partitioning give the same parameters bit for bit; the partition-ordered tree sum
 * is what makes that hold where Spark's treeAggregate (final fold in task-completion order) does not.
 */
class DeterminismTest extends LocalSparkTest {

    /** Per-partition float vectors whose sum depends on the order of addition. */
    private static JavaRDD<float[]> vectors(JavaSparkContext jsc, int partitions) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < partitions; i++) ids.add(i);
        return jsc.parallelize(ids, partitions).map(i -> {
            Random r = new Random(i);
            float[] v = new float[4096];
            for (int k = 0; k < v.length; k++) v[k] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(6) - 3));
            return v;
        });
    }

    @Test
    void treeSumIsOrderIndependentWhereTreeAggregateIsNot() {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<float[]> v = vectors(jsc, 8).cache();
        v.count();
        Set<String> spark = new HashSet<>();
        Set<String> ours = new HashSet<>();
        for (int run = 0; run < 12; run++) {
            // depth 1: the driver folds all 8 partials as their tasks finish
            float[] s = v.treeAggregate(new float[4096], (acc, x) -> {
                for (int k = 0; k < acc.length; k++) acc[k] += x[k];
                return acc;
            }, (a, b) -> {
                for (int k = 0; k < a.length; k++) a[k] += b[k];
                return a;
            }, 1);
            spark.add(Arrays.toString(s));
            Partial p = TreeSum.aggregate(v.mapPartitionsWithIndex((i, it) -> List.of(
                    new Partial(i, new float[][] {it.next()}, 0, 1, 0, 0)).iterator(), false), 8, 1);
            ours.add(Arrays.toString(p.vectors[0]));
        }
        assertEquals(1, ours.size(), "the partition-ordered sum gives one result");
    }

    private FitResult fit(Dataset<Row> df, long seed) {
        return DistributedTrainer.builder()
                .model(() -> new Sequential(new Linear(64, 32), new BatchNorm1d(32), new ReLU(), new Dropout(0.2), new Linear(32, 10)))
                .optimizer(params -> new SGD(params, SGD.options(0.1).momentum(0.9)))
                .features("features").label("label", true)
                .batchSize(100).epochs(2).seed(seed).treeDepth(2)
                .build()
                .fit(df, null);
    }

    @Test
    void sameSeedSameParametersBitForBit() throws Exception {
        Dataset<Row> df = SparkTestSupport.digits(spark, 5).cache();
        df.count();
        Map<String, Tensor> a = fit(df, 3).model().stateDict();
        Map<String, Tensor> c = fit(df, 4).model().stateDict();
        for (int run = 1; run < 7; run++) assertSameParameters(a, fit(df, 3).model().stateDict(), "refit " + run);
        assertTrue(!Arrays.equals(a.get("0.weight").toFloatArray(), c.get("0.weight").toFloatArray()), "another seed trains differently");
        assertEquals(2 * 18, a.get("1.num_batches_tracked").itemLong(), "BatchNorm counts every step");
        assertTrue(a.get("1.running_var").sum().item() > 0);
        df.unpersist();
    }

    /** MNIST-sized layers (784 -> 256 -> 10): products big enough for BLAS's own threads. */
    @Test
    void wideModelRefitsAreBitIdentical() {
        Dataset<Row> df = SparkTestSupport.wide(spark, 2000, 784, 4).cache();
        df.count();
        DistributedTrainer.Builder b = DistributedTrainer.builder()
                .model(() -> new Sequential(new Linear(784, 256), new ReLU(), new Dropout(0.2), new Linear(256, 10)))
                .optimizer(params -> new SGD(params, SGD.options(0.05).momentum(0.9)))
                .features("features").label("label", true)
                .batchSize(500).epochs(2).seed(7);
        Map<String, Tensor> first = b.build().fit(df, null).model().stateDict();
        for (int run = 1; run < 3; run++) assertSameParameters(first, b.build().fit(df, null).model().stateDict(), "wide refit " + run);
        df.unpersist();
    }

    /**
     * Two fits running at once in one JVM (two threads calling fit on the same session, with
     * different seeds and different data, so their tasks and driver work interleave) each end with
     * exactly its solo result: each fit draws from generators of its own, never the process-wide one.
     */
    @Test
    void concurrentFitsEachEqualTheirSoloResult() throws Exception {
        Dataset<Row> df = SparkTestSupport.digits(spark, 4).cache();
        Dataset<Row> evens = SparkTestSupport.digits(spark, 3).where("label % 2 = 0").cache();
        df.count();
        evens.count();
        Map<String, Tensor> solo3 = fit(df, 3).model().stateDict();
        Map<String, Tensor> solo4 = fit(evens, 4).model().stateDict();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 2; round++) {
                Future<FitResult> f3 = pool.submit(() -> fit(df, 3));
                Future<FitResult> f4 = pool.submit(() -> fit(evens, 4));
                assertSameParameters(solo3, f3.get().model().stateDict(), "seed 3 beside another fit, round " + round);
                assertSameParameters(solo4, f4.get().model().stateDict(), "seed 4 beside another fit, round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
        df.unpersist();
        evens.unpersist();
    }

    private static void assertSameParameters(Map<String, Tensor> expected, Map<String, Tensor> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what);
        for (String k : expected.keySet()) {
            assertArrayEquals(expected.get(k).toDoubleArray(), actual.get(k).toDoubleArray(), what + ": parameter " + k + " differs");
        }
    }
}
