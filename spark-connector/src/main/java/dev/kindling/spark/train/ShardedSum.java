package dev.kindling.spark.train;

import dev.kindling.spark.data.PartitionData;
import dev.kindling.spark.data.SparkErrors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * Sums one {@link Partial} per partition with the gradient cut into K shards: every partition
 * sends shard k of its gradient sum to reduce task k (a shuffle), each of the K tasks adds its
 * shard over all partitions, and the driver only places the K summed shards side by side. No task
 * and not the driver merges whole gradients: with P partitions and n parameters a tree sum's last
 * level adds ~P/fanIn whole vectors in one place, here each task adds P vectors of n/K. One more
 * task sums the small rest (buffers, loss, counts) the {@link TreeSum} way.
 *
 * <p>Each shard adds its slices in partition order, starting from the first slice itself, so the
 * result is the same bit for bit run after run, and equal to a one-level tree sum; a deeper tree
 * adds in another order, which changes the float rounding only. With bfloat16 the slices travel
 * rounded to bfloat16 (see {@link BFloat16}) and are summed in float32.
 */
final class ShardedSum {
    private ShardedSum() {}

    /** Runs task on every partition of data and sums the partials in shards. */
    static Partial aggregate(JavaRDD<PartitionData> data, Function2<Integer, Iterator<PartitionData>, Iterator<Partial>> task,
                             int shards, boolean bfloat16) {
        return aggregate(data.mapPartitionsWithIndex(task, false), shards, bfloat16);
    }

    static Partial aggregate(JavaRDD<Partial> partials, int shards, boolean bfloat16) {
        if (shards < 1) throw new IllegalArgumentException("aggregation shards must be >= 1 but got " + shards);
        List<GradientSlice> sums;
        try {
            // groupByKey's hash partitioner sends the integer key k to reduce task k: one task per shard, one for the rest.
            sums = partials.flatMapToPair(p -> split(p, shards, bfloat16).iterator())
                    .groupByKey(shards + 1)
                    .map(t -> sumShard(t._1(), t._2(), shards))
                    .collect();
        } catch (Exception e) {
            throw SparkErrors.unwrap(e);
        }
        return assemble(sums);
    }

    /** A partial as K gradient slices keyed by shard, and its rest keyed by K. */
    static List<Tuple2<Integer, GradientSlice>> split(Partial p, int shards, boolean bfloat16) {
        List<Tuple2<Integer, GradientSlice>> out = new ArrayList<>(shards + 1);
        if (p.vectors == null) {
            out.add(new Tuple2<>(shards, new GradientSlice(p.index, shards, 0, null, null, p)));
            return out;
        }
        float[] g = p.vectors[0];
        for (int k = 0; k < shards; k++) {
            int from = (int) ((long) k * g.length / shards);
            int to = (int) ((long) (k + 1) * g.length / shards);
            GradientSlice s = bfloat16 ? new GradientSlice(p.index, k, from, null, BFloat16.encode(g, from, to), null)
                    : new GradientSlice(p.index, k, from, Arrays.copyOfRange(g, from, to), null, null);
            out.add(new Tuple2<>(k, s));
        }
        float[][] restVectors = p.vectors.clone();
        restVectors[0] = new float[0];
        Partial rest = new Partial(p.index, restVectors, p.lossSum, p.count, p.correct, p.computeNanos).weighted(p.weightSum);
        rest.stateKeys = p.stateKeys;
        rest.optimizerStep = p.optimizerStep;
        out.add(new Tuple2<>(shards, new GradientSlice(p.index, shards, 0, null, null, rest)));
        return out;
    }

    /** Shard k summed over the partitions in partition order (or, for k = K, the rests summed). */
    static GradientSlice sumShard(int shard, Iterable<GradientSlice> slices, int shards) {
        List<GradientSlice> sorted = new ArrayList<>();
        for (GradientSlice s : slices) sorted.add(s);
        sorted.sort(Comparator.comparingInt(s -> s.partition));
        if (shard == shards) {
            List<Partial> rests = new ArrayList<>(sorted.size());
            for (GradientSlice s : sorted) rests.add(s.rest);
            return new GradientSlice(-1, shard, 0, null, null, Partial.sum(0, rests));
        }
        // Starting from the first slice itself (not from zeros) keeps -0.0 and matches a one-level tree sum bit for bit.
        float[] acc = sorted.get(0).values != null ? sorted.get(0).values.clone() : sorted.get(0).floats();
        for (int i = 1; i < sorted.size(); i++) {
            GradientSlice s = sorted.get(i);
            if (s.values != null) {
                for (int j = 0; j < acc.length; j++) acc[j] += s.values[j];
            } else {
                BFloat16.addTo(acc, s.bfloat16);
            }
        }
        return new GradientSlice(-1, shard, sorted.get(0).from, acc, null, null);
    }

    /** The rests' sum with the shards' sums laid side by side as its gradient. */
    static Partial assemble(List<GradientSlice> sums) {
        Partial total = null;
        int length = 0;
        for (GradientSlice s : sums) {
            if (s.rest != null) total = s.rest;
            else length += s.length();
        }
        if (total == null) throw new IllegalStateException("the sharded sum returned no rest partial");
        if (total.vectors == null) return total;
        float[] gradient = new float[length];
        for (GradientSlice s : sums) if (s.rest == null) System.arraycopy(s.values, 0, gradient, s.from, s.values.length);
        total.vectors[0] = gradient;
        return total;
    }
}
