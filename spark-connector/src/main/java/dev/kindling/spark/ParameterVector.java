package dev.kindling.spark;

import dev.kindling.autograd.GradMode;
import dev.kindling.nn.Module;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model's parameters (or their gradients) and its floating point buffers (BatchNorm running
 * statistics) laid end to end in one float[] in state-dict order: the form in which the driver
 * broadcasts a model and executors send gradients back. Integer buffers (num_batches_tracked) are
 * kept by the driver.
 */
final class ParameterVector {
    private final List<String> params = new ArrayList<>();
    private final List<String> buffers = new ArrayList<>();
    private final int paramSize;
    private final int bufferSize;

    ParameterVector(Module model) {
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

    float[] params(Module m) { return gather(m.namedParameters(), params, paramSize, false); }

    /** Gradients in parameter order; a parameter without a gradient contributes zeros. */
    float[] grads(Module m) { return gather(m.namedParameters(), params, paramSize, true); }

    float[] buffers(Module m) { return gather(m.namedBuffers(), buffers, bufferSize, false); }

    void loadParams(Module m, float[] v) { scatter(m.namedParameters(), params, v); }

    void loadBuffers(Module m, float[] v) { scatter(m.namedBuffers(), buffers, v); }

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

    private static float[] gather(Map<String, Tensor> named, List<String> names, int size, boolean grad) {
        float[] out = new float[size];
        int off = 0;
        for (String name : names) {
            Tensor t = named.get(name);
            Tensor src = grad ? t.grad() : t;
            int n = t.numel();
            if (src != null) System.arraycopy(src.detach().contiguous().toFloatArray(), 0, out, off, n);
            off += n;
        }
        return out;
    }

    private static void scatter(Map<String, Tensor> named, List<String> names, float[] v) {
        int off = 0;
        try (var g = GradMode.noGrad()) {
            for (String name : names) {
                Tensor t = named.get(name);
                int n = t.numel();
                float[] slice = new float[n];
                System.arraycopy(v, off, slice, 0, n);
                t.copy_(Tensors.fromArray(slice, t.shape()));
                off += n;
            }
        }
    }
}
