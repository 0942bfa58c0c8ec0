package dev.kindling.nn;

import dev.kindling.autograd.GradMode;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The base of every layer and model, as {@code torch.nn.Module}: it owns named parameters,
 * buffers and submodules, walks them recursively, switches train/eval mode, moves them to a dtype
 * or device, and saves and loads them as a state dict whose keys follow PyTorch's naming
 * ({@code 0.weight}, {@code layer1.0.conv1.weight}, {@code bn.running_mean}), so weights move
 * between Kindling and PyTorch unchanged.
 *
 * <p>Subclasses register what they own in their constructor and read it back by name in
 * {@code forward} ({@link #param}), which keeps {@link #to} free to replace tensors.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> nonPersistent = new HashSet<>();
    private final Map<String, Module> modules = new LinkedHashMap<>();
    private boolean training = true;

    /**
     * The computation of a module that takes one tensor. Modules with other inputs (Bilinear,
     * MultiheadAttention, LSTM...) offer their own {@code forward} overloads instead.
     */
    public Tensor forward(Tensor input) {
        throw new IllegalArgumentException(getClass().getSimpleName()
                + " does not take a single tensor input; call the forward(...) overload with the arguments it takes");
    }

    // ------------------------------------------------------------------ registration

    /** Registers (or replaces) a parameter; null registers an absent one (e.g. bias=False). */
    protected final Parameter registerParameter(String name, Tensor value) {
        checkName(name);
        Parameter p = value == null ? null : value instanceof Parameter already ? already : new Parameter(value);
        parameters.put(name, p);
        return p;
    }

    /** Registers a persistent buffer (saved in the state dict), e.g. running statistics. */
    protected final Tensor registerBuffer(String name, Tensor value) {
        return registerBuffer(name, value, true);
    }

    protected final Tensor registerBuffer(String name, Tensor value, boolean persistent) {
        checkName(name);
        buffers.put(name, value);
        if (persistent) nonPersistent.remove(name);
        else nonPersistent.add(name);
        return value;
    }

    /** Registers a submodule under name; its parameters appear as {@code name.param}. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        modules.put(name, module);
        return module;
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module attribute name must be non-empty and contain no '.', got '" + name + "'");
        }
    }

    /** A registered parameter by name (null when registered as absent). */
    public final Tensor param(String name) {
        if (!parameters.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no parameter '" + name + "'; it has "
                    + parameters.keySet());
        }
        return parameters.get(name);
    }

    /** A registered buffer by name. */
    public final Tensor buffer(String name) {
        if (!buffers.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no buffer '" + name + "'; it has " + buffers.keySet());
        }
        return buffers.get(name);
    }

    /** A direct submodule by name. */
    public final Module module(String name) {
        Module m = modules.get(name);
        if (m == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no submodule '" + name + "'; it has " + modules.keySet());
        }
        return m;
    }

    // ------------------------------------------------------------------ traversal

    /** All parameters of this module and its descendants, each once. */
    public final List<Tensor> parameters() { return new ArrayList<>(namedParameters().values()); }

    /** Parameters with PyTorch-style dotted names, each tensor once (first name wins). */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (Map.Entry<String, Tensor> p : e.getValue().parameters.entrySet()) {
                if (p.getValue() != null && seen.put(p.getValue(), Boolean.TRUE) == null) out.put(prefix + p.getKey(), p.getValue());
            }
        }
        return out;
    }

    public final List<Tensor> buffers() { return new ArrayList<>(namedBuffers().values()); }

    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (Map.Entry<String, Tensor> b : e.getValue().buffers.entrySet()) {
                if (b.getValue() != null) out.put(prefix + b.getKey(), b.getValue());
            }
        }
        return out;
    }

    public final List<Module> children() { return new ArrayList<>(modules.values()); }

    public final Map<String, Module> namedChildren() { return Collections.unmodifiableMap(modules); }

    /** This module and all descendants, depth first, each once. */
    public final List<Module> modules() { return new ArrayList<>(namedModules().values()); }

    /** This module (name "") and all descendants with dotted names. */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collect("", this, out, new IdentityHashMap<>());
        return out;
    }

    private static void collect(String name, Module m, Map<String, Module> out, Map<Module, Boolean> seen) {
        if (seen.put(m, Boolean.TRUE) != null) return;
        out.put(name, m);
        for (Map.Entry<String, Module> c : m.modules.entrySet()) {
            if (c.getValue() != null) collect(name.isEmpty() ? c.getKey() : name + "." + c.getKey(), c.getValue(), out, seen);
        }
    }

    // ------------------------------------------------------------------ modes and utilities

    /** Sets training mode here and in every descendant. */
    public Module train(boolean mode) {
        for (Module m : modules()) m.training = mode;
        return this;
    }

    public final Module train() { return train(true); }

    public final Module eval() { return train(false); }

    public final boolean isTraining() { return training; }

    /**
     * Clears every parameter's gradient (PyTorch's set_to_none=True default); one that backward
     * allocated and nobody was handed goes back to the buffer pool, as in {@code Optimizer.zeroGrad}.
     */
    public final void zeroGrad() {
        for (Tensor p : parameters()) p.setGrad(null);
    }

    /** Calls fn on every submodule (children first) and then on this module, as {@code Module.apply}. */
    public final Module apply(Consumer<Module> fn) {
        for (Module c : modules.values()) if (c != null) c.apply(fn);
        fn.accept(this);
        return this;
    }

    /** Converts floating point parameters and buffers to dtype (new tensors; build optimizers afterwards). */
    public final Module to(DType dtype) {
        if (!dtype.isFloatingPoint()) throw new IllegalArgumentException("Module.to: expected a floating point dtype but got " + dtype);
        return convert(t -> t.dtype().isFloatingPoint() ? t.to(dtype) : t);
    }

    /** Moves parameters and buffers to a device (new tensors; build optimizers afterwards). */
    public final Module to(Device device) {
        return convert(t -> t.to(device));
    }

    private Module convert(UnaryOperator<Tensor> fn) {
        try (var g = GradMode.noGrad()) {
            for (Module m : modules()) {
                for (Map.Entry<String, Tensor> p : m.parameters.entrySet()) {
                    Tensor v = p.getValue();
                    if (v == null) continue;
                    Tensor c = fn.apply(v);
                    if (c != v) p.setValue(new Parameter(c, v.requiresGrad()));
                }
                for (Map.Entry<String, Tensor> b : m.buffers.entrySet()) {
                    if (b.getValue() != null) b.setValue(fn.apply(b.getValue()));
                }
            }
        }
        return this;
    }

    /** Number of parameter elements, a quick size check. */
    public final long numParameters() {
        long n = 0;
        for (Tensor p : parameters()) n += p.numel();
        return n;
    }

    // ------------------------------------------------------------------ state dict

    /** Parameters and persistent buffers under PyTorch's dotted names; tensors share memory with the module. */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            Module m = e.getValue();
            for (Map.Entry<String, Tensor> p : m.parameters.entrySet()) {
                if (p.getValue() != null) out.put(prefix + p.getKey(), p.getValue().detach());
            }
            for (Map.Entry<String, Tensor> b : m.buffers.entrySet()) {
                if (b.getValue() != null && !m.nonPersistent.contains(b.getKey())) out.put(prefix + b.getKey(), b.getValue().detach());
            }
        }
        return out;
    }

    /** Keys the state dict did not have, and keys it had that the module does not. */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {}

    /**
     * Copies values from a state dict into this module's tensors (in place, converting dtype).
     * A shape mismatch is always an error; missing or unexpected keys are errors when strict.
     */
    public final LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) {
                missing.add(e.getKey());
            } else if (!Arrays.equals(src.shape(), e.getValue().shape())) {
                mismatched.add("size mismatch for " + e.getKey() + ": copying a param with shape " + Shapes.str(src.shape())
                        + " from checkpoint, the shape in current model is " + Shapes.str(e.getValue().shape()) + ".");
            }
        }
        for (String k : state.keySet()) if (!own.containsKey(k)) unexpected.add(k);
        List<String> errors = new ArrayList<>(mismatched);
        if (strict && !missing.isEmpty()) errors.add("Missing key(s) in state_dict: " + quoted(missing) + ".");
        if (strict && !unexpected.isEmpty()) errors.add("Unexpected key(s) in state_dict: " + quoted(unexpected) + ".");
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("Error(s) in loading state_dict for " + getClass().getSimpleName() + ":\n\t"
                    + String.join("\n\t", errors));
        }
        try (var g = GradMode.noGrad()) {
            for (Map.Entry<String, Tensor> e : own.entrySet()) {
                Tensor src = state.get(e.getKey());
                if (src != null) e.getValue().copy_(src);
            }
        }
        return new LoadResult(missing, unexpected);
    }

    private static String quoted(List<String> keys) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) sb.append(i > 0 ? ", " : "").append('"').append(keys.get(i)).append('"');
        return sb.toString();
    }

    // ------------------------------------------------------------------ printing

    /** The part inside the parentheses of this module's line, as PyTorch's {@code extra_repr}. */
    protected String extraRepr() { return ""; }

    /** The module tree as PyTorch prints it. */
    @Override
    public String toString() {
        String name = getClass().getSimpleName();
        String extra = extraRepr();
        if (modules.isEmpty()) return name + "(" + extra + ")";
        StringBuilder sb = new StringBuilder(name).append("(");
        if (!extra.isEmpty()) sb.append("\n  ").append(extra.replace("\n", "\n  "));
        for (Map.Entry<String, Module> c : modules.entrySet()) {
            String child = c.getValue() == null ? "None" : c.getValue().toString();
            sb.append("\n  (").append(c.getKey()).append("): ").append(child.replace("\n", "\n  "));
        }
        return sb.append("\n)").toString();
    }
}
