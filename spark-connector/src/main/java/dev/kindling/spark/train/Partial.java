package dev.kindling.spark.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What one partition (or a group of them, after summing) sends back from a training step:
 * summed vectors (gradients or parameters, buffer statistics), the loss sum, the sample count,
 * counters for metrics, and the executor time spent. {@link #sum} adds partials in the order of
 * their index, which is what makes a whole fit bitwise reproducible (see {@link TreeSum}).
 */
final class Partial implements Serializable {
    final int index;
    final float[][] vectors;
    double lossSum;
    long count;
    /** The rows' instance weights summed (= count without a weight column): what gradient and loss sums are divided by. */
    double weightSum;
    long correct;
    long computeNanos;
    /** Local-steps mode: the optimizer-state keys of vectors[2..] and the optimizer's step count. */
    String[] stateKeys;
    long optimizerStep;

    Partial(int index, float[][] vectors, double lossSum, long count, long correct, long computeNanos) {
        this.index = index;
        this.vectors = vectors;
        this.lossSum = lossSum;
        this.count = count;
        this.weightSum = count;
        this.correct = correct;
        this.computeNanos = computeNanos;
    }

    /** A synchronous step's sums over one partition's rows: the gradient sum and the buffers weighted by rows. */
    static Partial ofStep(int index, float[] gradientSum, float[] bufferSum, double lossSum, long count, long correct) {
        return new Partial(index, new float[][] {gradientSum, bufferSum}, lossSum, count, correct, 0);
    }

    /**
     * A local round's result on one partition, every vector weighted by the rows trained on: the
     * parameters, the buffers and the optimizer's per-parameter state.
     */
    static Partial ofRound(int index, float[] parameterSum, float[] bufferSum, OptimizerState stateSum, double lossSum, long count,
                           long correct) {
        float[][] vectors = new float[2 + stateSum.keys().length][];
        vectors[0] = parameterSum;
        vectors[1] = bufferSum;
        System.arraycopy(stateSum.values(), 0, vectors, 2, stateSum.keys().length);
        Partial p = new Partial(index, vectors, lossSum, count, correct, 0);
        p.stateKeys = stateSum.keys();
        p.optimizerStep = stateSum.step();
        return p;
    }

    /** An evaluation's sums: no vectors. */
    static Partial ofEvaluation(int index, double lossSum, long count, long correct) {
        return new Partial(index, null, lossSum, count, correct, 0);
    }

    /** The gradient sum (synchronous step) or the row-weighted parameter sum (local round). */
    float[] modelSum() { return vectors[0]; }

    /** The row-weighted sum of the float buffers. */
    float[] bufferSum() { return vectors[1]; }

    /** A local round's row-weighted optimizer state sum, with the largest step count any partition reached. */
    OptimizerState optimizerStateSum() {
        float[][] values = java.util.Arrays.copyOfRange(vectors, 2, vectors.length);
        return new OptimizerState(stateKeys == null ? new String[0] : stateKeys, values, optimizerStep);
    }

    /** This partial with its rows' weight sum set (for rows with instance weights). */
    Partial weighted(double sum) {
        weightSum = sum;
        return this;
    }

    /** The sum of the weights of rows (their count when w is null). */
    static double weightOf(dev.kindling.tensor.Tensor w, int rows) {
        return w == null ? rows : w.to(dev.kindling.tensor.DType.FLOAT64).sum().item();
    }

    /** A partition that contributed nothing this step. */
    static Partial empty(int index) {
        return new Partial(index, null, 0, 0, 0, 0);
    }

    int index() { return index; }

    /** Sums partials in increasing index order into one with the given index. */
    static Partial sum(int index, Iterable<Partial> parts) {
        List<Partial> sorted = new ArrayList<>();
        for (Partial p : parts) sorted.add(p);
        sorted.sort(Comparator.comparingInt(Partial::index));
        float[][] acc = null;
        double loss = 0;
        long count = 0;
        double weight = 0;
        long correct = 0;
        long nanos = 0;
        String[] keys = null;
        long step = 0;
        for (Partial p : sorted) {
            loss += p.lossSum;
            count += p.count;
            weight += p.weightSum;
            correct += p.correct;
            nanos = Math.max(nanos, p.computeNanos);
            if (p.vectors == null) continue;
            if (keys == null) keys = p.stateKeys;
            else if (p.stateKeys != null && !java.util.Arrays.equals(keys, p.stateKeys)) {
                throw new IllegalStateException("partitions returned different optimizer state keys: "
                        + java.util.Arrays.toString(keys) + " and " + java.util.Arrays.toString(p.stateKeys));
            }
            step = Math.max(step, p.optimizerStep);
            if (acc == null) {
                acc = new float[p.vectors.length][];
                for (int v = 0; v < acc.length; v++) acc[v] = p.vectors[v].clone();
            } else {
                for (int v = 0; v < acc.length; v++) {
                    float[] a = acc[v];
                    float[] b = p.vectors[v];
                    for (int i = 0; i < a.length; i++) a[i] += b[i];
                }
            }
        }
        Partial out = new Partial(index, acc, loss, count, correct, nanos);
        out.weightSum = weight;
        out.stateKeys = keys;
        out.optimizerStep = step;
        return out;
    }
}
