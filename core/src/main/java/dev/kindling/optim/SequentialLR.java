package dev.kindling.optim;

import java.util.List;

/**
 * Runs schedulers one after another, switching at milestone epochs, as {@code SequentialLR}
 * (e.g. a LinearLR warm-up followed by CosineAnnealingLR). The scheduler taking over is restarted
 * at epoch 0.
 */
public final class SequentialLR extends LRScheduler {
    private final List<LRScheduler> schedulers;
    private final int[] milestones;

    public SequentialLR(Optimizer optimizer, List<LRScheduler> schedulers, int[] milestones) {
        super(optimizer);
        if (schedulers.size() != milestones.length + 1) {
            throw new IllegalArgumentException("SequentialLR: expected " + (schedulers.size() - 1) + " milestones for "
                    + schedulers.size() + " schedulers but got " + milestones.length);
        }
        for (LRScheduler s : schedulers) {
            if (s.optimizer != optimizer) throw new IllegalArgumentException("SequentialLR: every scheduler must use the same optimizer");
        }
        this.schedulers = List.copyOf(schedulers);
        this.milestones = milestones.clone();
        // Reset to the initial learning rates and redo the first scheduler's initial step, as PyTorch.
        List<ParamGroup> groups = optimizer.paramGroups();
        for (ParamGroup g : groups) g.setLr(g.getDouble("initial_lr"));
        for (LRScheduler s : schedulers) s.lastEpoch -= 1;
        schedulers.get(0).initialStep();
        lastEpoch = 0;
        stepCount = 1;
        apply(schedulers.get(0).getLastLr());
    }

    @Override
    public void step() {
        stepCount++;
        lastEpoch++;
        int idx = 0;
        while (idx < milestones.length && milestones[idx] <= lastEpoch) idx++;
        LRScheduler s = schedulers.get(idx);
        if (idx > 0 && milestones[idx - 1] == lastEpoch) s.stepTo(0);
        else s.step();
        apply(s.getLastLr());
    }

    @Override
    protected double[] computeLr() { return groupLrs(); }
}
