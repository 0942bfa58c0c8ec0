package dev.kindling.optim;

import dev.kindling.backend.SgdStep;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum, weight decay and
 * maximize, as {@code torch.optim.SGD}:
 * <pre>
 * d = grad (+ weight_decay * p);  buf = momentum * buf + (1 - dampening) * d  (buf = d at first)
 * d = nesterov ? d + momentum * buf : buf;  p -= lr * d
 * </pre>
 */
public final class SGD extends Optimizer {

    /** SGD's options with PyTorch's defaults (lr has none: it must be given). */
    public static final class Options {
        final Map<String, Object> map = new LinkedHashMap<>();

        Options(double lr) {
            map.put("lr", lr);
            map.put("momentum", 0.0);
            map.put("dampening", 0.0);
            map.put("weight_decay", 0.0);
            map.put("nesterov", false);
            map.put("maximize", false);
        }

        public Options momentum(double v) { map.put("momentum", v); return this; }

        public Options dampening(double v) { map.put("dampening", v); return this; }

        public Options weightDecay(double v) { map.put("weight_decay", v); return this; }

        public Options nesterov(boolean v) { map.put("nesterov", v); return this; }

        public Options maximize(boolean v) { map.put("maximize", v); return this; }
    }

    public static Options options(double lr) { return new Options(lr); }

    public SGD(Iterable<Tensor> params, double lr) { this(params, options(lr)); }

    public SGD(Iterable<Tensor> params, Options options) { this(single(params), options); }

    public SGD(List<ParamGroup> groups, Options options) { super(groups, options.map); }

    @Override
    protected void validate(ParamGroup g) {
        requireNonNegative("SGD", "learning rate", g.lr());
        requireNonNegative("SGD", "momentum", g.getDouble("momentum"));
        requireNonNegative("SGD", "weight_decay", g.getDouble("weight_decay"));
        if (g.getBoolean("nesterov") && (g.getDouble("momentum") <= 0 || g.getDouble("dampening") != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires a momentum and zero dampening");
        }
    }

    @Override
    protected void update(Tensor p, Tensor grad, ParamGroup g, Map<String, Object> state) {
        SgdStep s = new SgdStep(g.lr(), g.getDouble("momentum"), g.getDouble("dampening"), g.getDouble("weight_decay"),
                g.getBoolean("nesterov"), g.getBoolean("maximize"));
        Tensor buf = null;
        boolean firstStep = false;
        if (s.momentum() != 0) {
            buf = (Tensor) state.get("momentum_buffer");
            if (buf == null) {
                buf = Tensors.zerosLike(p); // the step sets it to the first gradient, as PyTorch's clone
                state.put("momentum_buffer", buf);
                firstStep = true;
            }
        }
        // The backend runs it as one fused pass where it can (the CPU for float32), else op by op.
        p.backend().sgdStep(s, p.strided(), grad.strided(), buf == null ? null : buf.strided(), firstStep);
    }
}
