package dev.kindling.spark.train;

import dev.kindling.spark.data.PartitionData;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;

import java.util.Iterator;
import java.util.Locale;

/**
 * How a synchronous step brings the partitions' gradient sums to the driver, as chosen with
 * {@link DistributedTrainer.Builder#aggregation} and {@link DistributedTrainer.Builder#gradientPrecision}:
 * <ul>
 * <li>{@code tree} (the default): a {@link TreeSum} of whole partials, depth {@code treeDepth};</li>
 * <li>{@code sharded}: a {@link ShardedSum} over K slices of the gradient, so that no task and not
 *     the driver adds whole gradients; worth it when gradients are tens of MB
 *     (benchmarks/run-scaling.sh measures where).</li>
 * </ul>
 * Gradients travel as float32, or as bfloat16 (half the bytes, summed in float32) with the sharded
 * aggregation. Both modes give the same sums up to the order of float additions.
 */
final class GradientAggregation {
    static final GradientAggregation TREE = new GradientAggregation(false, 0, false);

    final boolean sharded;
    final int shards;
    final boolean bfloat16;

    private GradientAggregation(boolean sharded, int shards, boolean bfloat16) {
        this.sharded = sharded;
        this.shards = shards;
        this.bfloat16 = bfloat16;
    }

    /**
     * Validates the settings: mode "tree" (shards 0) or "sharded" (shards >= 1), precision
     * "float32" or "bfloat16" (sharded only), and sharding only for synchronous steps (a local
     * round averages parameters and optimizer state, which must stay float32).
     */
    static GradientAggregation of(String mode, int shards, String precision, int localSteps) {
        String m = mode == null ? "" : mode.toLowerCase(Locale.ROOT);
        String p = precision == null ? "" : precision.toLowerCase(Locale.ROOT);
        if (!m.equals("tree") && !m.equals("sharded")) {
            throw new IllegalArgumentException("DistributedTrainer: aggregation must be \"tree\" or \"sharded\" but got \"" + mode + "\"");
        }
        if (!p.equals("float32") && !p.equals("bfloat16")) {
            throw new IllegalArgumentException("DistributedTrainer: gradientPrecision must be \"float32\" or \"bfloat16\" but got \"" + precision + "\"");
        }
        boolean sharded = m.equals("sharded");
        if (sharded && shards < 1) {
            throw new IllegalArgumentException("DistributedTrainer: sharded aggregation needs shards >= 1 but got " + shards);
        }
        if (!sharded && shards != 0) {
            throw new IllegalArgumentException("DistributedTrainer: tree aggregation takes shards 0 (it does not shard) but got " + shards);
        }
        boolean bf16 = p.equals("bfloat16");
        if (bf16 && !sharded) {
            throw new IllegalArgumentException("DistributedTrainer: gradientPrecision \"bfloat16\" needs aggregation \"sharded\" but got \"tree\"");
        }
        if (sharded && localSteps != 1) {
            throw new IllegalArgumentException("DistributedTrainer: sharded aggregation needs localSteps 1 (synchronous steps) but got " + localSteps);
        }
        return sharded ? new GradientAggregation(true, shards, bf16) : TREE;
    }

    /** Runs task on every partition and sums the partials this way. */
    Partial sum(JavaRDD<PartitionData> data, Function2<Integer, Iterator<PartitionData>, Iterator<Partial>> task,
                int numPartitions, int treeDepth) {
        return sharded ? ShardedSum.aggregate(data, task, shards, bfloat16) : TreeSum.aggregate(data, task, numPartitions, treeDepth);
    }

    /** Sums partials already computed, one or more per partition, this way. */
    Partial sumPartials(JavaRDD<Partial> partials, int numPartitions, int treeDepth) {
        return sharded ? ShardedSum.aggregate(partials, shards, bfloat16) : TreeSum.aggregate(partials, numPartitions, treeDepth);
    }
}
