package dev.kindling.spark.train;

import dev.kindling.autograd.GradMode;
import dev.kindling.optim.Optimizer;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * An optimizer's per-parameter tensor state (momentum buffers, moment estimates...) flattened per
 * key in parameter order, plus its step count, so local-steps mode can average it across
 * partitions and hand it back to the next round. Keys are sorted; a parameter without an entry for
 * a key contributes zeros.
 */
record OptimizerState(String[] keys, float[][] values, long step) implements Serializable {

    static final OptimizerState EMPTY = new OptimizerState(new String[0], new float[0][], 0);

    /** The state of opt's parameters (in order). */
    static OptimizerState of(Optimizer opt, List<Tensor> params) {
        TreeSet<String> keys = new TreeSet<>();
        long step = 0;
        for (Tensor p : params) {
            for (Map.Entry<String, Object> e : opt.state(p).entrySet()) {
                if (e.getValue() instanceof Tensor) keys.add(e.getKey());
                else if (e.getKey().equals("step") && e.getValue() instanceof Number n) step = Math.max(step, n.longValue());
            }
        }
        int size = 0;
        for (Tensor p : params) size += p.numel();
        String[] k = keys.toArray(new String[0]);
        float[][] v = new float[k.length][size];
        for (int i = 0; i < k.length; i++) {
            int off = 0;
            for (Tensor p : params) {
                Object t = opt.state(p).get(k[i]);
                if (t instanceof Tensor tensor) System.arraycopy(tensor.contiguous().to(Device.CPU).toFloatArray(), 0, v[i], off, p.numel());
                off += p.numel();
            }
        }
        return new OptimizerState(k, v, step);
    }

    /** This state with every value multiplied by factor, in place (the step count is kept). */
    OptimizerState scaled(long factor) {
        for (float[] v : values) for (int i = 0; i < v.length; i++) v[i] *= factor;
        return this;
    }

    /** Writes this state into opt (replacing what it had for these keys). */
    void loadInto(Optimizer opt, List<Tensor> params) {
        try (var g = GradMode.noGrad()) {
            for (int i = 0; i < keys.length; i++) {
                int off = 0;
                for (Tensor p : params) {
                    float[] slice = new float[p.numel()];
                    System.arraycopy(values[i], off, slice, 0, slice.length);
                    // The state lives on the parameter's device, as the optimizer's own zerosLike(p) would put it.
                    opt.state(p).put(keys[i], Tensors.fromArray(slice, p.shape()).to(p.device()));
                    off += slice.length;
                }
            }
            if (step > 0) for (Tensor p : params) opt.state(p).put("step", step);
        }
    }
}
