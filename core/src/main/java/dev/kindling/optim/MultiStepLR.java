package dev.kindling.optim;

import java.util.Arrays;

/** Multiplies the learning rate by gamma at each milestone epoch, as {@code MultiStepLR}. */
public final class MultiStepLR extends LRScheduler {
    private final int[] milestones;
    private final double gamma;

    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super(optimizer);
        this.milestones = milestones.clone();
        Arrays.sort(this.milestones);
        this.gamma = gamma;
        initialStep();
    }

    private int count(int epoch) {
        int c = 0;
        for (int m : milestones) if (m == epoch) c++;
        return c;
    }

    @Override
    protected double[] computeLr() {
        int c = count(lastEpoch);
        if (c == 0) return groupLrs();
        return mapLrs(lr -> lr * Math.pow(gamma, c));
    }

    @Override
    protected double[] closedFormLr(int epoch) {
        int passed = 0;
        for (int m : milestones) if (m <= epoch) passed++;
        double[] out = baseLrs.clone();
        for (int i = 0; i < out.length; i++) out[i] *= Math.pow(gamma, passed);
        return out;
    }
}
