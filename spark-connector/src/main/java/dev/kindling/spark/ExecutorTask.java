package dev.kindling.spark;

import dev.kindling.backend.cpu.Parallel;
import dev.kindling.nn.Module;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import org.apache.spark.TaskContext;

import java.util.Map;
import java.util.function.Supplier;

/**
 * What every Kindling task does around its work on an executor: use {@code spark.task.cpus}
 * threads for kernels (and OpenBLAS), draw random numbers (dropout) from a generator fixed by the
 * fit's seed, the step and the partition, and load the broadcast model state into a pooled model.
 */
final class ExecutorTask {
    private ExecutorTask() {}

    /**
     * The device executors compute on, chosen here and nowhere else: the CPU backend for now. A GPU
     * executor will pick its CUDA device here (from the task's GPU resources); models and batches
     * go to whatever this returns.
     */
    static Device device() { return Device.CPU; }

    /** The rows of one step from a cached partition, on the executors' device. */
    static Tensor[] gather(PartitionData data, int[] rows) {
        Tensor[] xy = data.gather(rows);
        for (int i = 0; i < xy.length; i++) if (xy[i] != null) xy[i] = xy[i].to(device());
        return xy;
    }

    static <T> T run(Supplier<T> body) {
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

    /** Loads parameters, float buffers and integer buffers into m. */
    static ParameterVector load(Module m, ModelState state) {
        ParameterVector pv = new ParameterVector(m);
        float[] flat = state.flat();
        float[] params = java.util.Arrays.copyOfRange(flat, 0, pv.paramSize());
        pv.loadParams(m, params);
        if (pv.bufferSize() > 0) pv.loadBuffers(m, java.util.Arrays.copyOfRange(flat, pv.paramSize(), flat.length));
        Map<String, Tensor> buffers = m.namedBuffers();
        for (Map.Entry<String, Long> e : state.intBuffers().entrySet()) {
            Tensor b = buffers.get(e.getKey());
            if (b != null) {
                try (var g = dev.kindling.autograd.GradMode.noGrad()) {
                    b.fill_(e.getValue());
                }
            }
        }
        return pv;
    }
}
