package dev.kindling.spark.train;

import dev.kindling.spark.data.CachedDataset;
import dev.kindling.spark.data.PartitionData;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;

/**
 * Runs a fit's per-step jobs over a {@link CachedDataset}: on its blocks through a
 * {@link CachedBlocksRDD} (no lineage to ship with every task), and on the cached RDD itself when
 * a block has gone, which rebuilds it. Either way each partition sees the same data, so the sums,
 * and the fit, are the same.
 */
final class CachedSteps {
    private static final Logger LOG = LoggerFactory.getLogger(CachedSteps.class);

    private final CachedDataset data;
    private final CachedBlocksRDD blockRdd;
    private final JavaRDD<PartitionData> blocks;

    CachedSteps(CachedDataset data) {
        this.data = data;
        this.blockRdd = new CachedBlocksRDD(data.rdd().rdd());
        this.blocks = blockRdd.toJavaRDD();
    }

    /** {@link TreeSum#aggregate(JavaRDD, Function2, int, int)} of task over the data's partitions. */
    Partial aggregate(Function2<Integer, Iterator<PartitionData>, Iterator<Partial>> task, int depth) {
        return aggregate(GradientAggregation.TREE, task, depth);
    }

    /** Task over the data's partitions, its partials summed the way {@code how} says (tree or sharded). */
    Partial aggregate(GradientAggregation how, Function2<Integer, Iterator<PartitionData>, Iterator<Partial>> task, int depth) {
        try {
            return how.sum(blocks, task, data.numPartitions(), depth);
        } catch (RuntimeException e) {
            if (!CachedBlocksRDD.isMissingBlock(e)) throw e;
            LOG.warn("A cached partition was gone ({}); running this job on the cached RDD, which rebuilds it", e.getMessage());
            blockRdd.forgetLocations();
            return how.sum(data.rdd(), task, data.numPartitions(), depth);
        }
    }
}
