package dev.kindling.optim;

import dev.kindling.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of parameters with their own hyper-parameters, as an entry of PyTorch's
 * {@code optimizer.param_groups}: options not given for the group take the optimizer's defaults,
 * and schedulers change {@code lr} here.
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Object> options;

    public ParamGroup(List<Tensor> params, Map<String, Object> options) {
        this.params = List.copyOf(params);
        this.options = new LinkedHashMap<>(options);
    }

    public ParamGroup(List<Tensor> params) {
        this(params, Map.of());
    }

    public List<Tensor> params() { return params; }

    /** The group's options (lr, momentum, betas...), mutable. */
    public Map<String, Object> options() { return options; }

    public double getDouble(String key) {
        Object v = options.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("param group option '" + key + "' is " + v + ", expected a number");
        }
        return n.doubleValue();
    }

    public boolean getBoolean(String key) {
        Object v = options.get(key);
        if (!(v instanceof Boolean b)) throw new IllegalArgumentException("param group option '" + key + "' is " + v + ", expected a boolean");
        return b;
    }

    public double[] getPair(String key) {
        Object v = options.get(key);
        if (v instanceof double[] d && d.length == 2) return d;
        if (v instanceof List<?> l && l.size() == 2) return new double[] {((Number) l.get(0)).doubleValue(), ((Number) l.get(1)).doubleValue()};
        throw new IllegalArgumentException("param group option '" + key + "' is " + v + ", expected a pair of numbers");
    }

    public double lr() { return getDouble("lr"); }

    public void setLr(double lr) { options.put("lr", lr); }

    public void set(String key, Object value) { options.put(key, value); }

    static List<Tensor> listOf(Iterable<Tensor> params) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : params) out.add(t);
        return Collections.unmodifiableList(out);
    }
}
