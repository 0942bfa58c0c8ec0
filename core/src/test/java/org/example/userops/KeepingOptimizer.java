package org.example.userops;

import dev.kindling.optim.Optimizer;
import dev.kindling.optim.ParamGroup;
import dev.kindling.tensor.Tensor;

import java.util.List;
import java.util.Map;

/** A user's optimizer, outside Kindling's packages: plain SGD that also keeps every gradient it is given. */
public final class KeepingOptimizer extends Optimizer {
    private final List<Tensor> kept;

    public KeepingOptimizer(Iterable<Tensor> params, double lr, List<Tensor> kept) {
        super(single(params), Map.of("lr", lr));
        this.kept = kept;
    }

    @Override
    protected void validate(ParamGroup group) { }

    @Override
    protected void update(Tensor param, Tensor grad, ParamGroup group, Map<String, Object> state) {
        kept.add(grad);
        param.sub_(grad.mul(group.lr()));
    }
}
