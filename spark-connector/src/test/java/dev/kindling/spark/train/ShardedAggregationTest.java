package dev.kindling.spark.train;

import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.Adam;
import dev.kindling.spark.LocalSparkTest;
import dev.kindling.spark.SparkTestSupport;
import dev.kindling.tensor.Tensor;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sharded gradient sum equals the tree sum up to the order of float additions, is the same
 * bit for bit run after run, and with bfloat16 sums exactly the bfloat16-rounded gradients.
 */
class ShardedAggregationTest extends LocalSparkTest {
    private static final int N = 10_007; // not a multiple of the shard counts: uneven shards

    /** Per-partition partials whose gradient sum depends on the order of addition (magnitudes 1e-3..1e2). */
    private static JavaRDD<Partial> partials(int partitions) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < partitions; i++) ids.add(i);
        return jsc.parallelize(ids, partitions).map(ShardedAggregationTest::partial);
    }

    private static Partial partial(int i) {
        Random r = new Random(i);
        float[] g = new float[N];
        for (int k = 0; k < N; k++) g[k] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(6) - 3));
        float[] buffers = {i, 2 * i};
        return Partial.ofStep(i, g, buffers, 0.5 * i, 10 + i, i);
    }

    @Test
    void shardedMatchesTreeWithinTheSummationBoundAndIsDeterministic() {
        int p = 8;
        Partial tree = TreeSum.aggregate(partials(p), p, 2); // depth 2: groups of 3, then the driver
        Partial sharded = ShardedSum.aggregate(partials(p), 3, false);
        // Both are recursive float sums of the same 8 numbers per element in different orders; each is
        // within (p-1) u sum|x_i| of the exact sum (u = 2^-24), so they differ by at most twice that.
        double u = Math.scalb(1.0, -24);
        for (int k = 0; k < N; k++) {
            double abs = 0;
            for (int i = 0; i < p; i++) abs += Math.abs(partial(i).modelSum()[k]);
            double bound = 2 * (p - 1) * u * abs;
            assertTrue(Math.abs(tree.modelSum()[k] - sharded.modelSum()[k]) <= bound,
                    "element " + k + ": tree " + tree.modelSum()[k] + " sharded " + sharded.modelSum()[k] + " bound " + bound);
        }
        assertArrayEquals(tree.bufferSum(), sharded.bufferSum());
        assertEquals(tree.lossSum, sharded.lossSum);
        assertEquals(tree.count, sharded.count);
        assertEquals(tree.weightSum, sharded.weightSum);
        assertEquals(tree.correct, sharded.correct);
        // in partition order, as a one-level tree: bit for bit
        List<Partial> all = new ArrayList<>();
        for (int i = 0; i < p; i++) all.add(partial(i));
        assertArrayEquals(Partial.sum(0, all).modelSum(), sharded.modelSum(), "sharded = one-level tree sum, bit for bit");
        for (int run = 0; run < 4; run++) {
            assertArrayEquals(sharded.modelSum(), ShardedSum.aggregate(partials(p), 3, false).modelSum(), "run " + run);
        }
    }

    @Test
    void bfloat16SumsTheRoundedGradientsInFloat32() {
        int p = 4;
        Partial sharded = ShardedSum.aggregate(partials(p), 5, true);
        float[] expected = new float[N];
        for (int i = 0; i < p; i++) {
            float[] g = partial(i).modelSum();
            for (int k = 0; k < N; k++) {
                float h = BFloat16.toFloat(BFloat16.fromFloat(g[k]));
                expected[k] = i == 0 ? h : expected[k] + h;
            }
        }
        assertArrayEquals(expected, sharded.modelSum());
        Partial exact = ShardedSum.aggregate(partials(p), 5, false);
        assertFalse(java.util.Arrays.equals(exact.modelSum(), sharded.modelSum()), "bfloat16 must change the sums");
    }

    @Test
    void moreShardsThanElementsAndEmptyPartitions() {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Partial> tiny = jsc.parallelize(List.of(0, 1, 2), 3)
                .map(i -> i == 1 ? Partial.empty(1) : Partial.ofStep(i, new float[] {i, -i}, new float[0], 1, 1, 0));
        Partial s = ShardedSum.aggregate(tiny, 4, false);
        assertArrayEquals(new float[] {2, -2}, s.modelSum());
        assertEquals(2, s.count);
    }

    private static FitResult fit(Dataset<Row> df, String mode, int shards, String precision) {
        return DistributedTrainer.builder()
                .model(() -> new Sequential(new Linear(64, 32), new ReLU(), new Linear(32, 10)))
                .optimizer(params -> new Adam(params, 0.01))
                .features("features").label("label", true)
                .batchSize(128).epochs(2).seed(3)
                .aggregation(mode, shards).gradientPrecision(precision)
                .build().fit(df, null);
    }

    @Test
    void shardedFitEqualsTreeFitOnTwoPartitionsAndBfloat16StillTrains() throws Exception {
        Dataset<Row> df = SparkTestSupport.digits(spark, 2).cache();
        // Two partitions make a one-level tree, which adds in partition order like every shard.
        Map<String, Tensor> tree = fit(df, "tree", 0, "float32").model().stateDict();
        FitResult shardedFit = fit(df, "sharded", 3, "float32");
        Map<String, Tensor> sharded = shardedFit.model().stateDict();
        for (String k : tree.keySet()) {
            assertArrayEquals(tree.get(k).toFloatArray(), sharded.get(k).toFloatArray(), "parameter " + k);
        }
        FitResult half = fit(df, "sharded", 3, "bfloat16");
        assertTrue(half.last().trainAccuracy() > 0.8, "bfloat16 gradients still train: " + half.last().trainAccuracy());
        assertFalse(java.util.Arrays.equals(tree.get("0.weight").toFloatArray(), half.model().stateDict().get("0.weight").toFloatArray()),
                "bfloat16 gradients change the trajectory");
        df.unpersist();
    }

    @Test
    void badSettingsAreRejected() {
        var b = DistributedTrainer.builder().model(() -> new Linear(2, 2)).features("f").label("y", true);
        assertEquals("DistributedTrainer: aggregation must be \"tree\" or \"sharded\" but got \"ring\"",
                assertThrows(IllegalArgumentException.class, () -> b.aggregation("ring", 0).build()).getMessage());
        assertEquals("DistributedTrainer: sharded aggregation needs shards >= 1 but got 0",
                assertThrows(IllegalArgumentException.class, () -> b.aggregation("sharded", 0).build()).getMessage());
        assertEquals("DistributedTrainer: tree aggregation takes shards 0 (it does not shard) but got 4",
                assertThrows(IllegalArgumentException.class, () -> b.aggregation("tree", 4).build()).getMessage());
        assertEquals("DistributedTrainer: gradientPrecision \"bfloat16\" needs aggregation \"sharded\" but got \"tree\"",
                assertThrows(IllegalArgumentException.class, () -> b.aggregation("tree", 0).gradientPrecision("bfloat16").build()).getMessage());
        assertEquals("DistributedTrainer: gradientPrecision must be \"float32\" or \"bfloat16\" but got \"fp8\"",
                assertThrows(IllegalArgumentException.class, () -> b.aggregation("sharded", 2).gradientPrecision("fp8").build()).getMessage());
        assertEquals("DistributedTrainer: sharded aggregation needs localSteps 1 (synchronous steps) but got 4",
                assertThrows(IllegalArgumentException.class,
                        () -> b.aggregation("sharded", 2).gradientPrecision("float32").localSteps(4).build()).getMessage());
    }
}
