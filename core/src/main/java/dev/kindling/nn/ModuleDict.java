package dev.kindling.nn;

import java.util.Map;
import java.util.Set;

/** Modules by name, in insertion order, as {@code torch.nn.ModuleDict}; it has no forward. */
public final class ModuleDict extends Module {

    public ModuleDict() {}

    public ModuleDict(Map<String, ? extends Module> modules) {
        modules.forEach(this::put);
    }

    public ModuleDict put(String name, Module module) {
        registerModule(name, module);
        return this;
    }

    public Module get(String name) { return module(name); }

    public Set<String> keys() { return namedChildren().keySet(); }

    public boolean containsKey(String name) { return namedChildren().containsKey(name); }

    public int size() { return namedChildren().size(); }
}
