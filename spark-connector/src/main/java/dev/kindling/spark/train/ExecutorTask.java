package dev.kindling.spark.train;

import dev.kindling.backend.cpu.Parallel;
import dev.kindling.nn.ModelFactory;
import dev.kindling.nn.Module;
import dev.kindling.spark.data.PartitionData;
import dev.kindling.spark.gpu.GpuAssignment;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import org.apache.spark.TaskContext;

import java.util.Map;
import java.util.function.Supplier;

/**
 * What every Kindling task does around its work on an executor: use {@code spark.task.cpus}
 * threads for kernels (and OpenBLAS), draw random numbers (dropout) from a generator fixed by the
 * fit's seed, the step and the partition, load the broadcast model state into a pooled model, and
 * choose the device the task computes on (the fit's device setting and Spark's GPU assignment).
 *
 * <p>Public for {@code ml}'s inference tasks; not user API.
 */
public final class ExecutorTask {
    private ExecutorTask() {}

    /**
     * The device a fit's or an inference's task computes on under the stage's setting ("auto",
     * "cpu", "cuda", "cuda:N"), from the GPU Spark assigned to the task; see {@link GpuAssignment#forFit}.
     */
    public static Device device(String setting) { return GpuAssignment.forFit(setting); }

    /**
     * The rows of one step from a cached partition, on device: heap tensors on the CPU (as
     * always), else gathered from the fit's device copy of the partition.
     */
    static Tensor[] gather(String fitId, PartitionData data, int[] rows, Device device) {
        return device.isCpu() ? data.gather(rows) : DeviceBatches.gather(fitId, data, rows, device);
    }

    public static <T> T run(Supplier<T> body) {
        TaskContext tc = TaskContext.get();
        if (tc != null) Parallel.setThreadLimitForCurrentThread(Math.max(1, tc.cpus()));
        try {
            return body.get();
        } finally {
            Generator.setThreadDefault(null);
            if (tc != null) Parallel.setThreadLimitForCurrentThread(null);
        }
    }

    /**
     * Makes the task's random numbers (dropout masks) a function of the seed only. Called after the
     * model is borrowed and loaded: building a model draws numbers too, and whether a pooled model
     * is reused depends on scheduling.
     */
    static void seedRandom(long seed) {
        Generator.setThreadDefault(new Generator(seed));
    }

    /**
     * A model built by factory (its initial weights drawn from a generator of its own, so the
     * process-wide one is left alone) on device, with the broadcast state loaded.
     */
    public static Module modelFrom(ModelFactory factory, ModelState state, Device device) {
        Module m = DistributedTrainer.buildModel(factory, 0).to(device);
        load(m, state);
        return m;
    }

    /** Loads parameters, float buffers and integer buffers into m. */
    static FlatLayout load(Module m, ModelState state) {
        FlatLayout layout = new FlatLayout(m);
        float[] flat = state.flat();
        float[] params = java.util.Arrays.copyOfRange(flat, 0, layout.paramSize());
        layout.loadParams(m, params);
        if (layout.bufferSize() > 0) layout.loadBuffers(m, java.util.Arrays.copyOfRange(flat, layout.paramSize(), flat.length));
        Map<String, Tensor> buffers = m.namedBuffers();
        for (Map.Entry<String, Long> e : state.intBuffers().entrySet()) {
            Tensor b = buffers.get(e.getKey());
            if (b != null) {
                try (var g = dev.kindling.autograd.GradMode.noGrad()) {
                    b.fill_(e.getValue());
                }
            }
        }
        return layout;
    }
}
