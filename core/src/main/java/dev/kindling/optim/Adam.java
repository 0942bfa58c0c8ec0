package dev.kindling.optim;

import dev.kindling.backend.AdamStep;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam, as {@code torch.optim.Adam} (with amsgrad, L2 weight decay added to the gradient, and
 * maximize); {@link AdamW} decouples the weight decay instead. The update, step by step as PyTorch:
 * <pre>
 * m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2  (v_max = max(v_max, v) with amsgrad)
 * p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 */
public class Adam extends Optimizer {

    /** Adam's options with PyTorch's defaults. */
    public static final class Options {
        final Map<String, Object> map = new LinkedHashMap<>();

        Options(double weightDecay) {
            map.put("lr", 1e-3);
            map.put("betas", new double[] {0.9, 0.999});
            map.put("eps", 1e-8);
            map.put("weight_decay", weightDecay);
            map.put("amsgrad", false);
            map.put("maximize", false);
        }

        public Options lr(double v) { map.put("lr", v); return this; }

        public Options betas(double beta1, double beta2) { map.put("betas", new double[] {beta1, beta2}); return this; }

        public Options eps(double v) { map.put("eps", v); return this; }

        public Options weightDecay(double v) { map.put("weight_decay", v); return this; }

        public Options amsgrad(boolean v) { map.put("amsgrad", v); return this; }

        public Options maximize(boolean v) { map.put("maximize", v); return this; }
    }

    public static Options options() { return new Options(0.0); }

    public Adam(Iterable<Tensor> params) { this(params, options()); }

    public Adam(Iterable<Tensor> params, double lr) { this(params, options().lr(lr)); }

    public Adam(Iterable<Tensor> params, Options options) { this(single(params), options); }

    public Adam(List<ParamGroup> groups, Options options) { super(groups, options.map); }

    @Override
    protected void validate(ParamGroup g) {
        String name = getClass().getSimpleName();
        requireNonNegative(name, "learning rate", g.lr());
        requireNonNegative(name, "epsilon", g.getDouble("eps"));
        double[] b = g.getPair("betas");
        requireRange(name, "beta parameter at index 0", b[0], 0, 1);
        requireRange(name, "beta parameter at index 1", b[1], 0, 1);
        requireNonNegative(name, "weight_decay", g.getDouble("weight_decay"));
    }

    /** AdamW overrides this to decay the parameter itself instead of the gradient. */
    protected boolean decoupledWeightDecay() { return false; }

    @Override
    protected void update(Tensor p, Tensor grad, ParamGroup g, Map<String, Object> state) {
        double[] betas = g.getPair("betas");
        boolean amsgrad = g.getBoolean("amsgrad");
        long step = incrementStep(state);
        Tensor expAvg = (Tensor) state.computeIfAbsent("exp_avg", k -> Tensors.zerosLike(p));
        Tensor expAvgSq = (Tensor) state.computeIfAbsent("exp_avg_sq", k -> Tensors.zerosLike(p));
        Tensor max = amsgrad ? (Tensor) state.computeIfAbsent("max_exp_avg_sq", k -> Tensors.zerosLike(p)) : null;
        AdamStep s = AdamStep.of(g.lr(), betas[0], betas[1], g.getDouble("eps"), g.getDouble("weight_decay"),
                decoupledWeightDecay(), g.getBoolean("maximize"), amsgrad, step);
        // The backend runs it as one fused pass where it can (the CPU for float32), else op by op.
        p.backend().adamStep(s, p.strided(), grad.strided(), expAvg.strided(), expAvgSq.strided(),
                max == null ? null : max.strided());
    }
}
