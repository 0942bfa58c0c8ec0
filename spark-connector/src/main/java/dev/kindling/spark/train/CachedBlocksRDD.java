package dev.kindling.spark.train;

import dev.kindling.spark.data.PartitionData;
import dev.kindling.spark.internal.SparkInternals;
import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import scala.collection.immutable.Nil$;
import scala.collection.immutable.Seq;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The cached partitions of a {@link dev.kindling.spark.data.CachedDataset}, read straight from
 * the block managers that hold them, by an RDD with no lineage.
 *
 * <p>Why: every task of a job deserializes its RDD with the RDD's whole lineage, and the lineage
 * of a cached DataFrame conversion is the SQL plan's RDDs and closures; with one job per
 * synchronous training step that was a large part of a small model's step (JFR, local[2]). This
 * RDD carries only the cached RDD's id. It runs where the blocks are (their locations are its
 * preferred ones) and fetches a block from another executor otherwise; a block that is gone
 * (evicted, or its executor lost) fails the task with {@link #MISSING}, and the caller then runs
 * the job on the cached RDD itself, which recomputes and caches the partition again.
 *
 * <p>Where the blocks are is looked up at most once per {@link #LOCATIONS_TTL_NANOS} rather than
 * for every job: each lookup is a round trip to the block manager master on the DAG scheduler's
 * thread (0.13-0.33 ms per call on average, one call per partition and job, measured on local[2]
 * while a synchronous fit ran, against 4-7 ms for a whole step of a tiny model). A stale answer costs locality only: the
 * task reads its block wherever it is, and Spark skips a preferred executor that is gone.
 */
final class CachedBlocksRDD extends RDD<PartitionData> {
    /** Starts the message of the error a task raises when its block is gone. */
    static final String MISSING = "Kindling: cached training block missing";
    private static final ClassTag<PartitionData> TAG = ClassTag$.MODULE$.apply(PartitionData.class);

    /** How long the blocks' locations are reused before they are looked up again, by default. */
    static final long LOCATIONS_TTL_NANOS = 1_000_000_000L;

    private final int cachedId;
    private final int numPartitions;
    private final long locationsTtlNanos;
    /** The cached RDD, on the driver only: where its blocks are. */
    private final transient RDD<PartitionData> cached;
    /** On the driver: each partition's block locations as last looked up, and when. */
    private transient Seq<String>[] locations;
    private transient long locatedAt;

    CachedBlocksRDD(RDD<PartitionData> cached) {
        this(cached, LOCATIONS_TTL_NANOS);
    }

    /** As {@link #CachedBlocksRDD(RDD)}, reusing looked-up locations for locationsTtlNanos (tests vary it). */
    @SuppressWarnings("unchecked")
    CachedBlocksRDD(RDD<PartitionData> cached, long locationsTtlNanos) {
        super(cached.context(), (Seq<org.apache.spark.Dependency<?>>) (Seq<?>) Nil$.MODULE$, TAG);
        this.cached = cached;
        this.cachedId = cached.id();
        this.numPartitions = cached.getNumPartitions();
        this.locationsTtlNanos = locationsTtlNanos;
    }

    @Override
    public Partition[] getPartitions() {
        Partition[] parts = new Partition[numPartitions];
        for (int i = 0; i < numPartitions; i++) parts[i] = new Index(i);
        return parts;
    }

    @Override
    public synchronized Seq<String> getPreferredLocations(Partition split) {
        long now = System.nanoTime();
        if (locations == null || now - locatedAt >= locationsTtlNanos) {
            @SuppressWarnings("unchecked")
            Seq<String>[] fresh = new Seq[numPartitions];
            for (int i = 0; i < numPartitions; i++) fresh[i] = SparkInternals.preferredLocations(cached, i);
            locations = fresh;
            locatedAt = now;
        }
        return locations[split.index()];
    }

    /** Makes the next job look the blocks up again (after a block was found missing and rebuilt). */
    synchronized void forgetLocations() {
        locations = null;
    }

    @Override
    public scala.collection.Iterator<PartitionData> compute(Partition split, TaskContext context) {
        // The read lock this takes is held until the task ends (Spark's executor releases a task's
        // locks then), so the block, and its Arrow memory, cannot be dropped while the task uses it.
        return SparkInternals.cachedPartition(cachedId, split.index(), PartitionData.class).orElseThrow(
                () -> new IllegalStateException(MISSING + ": rdd_" + cachedId + "_" + split.index() + " is in no block manager"));
    }

    /** A partition: its index alone. */
    private record Index(int index) implements Partition { }

    /** Whether e, or a cause of it, says a task found its block missing. */
    static boolean isMissingBlock(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(MISSING)) return true;
        }
        return false;
    }
}
