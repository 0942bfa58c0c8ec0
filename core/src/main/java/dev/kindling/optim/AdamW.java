package dev.kindling.optim;

import dev.kindling.tensor.Tensor;

import java.util.List;

/**
 * Adam with decoupled weight decay, as {@code torch.optim.AdamW}: p *= 1 - lr * weight_decay
 * before the Adam update (default weight_decay 0.01).
 */
public final class AdamW extends Adam {

    /** AdamW's defaults: Adam's, with weight_decay = 0.01. */
    public static Options options() { return new Options(1e-2); }

    public AdamW(Iterable<Tensor> params) { this(params, options()); }

    public AdamW(Iterable<Tensor> params, double lr) { this(params, options().lr(lr)); }

    public AdamW(Iterable<Tensor> params, Options options) { super(params, options); }

    public AdamW(List<ParamGroup> groups, Options options) { super(groups, options); }

    @Override
    protected boolean decoupledWeightDecay() { return true; }
}
