package dev.kindling.optim;

import dev.kindling.autograd.AutogradMeta;
import dev.kindling.autograd.GradMode;
import dev.kindling.tensor.Tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The base of every optimizer, as {@code torch.optim.Optimizer}: parameter groups with options
 * that default to the optimizer's, per-parameter state (momentum buffers, moment estimates,
 * step counts), {@link #zeroGrad()} (setting gradients to null, PyTorch's default), and
 * {@link #stateDict()}/{@link #loadStateDict} in PyTorch's layout (parameters numbered in group
 * order). Subclasses implement {@link #update} for one parameter; {@link #step()} runs it for
 * every parameter that has a gradient, outside autograd.
 */
public abstract class Optimizer {
    private final List<ParamGroup> paramGroups = new ArrayList<>();
    private final Map<String, Object> defaults;
    private final Map<Tensor, Map<String, Object>> state = new IdentityHashMap<>();
    private final boolean libraryUpdate = getClass().getName().startsWith("dev.kindling.");

    protected Optimizer(List<ParamGroup> groups, Map<String, Object> defaults) {
        this.defaults = new LinkedHashMap<>(defaults);
        if (groups.isEmpty()) throw new IllegalArgumentException(getClass().getSimpleName() + " got an empty parameter list");
        for (ParamGroup g : groups) addParamGroup(g);
    }

    protected static List<ParamGroup> single(Iterable<Tensor> params) {
        return List.of(new ParamGroup(ParamGroup.listOf(params)));
    }

    /** Adds a group; options it lacks take the optimizer's defaults. */
    public void addParamGroup(ParamGroup group) {
        for (Map.Entry<String, Object> d : defaults.entrySet()) group.options().putIfAbsent(d.getKey(), d.getValue());
        for (Tensor p : group.params()) {
            if (!p.requiresGrad() || !p.isLeaf()) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": can only optimize leaf tensors that require grad; got "
                        + (p.requiresGrad() ? "a non-leaf" : "a tensor that does not require grad") + " of shape "
                        + dev.kindling.tensor.Shapes.str(p.shape()));
            }
            for (ParamGroup other : paramGroups) {
                for (Tensor q : other.params()) {
                    if (q == p) throw new IllegalArgumentException("some parameters appear in more than one parameter group");
                }
            }
        }
        validate(group);
        paramGroups.add(group);
    }

    /** Checks a group's options (e.g. lr >= 0); called when the group is added. */
    protected abstract void validate(ParamGroup group);

    /** Updates one parameter from its gradient with the group's options and its state. */
    protected abstract void update(Tensor param, Tensor grad, ParamGroup group, Map<String, Object> state);

    public final List<ParamGroup> paramGroups() { return paramGroups; }

    /** The state of one parameter (created empty on first use). */
    public final Map<String, Object> state(Tensor param) {
        return state.computeIfAbsent(param, p -> new LinkedHashMap<>());
    }

    /**
     * Sets every parameter's gradient to null. A gradient that backward allocated and nobody was
     * handed ({@link Tensor#grad()} not called since) goes back to the buffer pool here.
     */
    public void zeroGrad() {
        for (ParamGroup g : paramGroups) for (Tensor p : g.params()) p.setGrad(null);
    }

    /** One optimization step over every parameter that has a gradient. */
    public void step() {
        try (var g = GradMode.noGrad()) {
            for (ParamGroup group : paramGroups) {
                for (Tensor p : group.params()) {
                    // Kindling's own updates keep no reference to the gradient, so it stays releasable on
                    // zeroGrad; a user's subclass might keep it, so it gets the gradient handed out.
                    Tensor grad = libraryUpdate ? AutogradMeta.peekGrad(p) : p.grad();
                    if (grad == null) continue;
                    update(p, grad, group, state(p));
                }
            }
        }
    }

    /**
     * {"state": {index: {...}}, "param_groups": [{options..., "params": [indices]}]}, parameters
     * numbered across groups in order, as PyTorch's {@code optimizer.state_dict()}. Tensors are the
     * live state (copy them before mutating).
     */
    public Map<String, Object> stateDict() {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<Integer, Map<String, Object>> st = new LinkedHashMap<>();
        List<Map<String, Object>> groups = new ArrayList<>();
        int index = 0;
        for (ParamGroup g : paramGroups) {
            Map<String, Object> gm = new LinkedHashMap<>(g.options());
            List<Integer> ids = new ArrayList<>();
            for (Tensor p : g.params()) {
                Map<String, Object> s = state.get(p);
                if (s != null && !s.isEmpty()) st.put(index, new LinkedHashMap<>(s));
                ids.add(index++);
            }
            gm.put("params", ids);
            groups.add(gm);
        }
        out.put("state", st);
        out.put("param_groups", groups);
        return out;
    }

    /** Restores options and per-parameter state saved by {@link #stateDict()} (tensors are copied). */
    @SuppressWarnings("unchecked")
    public void loadStateDict(Map<String, Object> dict) {
        List<Map<String, Object>> groups = (List<Map<String, Object>>) dict.get("param_groups");
        Map<Integer, Map<String, Object>> st = (Map<Integer, Map<String, Object>>) dict.get("state");
        if (groups == null || st == null) throw new IllegalArgumentException("loadStateDict: expected keys 'state' and 'param_groups'");
        if (groups.size() != paramGroups.size()) {
            throw new IllegalArgumentException("loadStateDict: loaded state dict has " + groups.size()
                    + " parameter groups but the optimizer has " + paramGroups.size());
        }
        List<Tensor> ordered = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            List<?> ids = (List<?>) groups.get(i).get("params");
            if (ids.size() != paramGroups.get(i).params().size()) {
                throw new IllegalArgumentException("loadStateDict: group " + i + " has " + ids.size() + " parameters in the state dict but "
                        + paramGroups.get(i).params().size() + " in the optimizer");
            }
            ordered.addAll(paramGroups.get(i).params());
        }
        for (int i = 0; i < groups.size(); i++) {
            Map<String, Object> opts = new LinkedHashMap<>(groups.get(i));
            opts.remove("params");
            paramGroups.get(i).options().putAll(opts);
        }
        state.clear();
        for (Map.Entry<Integer, Map<String, Object>> e : st.entrySet()) {
            int idx = e.getKey();
            if (idx < 0 || idx >= ordered.size()) {
                throw new IllegalArgumentException("loadStateDict: state for parameter " + idx + " but the optimizer has " + ordered.size());
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<String, Object> v : e.getValue().entrySet()) {
                copy.put(v.getKey(), v.getValue() instanceof Tensor t ? t.clone().detach() : v.getValue());
            }
            state.put(ordered.get(idx), copy);
        }
    }

    protected static void requireNonNegative(String optimizer, String name, double v) {
        if (!(v >= 0)) throw new IllegalArgumentException(optimizer + ": invalid " + name + " value: " + v + " (expected >= 0)");
    }

    protected static void requireRange(String optimizer, String name, double v, double lo, double hi) {
        if (!(v >= lo && v < hi)) {
            throw new IllegalArgumentException(optimizer + ": invalid " + name + " value: " + v + " (expected in [" + lo + ", " + hi + "))");
        }
    }

    /** The integer step counter kept in a parameter's state. */
    protected static long incrementStep(Map<String, Object> state) {
        long step = state.get("step") instanceof Number n ? n.longValue() + 1 : 1;
        state.put("step", step);
        return step;
    }
}
