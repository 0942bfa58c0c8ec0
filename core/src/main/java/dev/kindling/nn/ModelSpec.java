package dev.kindling.nn;


import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * A model written as a line of PyTorch layer names, e.g.
 * {@code "Linear(784,256) ReLU Dropout(0.2) Linear(256,10)"}, and the {@link ModelFactory} that
 * builds it as an {@code nn.Sequential} (so its state dict has PyTorch's keys: {@code 0.weight},
 * {@code 3.bias}...). Layers are separated by white space; arguments are positional numbers in
 * PyTorch's order. This is how Spark ML stages take a model as a plain string param that can be
 * saved as JSON and read back.
 *
 * <p>Known layers: {@code Linear(in, out)}, {@code Conv2d(in, out, k[, stride, padding])},
 * {@code MaxPool2d(k[, stride, padding])}, {@code AvgPool2d(k[, stride, padding])},
 * {@code BatchNorm1d(n)}, {@code BatchNorm2d(n)}, {@code Dropout[(p)]}, {@code Flatten[(start, end)]},
 * {@code Unflatten(dim, size...)}, {@code ReLU}, {@code Tanh}, {@code Sigmoid}, {@code GELU},
 * {@code SiLU}, {@code ELU[(alpha)]}, {@code LeakyReLU[(slope)]}, {@code Identity}, and whatever
 * a {@link LayerProvider} found by {@link ServiceLoader} adds (core's vision package adds
 * {@code LeNet5[(channels, size, classes)]}: nn must not depend on the model zoo built on it). The
 * whole spec is checked when parsed: an unknown layer, a wrong number of arguments or a fractional
 * size fails with an {@link IllegalArgumentException} naming the layer, its position and what it
 * takes. Used by Kindling's Spark ML stages (a model as a string param saved as JSON), and useful
 * anywhere a model must be written down as text.
 */
public final class ModelSpec implements ModelFactory {
    @Serial
    private static final long serialVersionUID = 1L;

    /** One parsed layer: its name and its positional arguments. */
    private record Layer(String name, double[] args) implements Serializable {}

    /**
     * How to build one kind of layer: accepted argument counts, the argument names shown in errors
     * (e.g. {@code "(in_features, out_features)"}), whether the arguments must be whole numbers,
     * and the constructor taking the positional arguments.
     */
    public record Rule(int min, int max, String signature, boolean wholeNumbers, Function<double[], Module> build) {}

    /** Adds layers that live outside nn (e.g. vision models); registered in META-INF/services. */
    public interface LayerProvider {
        /** Layer name to rule; a name nn already knows is an error. */
        Map<String, Rule> layers();
    }

    private static final Map<String, Rule> RULES = new LinkedHashMap<>();

    static {
        RULES.put("Linear", new Rule(2, 2, "(in_features, out_features)", true, a -> new Linear(intArg(a, 0), intArg(a, 1))));
        RULES.put("Conv2d", new Rule(3, 5, "(in_channels, out_channels, kernel_size[, stride[, padding]])", true,
                a -> new Conv2d(intArg(a, 0), intArg(a, 1), intArg(a, 2), a.length > 3 ? intArg(a, 3) : 1, a.length > 4 ? intArg(a, 4) : 0)));
        RULES.put("MaxPool2d", new Rule(1, 3, "(kernel_size[, stride[, padding]])", true,
                a -> new MaxPool2d(intArg(a, 0), a.length > 1 ? intArg(a, 1) : intArg(a, 0), a.length > 2 ? intArg(a, 2) : 0)));
        RULES.put("AvgPool2d", new Rule(1, 3, "(kernel_size[, stride[, padding]])", true,
                a -> new AvgPool2d(intArg(a, 0), a.length > 1 ? intArg(a, 1) : intArg(a, 0), a.length > 2 ? intArg(a, 2) : 0)));
        RULES.put("BatchNorm1d", new Rule(1, 1, "(num_features)", true, a -> new BatchNorm1d(intArg(a, 0))));
        RULES.put("BatchNorm2d", new Rule(1, 1, "(num_features)", true, a -> new BatchNorm2d(intArg(a, 0))));
        RULES.put("Dropout", new Rule(0, 1, "[(p)]", false, a -> new Dropout(a.length > 0 ? a[0] : 0.5)));
        RULES.put("Flatten", new Rule(0, 2, "[(start_dim[, end_dim])]", true,
                a -> new Flatten(a.length > 0 ? intArg(a, 0) : 1, a.length > 1 ? intArg(a, 1) : -1)));
        RULES.put("Unflatten", new Rule(2, 8, "(dim, size, ...)", true, a -> {
            int[] sizes = new int[a.length - 1];
            for (int k = 1; k < a.length; k++) sizes[k - 1] = intArg(a, k);
            return new Unflatten(intArg(a, 0), sizes);
        }));
        RULES.put("ReLU", new Rule(0, 0, "", false, a -> new ReLU()));
        RULES.put("Tanh", new Rule(0, 0, "", false, a -> new Tanh()));
        RULES.put("Sigmoid", new Rule(0, 0, "", false, a -> new Sigmoid()));
        RULES.put("GELU", new Rule(0, 0, "", false, a -> new GELU()));
        RULES.put("SiLU", new Rule(0, 0, "", false, a -> new SiLU()));
        RULES.put("ELU", new Rule(0, 1, "[(alpha)]", false, a -> new ELU(a.length > 0 ? a[0] : 1.0)));
        RULES.put("LeakyReLU", new Rule(0, 1, "[(negative_slope)]", false, a -> new LeakyReLU(a.length > 0 ? a[0] : 0.01)));
        RULES.put("Identity", new Rule(0, 0, "", false, a -> new Identity()));
        for (LayerProvider provider : ServiceLoader.load(LayerProvider.class, ModelSpec.class.getClassLoader())) {
            provider.layers().forEach((name, rule) -> {
                if (RULES.putIfAbsent(name, rule) != null) {
                    throw new IllegalStateException("model spec: layer '" + name + "' of " + provider.getClass().getName()
                            + " is already defined");
                }
            });
        }
    }

