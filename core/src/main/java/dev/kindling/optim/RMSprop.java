package dev.kindling.optim;

import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RMSprop, as {@code torch.optim.RMSprop} (centered, momentum, weight decay, maximize):
 * <pre>
 * s = alpha s + (1 - alpha) g^2;  avg = sqrt(s - gbar^2 if centered else s) + eps
 * buf = momentum buf + g / avg; p -= lr buf   (or p -= lr g / avg without momentum)
 * </pre>
 */
public final class RMSprop extends Optimizer {

    /** RMSprop's options with PyTorch's defaults. */
    public static final class Options {
        final Map<String, Object> map = new LinkedHashMap<>();

        Options() {
            map.put("lr", 1e-2);
            map.put("alpha", 0.99);
            map.put("eps", 1e-8);
            map.put("weight_decay", 0.0);
            map.put("momentum", 0.0);
            map.put("centered", false);
            map.put("maximize", false);
        }

        public Options lr(double v) { map.put("lr", v); return this; }

        public Options alpha(double v) { map.put("alpha", v); return this; }

        public Options eps(double v) { map.put("eps", v); return this; }

        public Options weightDecay(double v) { map.put("weight_decay", v); return this; }

        public Options momentum(double v) { map.put("momentum", v); return this; }

        public Options centered(boolean v) { map.put("centered", v); return this; }

        public Options maximize(boolean v) { map.put("maximize", v); return this; }
    }

    public static Options options() { return new Options(); }

    public RMSprop(Iterable<Tensor> params, double lr) { this(params, options().lr(lr)); }

    public RMSprop(Iterable<Tensor> params, Options options) { this(single(params), options); }

    public RMSprop(List<ParamGroup> groups, Options options) { super(groups, options.map); }

    @Override
    protected void validate(ParamGroup g) {
        requireNonNegative("RMSprop", "learning rate", g.lr());
        requireNonNegative("RMSprop", "epsilon", g.getDouble("eps"));
        requireNonNegative("RMSprop", "momentum", g.getDouble("momentum"));
        requireNonNegative("RMSprop", "weight_decay", g.getDouble("weight_decay"));
        requireNonNegative("RMSprop", "alpha", g.getDouble("alpha"));
    }

    @Override
    protected void update(Tensor p, Tensor grad, ParamGroup g, Map<String, Object> state) {
        double alpha = g.getDouble("alpha");
        double weightDecay = g.getDouble("weight_decay");
        double momentum = g.getDouble("momentum");
        Tensor d = g.getBoolean("maximize") ? grad.neg() : grad;
        incrementStep(state);
        if (weightDecay != 0) d = d.add(p, weightDecay);
        Tensor squareAvg = (Tensor) state.computeIfAbsent("square_avg", k -> Tensors.zerosLike(p));
        squareAvg.mul_(alpha).addcmul_(d, d, 1 - alpha);
        Tensor avg;
        if (g.getBoolean("centered")) {
            Tensor gradAvg = (Tensor) state.computeIfAbsent("grad_avg", k -> Tensors.zerosLike(p));
            gradAvg.mul_(alpha).add_(d, 1 - alpha);
            avg = squareAvg.sub(gradAvg.mul(gradAvg)).sqrt_();
        } else {
            avg = squareAvg.sqrt();
        }
        avg.add_(g.getDouble("eps"));
        if (momentum > 0) {
            Tensor buf = (Tensor) state.computeIfAbsent("momentum_buffer", k -> Tensors.zerosLike(p));
            buf.mul_(momentum).addcdiv_(d, avg, 1.0);
            p.add_(buf, -g.lr());
        } else {
            p.addcdiv_(d, avg, -g.lr());
        }
    }
}
