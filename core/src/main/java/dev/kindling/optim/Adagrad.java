package dev.kindling.optim;

import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adagrad, as {@code torch.optim.Adagrad}: sum += g^2; p -= clr * g / (sqrt(sum) + eps) with
 * clr = lr / (1 + (t - 1) lr_decay).
 */
public final class Adagrad extends Optimizer {

    /** Adagrad's options with PyTorch's defaults. */
    public static final class Options {
        final Map<String, Object> map = new LinkedHashMap<>();

        Options() {
            map.put("lr", 1e-2);
            map.put("lr_decay", 0.0);
            map.put("weight_decay", 0.0);
            map.put("initial_accumulator_value", 0.0);
            map.put("eps", 1e-10);
            map.put("maximize", false);
        }

        public Options lr(double v) { map.put("lr", v); return this; }

        public Options lrDecay(double v) { map.put("lr_decay", v); return this; }

        public Options weightDecay(double v) { map.put("weight_decay", v); return this; }

        public Options initialAccumulatorValue(double v) { map.put("initial_accumulator_value", v); return this; }

        public Options eps(double v) { map.put("eps", v); return this; }

        public Options maximize(boolean v) { map.put("maximize", v); return this; }
    }

    public static Options options() { return new Options(); }

    public Adagrad(Iterable<Tensor> params, double lr) { this(params, options().lr(lr)); }

    public Adagrad(Iterable<Tensor> params, Options options) { this(single(params), options); }

    public Adagrad(List<ParamGroup> groups, Options options) { super(groups, options.map); }

    @Override
    protected void validate(ParamGroup g) {
        requireNonNegative("Adagrad", "learning rate", g.lr());
        requireNonNegative("Adagrad", "lr_decay", g.getDouble("lr_decay"));
        requireNonNegative("Adagrad", "weight_decay", g.getDouble("weight_decay"));
        requireNonNegative("Adagrad", "initial_accumulator_value", g.getDouble("initial_accumulator_value"));
        requireNonNegative("Adagrad", "epsilon", g.getDouble("eps"));
    }

    @Override
    protected void update(Tensor p, Tensor grad, ParamGroup g, Map<String, Object> state) {
        Tensor d = g.getBoolean("maximize") ? grad.neg() : grad;
        long step = incrementStep(state);
        double weightDecay = g.getDouble("weight_decay");
        if (weightDecay != 0) d = d.add(p, weightDecay);
        double clr = g.lr() / (1 + (step - 1) * g.getDouble("lr_decay"));
        Tensor sum = (Tensor) state.computeIfAbsent("sum", k -> Tensors.fullLike(p, g.getDouble("initial_accumulator_value")));
        sum.addcmul_(d, d, 1.0);
        Tensor std = sum.sqrt().add_(g.getDouble("eps"));
        p.addcdiv_(d, std, -clr);
    }
}