    private final String text;
    private final List<Layer> layers;

    private ModelSpec(String text, List<Layer> layers) {
        this.text = text;
        this.layers = layers;
    }

    /** Parses and checks a spec; nothing is built until {@link #get()}. */
    public static ModelSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("model spec: expected layers such as \"Linear(4,16) ReLU Linear(16,3)\" but got "
                    + (spec == null ? "null" : "an empty string"));
        }
        List<String> tokens = tokens(spec);
        List<Layer> layers = new ArrayList<>();
        for (String token : tokens) layers.add(layer(token, layers.size() + 1, spec));
        return new ModelSpec(String.join(" ", tokens), List.copyOf(layers));
    }

    /** Splits at white space outside parentheses. */
    private static List<String> tokens(String spec) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        for (char ch : spec.toCharArray()) {
            if (ch == '(') depth++;
            if (ch == ')') depth--;
            if (depth < 0) throw new IllegalArgumentException("model spec \"" + spec + "\": unbalanced ')'");
            if (Character.isWhitespace(ch) && depth == 0) {
                if (!cur.isEmpty()) out.add(cur.toString());
                cur.setLength(0);
            } else if (!Character.isWhitespace(ch)) {
                cur.append(ch);
            }
        }
        if (depth != 0) throw new IllegalArgumentException("model spec \"" + spec + "\": unbalanced '('");
        if (!cur.isEmpty()) out.add(cur.toString());
        return out;
    }

    private static Layer layer(String token, int position, String spec) {
        int open = token.indexOf('(');
        String name = open < 0 ? token : token.substring(0, open);
        Rule rule = RULES.get(name);
        if (rule == null) {
            throw new IllegalArgumentException("model spec \"" + spec + "\": unknown layer '" + name + "' at position " + position
                    + "; known layers: " + String.join(", ", RULES.keySet()));
        }
        double[] args = new double[0];
        if (open >= 0) {
            if (!token.endsWith(")") || token.indexOf(')') != token.length() - 1) {
                throw new IllegalArgumentException("model spec \"" + spec + "\": layer " + position + " '" + token
                        + "' must be Name(arguments) with no space before '('");
            }
            String inner = token.substring(open + 1, token.length() - 1);
            String[] parts = inner.isEmpty() ? new String[0] : inner.split(",", -1);
            args = new double[parts.length];
            for (int k = 0; k < parts.length; k++) {
                try {
                    args[k] = Double.parseDouble(parts[k]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("model spec \"" + spec + "\": argument " + (k + 1) + " of " + name + " at position "
                            + position + " must be a number but got '" + parts[k] + "'");
                }
                if (rule.wholeNumbers && args[k] != Math.rint(args[k])) {
                    throw new IllegalArgumentException("model spec \"" + spec + "\": argument " + (k + 1) + " of " + name + " at position "
                            + position + " must be a whole number but got " + parts[k]);
                }
            }
        }
        if (args.length < rule.min || args.length > rule.max) {
            throw new IllegalArgumentException("model spec \"" + spec + "\": " + name + " at position " + position + " takes "
                    + name + rule.signature + " but got " + args.length + " argument" + (args.length == 1 ? "" : "s"));
        }
        return new Layer(name, args);
    }

    /** Argument k as an int (rules check whole numbers before building). */
    public static int intArg(double[] a, int k) { return (int) a[k]; }

    /** Builds a fresh {@code Sequential} of the layers (weights drawn from the default generator). */
    @Override
    public Module get() {
        Sequential model = new Sequential();
        for (Layer l : layers) model.add(RULES.get(l.name).build.apply(l.args));
        return model;
    }

    /** The layer names in order. */
    public List<String> layerNames() { return layers.stream().map(Layer::name).toList(); }

    /** The spec in normal form: layers separated by one space, no space inside parentheses. */
    public String text() { return text; }

    @Override
    public String toString() { return text; }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec s && s.layers.size() == layers.size() && sameLayers(s);
    }

    private boolean sameLayers(ModelSpec s) {
        for (int k = 0; k < layers.size(); k++) {
            Layer a = layers.get(k);
            Layer b = s.layers.get(k);
            if (!a.name.equals(b.name) || !Arrays.equals(a.args, b.args)) return false;
        }
        return true;
    }

    @Override
    public int hashCode() { return layerNames().hashCode(); }
}
