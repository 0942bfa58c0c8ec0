package dev.kindling.spark.train;

import java.io.Serializable;

/**
 * One shard of one partition's gradient sum on its way to the task that sums that shard over all
 * partitions: elements [from, from + length) of the flat gradient, as float32 or, when the fit
 * asks for it, as bfloat16 (half the bytes). After the shard's sum it carries the summed float32
 * values. The slice that carries {@code rest} instead holds everything of the partial but its
 * gradient (buffers, loss, counts), which is small and summed by one task.
 */
final class GradientSlice implements Serializable {
    final int partition;
    final int shard;
    final int from;
    final float[] values;
    final short[] bfloat16;
    final Partial rest;

    GradientSlice(int partition, int shard, int from, float[] values, short[] bfloat16, Partial rest) {
        this.partition = partition;
        this.shard = shard;
        this.from = from;
        this.values = values;
        this.bfloat16 = bfloat16;
        this.rest = rest;
    }

    int length() { return values != null ? values.length : bfloat16 != null ? bfloat16.length : 0; }

    /** The elements as float32 (decoded when they travelled as bfloat16). */
    float[] floats() {
        if (values != null) return values;
        float[] out = new float[bfloat16.length];
        BFloat16.addTo(out, bfloat16);
        return out;
    }
}
