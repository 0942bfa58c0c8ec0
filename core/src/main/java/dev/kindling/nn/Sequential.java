package dev.kindling.nn;

import dev.kindling.tensor.Tensor;

/**
 * Runs its modules one after another, as {@code torch.nn.Sequential}; they are named "0", "1", ...
 * so a Sequential's state dict has PyTorch's keys ({@code 0.weight}, {@code 2.bias}).
 */
public final class Sequential extends Module {
    private int size;

    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    /** Appends a module (named by its position). */
    public Sequential add(Module module) {
        registerModule(Integer.toString(size++), module);
        return this;
    }

    public Module get(int index) {
        if (index < 0) index += size;
        if (index < 0 || index >= size) throw new IllegalArgumentException("Sequential: index " + index + " out of range for " + size + " modules");
        return module(Integer.toString(index));
    }

    public int size() { return size; }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : children()) x = m.forward(x);
        return x;
    }
}
