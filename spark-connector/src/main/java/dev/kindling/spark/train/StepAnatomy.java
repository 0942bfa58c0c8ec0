package dev.kindling.spark.train;

import dev.kindling.nn.ModelFactory;
import dev.kindling.nn.Module;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * The parts of one synchronous step of {@link DistributedTrainer}, timed one at a time on the
 * running cluster for one model: the executors' forward and backward, shipping the model state to
 * the tasks, summing the partitions' gradients, and the driver's optimizer step. A fit's
 * {@link EpochMetrics} says where an epoch's time went; this says what each part costs as the
 * model and the partition count grow, which is what sizing a cluster needs
 * ({@code benchmarks/run-scaling.sh} tabulates it). Each part runs the trainer's own code on
 * stand-in data (random rows, constant gradients) and returns the wall seconds of one run; take
 * the median of several. Close it to drop the models it left on the executors.
 */
public final class StepAnatomy implements AutoCloseable {
    /** Executor side: one constant gradient per size, so the timed jobs do not build them. */
    private static final Map<Integer, float[]> GRADIENTS = new ConcurrentHashMap<>();

    private final JavaSparkContext jsc;
    private final ModelFactory model;
    private final int partitions;
    /** Keys the models this probe keeps on the executors, as a fit's id does. */
    private final String probeId = "step-anatomy-" + UUID.randomUUID();
    private final Module driverModel;

    /** Probes the steps of model on partitions partitions (one task each, as a fit's data would have). */
    public StepAnatomy(JavaSparkContext jsc, ModelFactory model, int partitions) {
        if (partitions < 1) throw new IllegalArgumentException("StepAnatomy: partitions must be >= 1 but got " + partitions);
        this.jsc = jsc;
        this.model = model;
        this.partitions = partitions;
        this.driverModel = DistributedTrainer.buildModel(model, 0);
    }

    /** The model's parameter count. */
    public long parameters() { return new FlatLayout(driverModel).paramSize(); }

    /**
     * The slowest partition's forward and backward (summed cross-entropy against class 0) on rows
     * random rows of width floats, with every partition computing at once as in a step.
     */
    public double computeSeconds(int rows, int width) {
        ModelFactory factory = model;
        String id = probeId;
        return tasks().map(i -> {
            Module m = ExecutorModels.borrow(id, factory, Device.CPU);
            try {
                Tensor x = Tensors.rand(new int[] {rows, width});
                Tensor y = Tensors.fromArray(new long[rows], rows);
                m.zeroGrad();
                long t0 = System.nanoTime();
                TrainingLoss.crossEntropy().sum(m.forward(x), y, null).backward();
                return (System.nanoTime() - t0) / 1e9;
            } finally {
                ExecutorModels.release(id, Device.CPU, m);
            }
        }).reduce(Math::max);
    }

    /**
     * A job whose tasks receive the model's state as a step ships it (inside the task when small,
     * as a broadcast otherwise) and load it into their model; with withState false, the same job
     * with a one-float state and no loading, so the difference is the state's own cost.
     */
    public double shipmentSeconds(boolean withState) {
        ModelState state = withState ? ModelState.of(driverModel)
                : new ModelState(new float[1], Map.of(), OptimizerState.EMPTY, new double[0]);
        ModelFactory factory = model;
        String id = probeId;
        long t0 = System.nanoTime();
        StateShipment shipment = StateShipment.of(jsc, state);
        try {
            tasks().foreach(i -> {
                ModelState s = shipment.value();
                if (!withState) return;
                Module m = ExecutorModels.borrow(id, factory, Device.CPU);
                ExecutorTask.load(m, s);
                ExecutorModels.release(id, Device.CPU, m);
            });
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            shipment.release();
        }
    }

    /**
     * Summing one gradient of floats floats per partition the way a fit configured with
     * {@code aggregation(mode, shards)} and {@code gradientPrecision(precision)} does (tree: depth 2).
     * The partials are made inside the timed job, from a gradient each executor built beforehand.
     */
    public double aggregationSeconds(int floats, String mode, int shards, String precision) {
        GradientAggregation how = GradientAggregation.of(mode, shards, precision, 1);
        tasks().foreach(i -> GRADIENTS.computeIfAbsent(floats, StepAnatomy::constantGradient));
        JavaRDD<Partial> partials = tasks().map(i ->
                Partial.ofStep(i, GRADIENTS.computeIfAbsent(floats, StepAnatomy::constantGradient), new float[0], 1, 1, 0));
        long t0 = System.nanoTime();
        Partial total = how.sumPartials(partials, partitions, 2);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (total.modelSum().length != floats) {
            throw new IllegalStateException("StepAnatomy: summed " + total.modelSum().length + " floats, not " + floats);
        }
        return seconds;
    }

    /**
     * The driver's part of a step, as a timer to call repeatedly: the summed gradient into the
     * model (divided by batch), the optimizer's step, and the state for the next step.
     */
    public DoubleSupplier driverStep(OptimizerFactory optimizer, int batch) {
        Module m = DistributedTrainer.buildModel(model, 0);
        FlatLayout layout = new FlatLayout(m);
        var opt = optimizer.apply(m.parameters());
        float[] gradient = constantGradient(layout.paramSize());
        return () -> {
            long t0 = System.nanoTime();
            layout.setGrads(m, gradient, 1f / batch);
            opt.step();
            opt.zeroGrad();
            ModelState.of(m, layout, OptimizerState.EMPTY, new double[] {0});
            return (System.nanoTime() - t0) / 1e9;
        };
    }

    /** Drops the models and gradients this probe left on the executors. */
    @Override
    public void close() {
        String id = probeId;
        tasks().foreach(i -> {
            ExecutorModels.drop(id);
            GRADIENTS.clear();
        });
    }

    private JavaRDD<Integer> tasks() {
        List<Integer> indices = new ArrayList<>(partitions);
        for (int i = 0; i < partitions; i++) indices.add(i);
        return jsc.parallelize(indices, partitions);
    }

    private static float[] constantGradient(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (i % 17) * 1e-3f;
        return v;
    }
}
