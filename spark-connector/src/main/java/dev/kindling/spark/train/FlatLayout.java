package dev.kindling.spark.train;

import dev.kindling.autograd.AutogradMeta;
import dev.kindling.nn.Module;
import dev.kindling.nn.utils.ParameterVectors;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which of a model's tensors travel between driver and executors, and in what order: its
 * parameters (or their gradients) and its floating point buffers (BatchNorm running statistics),
 * each group laid end to end in state-dict order by core's
 * {@link ParameterVectors#parametersToVector} - the form in which the driver broadcasts a model
 * and executors send gradients back. Integer buffers (num_batches_tracked) are kept by the driver.
 * The names are fixed when the layout is made, so every model built by the same factory (on any
 * executor) uses the same order.
 */
final class FlatLayout {
    private final List<String> params = new ArrayList<>();
    private final List<String> buffers = new ArrayList<>();
    private final int paramSize;
    private final int bufferSize;

    FlatLayout(Module model) {
        int p = 0;
        for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
            requireFloat32(e.getKey(), e.getValue());
            params.add(e.getKey());
            p += e.getValue().numel();
        }
        int b = 0;
        for (Map.Entry<String, Tensor> e : model.namedBuffers().entrySet()) {
            if (!e.getValue().dtype().isFloatingPoint()) continue;
            requireFloat32(e.getKey(), e.getValue());
            buffers.add(e.getKey());
            b += e.getValue().numel();
        }
        this.paramSize = p;
        this.bufferSize = b;
    }

    private static void requireFloat32(String name, Tensor t) {
        if (t.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("distributed training needs float32 parameters and buffers, but '" + name + "' is " + t.dtype());
        }
    }

    int paramSize() { return paramSize; }

    int bufferSize() { return bufferSize; }

    float[] params(Module m) { return flatten(select(m.namedParameters(), params, false), paramSize); }

    /** Gradients in parameter order; a parameter without a gradient contributes zeros. */
    float[] grads(Module m) { return flatten(select(m.namedParameters(), params, true), paramSize); }

    float[] buffers(Module m) { return flatten(select(m.namedBuffers(), buffers, false), bufferSize); }

    void loadParams(Module m, float[] v) { load(select(m.namedParameters(), params, false), v); }

    void loadBuffers(Module m, float[] v) { load(select(m.namedBuffers(), buffers, false), v); }

    /** Sets every parameter's gradient to v (scaled). */
    void setGrads(Module m, float[] v, float scale) {
        Map<String, Tensor> named = m.namedParameters();
        int off = 0;
        for (String name : params) {
            Tensor p = named.get(name);
            float[] slice = new float[p.numel()];
            for (int i = 0; i < slice.length; i++) slice[i] = v[off + i] * scale;
            p.setGrad(Tensors.fromArray(slice, p.shape()));
            off += slice.length;
        }
    }

    /** The named tensors (their gradients, zeros where there is none), detached, in layout order. */
    private static List<Tensor> select(Map<String, Tensor> named, List<String> names, boolean grad) {
        List<Tensor> out = new ArrayList<>(names.size());
        for (String name : names) {
            Tensor t = named.get(name);
            Tensor src = grad ? AutogradMeta.peekGrad(t) : t; // copied out at once: the gradient stays releasable
            out.add(src == null ? Tensors.zerosLike(t) : src.detach());
        }
        return out;
    }

    private static float[] flatten(List<Tensor> tensors, int size) {
        // To the host for treeAggregate; a no-op for CPU tensors.
        return tensors.isEmpty() ? new float[size] : ParameterVectors.parametersToVector(tensors).to(Device.CPU).toFloatArray();
    }

    private static void load(List<Tensor> tensors, float[] v) {
        if (tensors.isEmpty()) return;
        ParameterVectors.vectorToParameters(Tensors.fromArray(v).to(tensors.get(0).device()), tensors);
    }
}
