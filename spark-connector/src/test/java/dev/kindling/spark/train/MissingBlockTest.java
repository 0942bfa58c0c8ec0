package dev.kindling.spark.train;

import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.SGD;
import dev.kindling.spark.LocalSparkTest;
import dev.kindling.spark.SparkTestSupport;
import dev.kindling.tensor.Tensor;
import org.apache.spark.SparkEnv;
import org.apache.spark.storage.BlockId;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-step jobs read the cached Arrow partitions straight from the block manager
 * ({@link CachedBlocksRDD}); when those blocks are gone mid-fit (evicted, executor lost) the next
 * job runs on the cached RDD's lineage, which rebuilds them, and the fit ends exactly as an
 * uninterrupted one.
 */
class MissingBlockTest extends LocalSparkTest {

    private FitResult fit(Dataset<Row> df, java.util.function.LongConsumer onStep) {
        return DistributedTrainer.builder()
                .model(() -> new Sequential(new Linear(64, 16), new ReLU(), new Linear(16, 10)))
                .optimizer(params -> new SGD(params, SGD.options(0.1).momentum(0.9)))
                .features("features").label("label", true)
                .batchSize(100).epochs(1).maxSteps(6).seed(5)
                .onStep(onStep)
                .build()
                .fit(df, null);
    }

    @Test
    void droppedBlocksAreRebuiltAndTheFitIsUnchanged() throws Exception {
        Dataset<Row> df = SparkTestSupport.digits(spark, 3).cache();
        df.count();
        Map<String, Tensor> expected = fit(df, s -> { }).model().stateDict();
        AtomicInteger dropped = new AtomicInteger();
        Map<String, Tensor> actual = fit(df, step -> {
            if (step == 3) dropped.set(dropRddBlocks());
        }).model().stateDict();
        assertTrue(dropped.get() >= 3, "the cached partitions were dropped after step 3 (" + dropped.get() + " RDD blocks)");
        for (String k : expected.keySet()) {
            assertArrayEquals(expected.get(k).toFloatArray(), actual.get(k).toFloatArray(), "parameter " + k);
        }
        df.unpersist();
    }

    /** Removes every RDD block from this (local mode: the only) block manager, as eviction would. */
    private static int dropRddBlocks() {
        var bm = SparkEnv.get().blockManager();
        var ids = scala.jdk.javaapi.CollectionConverters.asJava(bm.getMatchingBlockIds(BlockId::isRDD));
        for (BlockId id : ids) bm.removeBlock(id, true);
        return ids.size();
    }
}
