package dev.kindling.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The base of epoch-based learning-rate schedules, as {@code torch.optim.lr_scheduler.LRScheduler}:
 * it records each group's {@code initial_lr}, takes its initial step at construction (epoch 0),
 * and on every {@link #step()} advances the epoch and writes the new learning rates into the
 * optimizer's groups. Subclasses give PyTorch's recursive ("chainable") rule in {@link #computeLr},
 * so trajectories match PyTorch's to the last bit, and their closed form for
 * {@link #stepTo(int)}.
 */
public abstract class LRScheduler {
    protected final Optimizer optimizer;
    protected final double[] baseLrs;
    protected int lastEpoch;
    protected int stepCount;
    private double[] lastLr;

    protected LRScheduler(Optimizer optimizer) {
        this.optimizer = optimizer;
        List<ParamGroup> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        for (int i = 0; i < groups.size(); i++) {
            groups.get(i).options().putIfAbsent("initial_lr", groups.get(i).lr());
            baseLrs[i] = groups.get(i).getDouble("initial_lr");
        }
        lastEpoch = -1;
    }

    /** Takes the initial step; subclasses call this at the end of their constructor, as PyTorch does. */
    protected final void initialStep() {
        stepCount = 0;
        step();
    }

    /** The learning rates for {@link #lastEpoch}, from the groups' current ones (PyTorch's get_lr). */
    protected abstract double[] computeLr();

    /** The learning rates at any epoch from the base ones, or null when the schedule has no closed form. */
    protected double[] closedFormLr(int epoch) { return null; }

    /** Advances one epoch (call after {@code optimizer.step()}). */
    public void step() {
        stepCount++;
        lastEpoch++;
        apply(computeLr());
    }

    /** Jumps to an epoch, as the deprecated {@code scheduler.step(epoch)} (used by SequentialLR). */
    public void stepTo(int epoch) {
        stepCount++;
        lastEpoch = epoch;
        double[] closed = closedFormLr(epoch);
        apply(closed != null ? closed : computeLr());
    }

    protected final void apply(double[] lrs) {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) groups.get(i).setLr(lrs[i]);
        lastLr = lrs.clone();
    }

    /** The learning rates set by the last step. */
    public double[] getLastLr() { return lastLr.clone(); }

    public int lastEpoch() { return lastEpoch; }

    protected final double[] groupLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int i = 0; i < lrs.length; i++) lrs[i] = groups.get(i).lr();
        return lrs;
    }

    /** last_epoch, step count and last learning rates; subclasses with more state add to it. */
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("last_epoch", lastEpoch);
        m.put("_step_count", stepCount);
        m.put("base_lrs", baseLrs.clone());
        m.put("_last_lr", lastLr == null ? null : lastLr.clone());
        return m;
    }

    public void loadStateDict(Map<String, Object> state) {
        lastEpoch = ((Number) state.get("last_epoch")).intValue();
        stepCount = ((Number) state.get("_step_count")).intValue();
        System.arraycopy(doubles(state.get("base_lrs")), 0, baseLrs, 0, baseLrs.length);
        Object last = state.get("_last_lr");
        lastLr = last == null ? null : doubles(last);
    }

    /** A double[] from an array or (after a JSON round trip) a list of numbers. */
    private static double[] doubles(Object v) {
        if (v instanceof double[] d) return d.clone();
        if (v instanceof java.util.List<?> l) {
            double[] d = new double[l.size()];
            for (int i = 0; i < d.length; i++) d[i] = ((Number) l.get(i)).doubleValue();
            return d;
        }
        throw new IllegalArgumentException("scheduler state: expected a list of numbers but got " + v);
    }

    /** Applies f to every group's current learning rate (the chainable rules' common shape). */
    protected final double[] mapLrs(java.util.function.DoubleUnaryOperator f) {
        double[] lrs = groupLrs();
        for (int i = 0; i < lrs.length; i++) lrs[i] = f.applyAsDouble(lrs[i]);
        return lrs;
    }
}
