package dev.kindling.spark.train;

import dev.kindling.nn.Module;
import dev.kindling.tensor.Tensor;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the driver broadcasts each step: the parameters and float buffers as one flat float[]
 * (see {@link FlatLayout}), the integer buffers, and in local-steps mode the averaged
 * optimizer state and the groups' learning rates.
 *
 * <p>Public for {@code ml}'s inference; not user API.
 */
public record ModelState(float[] flat, Map<String, Long> intBuffers, OptimizerState optimizer, double[] lrs) implements Serializable {

    /** The model's parameters and buffers laid out by layout, with the given optimizer state and learning rates. */
    static ModelState of(Module model, FlatLayout layout, OptimizerState optimizer, double[] lrs) {
        float[] params = layout.params(model);
        float[] buffers = layout.buffers(model);
        float[] flat = new float[params.length + buffers.length];
        System.arraycopy(params, 0, flat, 0, params.length);
        System.arraycopy(buffers, 0, flat, params.length, buffers.length);
        Map<String, Long> ints = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : model.namedBuffers().entrySet()) {
            if (!e.getValue().dtype().isFloatingPoint()) ints.put(e.getKey(), e.getValue().itemLong());
        }
        return new ModelState(flat, ints, optimizer, lrs);
    }

    /** The model alone, as inference broadcasts it (no optimizer state). */
    public static ModelState of(Module model) {
        return of(model, new FlatLayout(model), OptimizerState.EMPTY, new double[0]);
    }
}
