package dev.kindling.spark.train;

import dev.kindling.spark.LocalSparkTest;
import dev.kindling.spark.data.PartitionData;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.BlockId;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CachedBlocksRDD} reuses the blocks' looked-up locations for a while instead of asking
 * the block manager master on every job, and looks again when told the blocks were rebuilt.
 */
class CachedBlocksLocationsTest extends LocalSparkTest {

    @SuppressWarnings({"unchecked", "rawtypes"})
    private RDD<PartitionData> cachedRdd() {
        // Only the blocks' locations are read here, never their values, so any cached RDD will do.
        JavaRDD<Integer> rdd = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(1, 2, 3, 4), 2).cache();
        rdd.count();
        anotherJob(); // Spark keeps the locations it saw before count cached the blocks until the next job
        return (RDD) rdd.rdd();
    }

    /**
     * Runs a job on other data: Spark's scheduler forgets its own copy of the cached blocks'
     * locations when a job is submitted, so the lookups below see the blocks as they are now.
     */
    private static void anotherJob() {
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(0), 1).count();
    }

    private static List<String> locations(CachedBlocksRDD blocks, int partition) {
        return scala.jdk.javaapi.CollectionConverters.asJava(blocks.getPreferredLocations(blocks.partitions()[partition]));
    }

    @Test
    void locationsAreReusedUntilForgotten() {
        RDD<PartitionData> cached = cachedRdd();
        CachedBlocksRDD blocks = new CachedBlocksRDD(cached, Long.MAX_VALUE);
        List<String> before = locations(blocks, 1);
        assertEquals(1, before.size(), "one executor holds partition 1's block: " + before);
        assertTrue(before.get(0).startsWith("executor_"), "an executor location: " + before);

        dropRddBlocks(cached.id());
        anotherJob();
        assertEquals(before, locations(blocks, 1), "within the time to live the earlier answer is reused");
        blocks.forgetLocations();
        assertTrue(locations(blocks, 1).isEmpty(), "after forgetLocations the block, now gone, has no location");
        cached.unpersist(true);
    }

    @Test
    void locationsAreLookedUpAgainOnceStale() {
        RDD<PartitionData> cached = cachedRdd();
        CachedBlocksRDD blocks = new CachedBlocksRDD(cached, 0);
        assertFalse(locations(blocks, 0).isEmpty(), "partition 0's block is cached");
        dropRddBlocks(cached.id());
        anotherJob();
        assertTrue(locations(blocks, 0).isEmpty(), "with no time to live every call looks again");
        cached.unpersist(true);
    }

    /** Removes rddId's blocks from this (local mode: the only) block manager, as eviction would. */
    private static void dropRddBlocks(int rddId) {
        var bm = SparkEnv.get().blockManager();
        var ids = scala.jdk.javaapi.CollectionConverters.asJava(
                bm.getMatchingBlockIds(id -> id.isRDD() && id.name().startsWith("rdd_" + rddId + "_")));
        for (BlockId id : ids) bm.removeBlock(id, true);
    }
}
