package dev.kindling.tensor;

import java.util.Objects;

/**
 * Where a tensor's memory lives: the CPU, or one CUDA device by index.
 *
 * <p>Parsing follows PyTorch's strings ({@code "cpu"}, {@code "cuda"}, {@code "cuda:1"}). A device
 * is only a name; the backend that serves it is found through {@code dev.kindling.backend.Backends},
 * a registry of the backends on the class path, keyed by {@link Type}.
 */
public final class Device {
    /** The kinds of device Kindling knows. */
    public enum Type { CPU, CUDA }

    public static final Device CPU = new Device(Type.CPU, -1);

    private final Type type;
    private final int index;

    private Device(Type type, int index) {
        this.type = type;
        this.index = index;
    }

    /** The CUDA device with the given ordinal. */
    public static Device cuda(int index) {
        if (index < 0) throw new IllegalArgumentException("cuda device index: expected >= 0 but got " + index);
        return new Device(Type.CUDA, index);
    }

    /** Parses {@code cpu}, {@code cuda} (device 0) or {@code cuda:N}. */
    public static Device parse(String spec) {
        String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("cpu")) return CPU;
        if (s.equals("cuda")) return cuda(0);
        if (s.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(s.substring(5)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("device: expected 'cuda:N' with an integer N but got '" + spec + "'");
            }
        }
        throw new IllegalArgumentException("device: expected 'cpu', 'cuda' or 'cuda:N' but got '" + spec + "'");
    }

    public Type type() { return type; }

    /** The CUDA ordinal, or -1 for the CPU. */
    public int index() { return index; }

    public boolean isCpu() { return type == Type.CPU; }

    public boolean isCuda() { return type == Type.CUDA; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device d && d.type == type && d.index == index;
    }

    @Override
    public int hashCode() { return Objects.hash(type, index); }

    @Override
    public String toString() { return type == Type.CPU ? "cpu" : "cuda:" + index; }
}
