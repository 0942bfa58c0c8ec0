package dev.kindling.optim;

import java.util.List;

/**
 * The 1cycle policy, as {@code OneCycleLR}: the learning rate rises from maxLr/divFactor to maxLr
 * over pctStart of totalSteps and anneals to maxLr/(divFactor*finalDivFactor) (cosine or linear),
 * while momentum (or Adam's beta1) cycles the other way between 0.95 and 0.85. Steps per batch.
 */
public final class OneCycleLR extends LRScheduler {
    private final int totalSteps;
    private final double[] phaseEnds;
    private final boolean cosine;
    private final boolean cycleMomentum;
    private final boolean useBeta1;

    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps) {
        this(optimizer, maxLr, totalSteps, 0.3, "cos", true, 0.85, 0.95, 25.0, 1e4);
    }

    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps, double pctStart, String annealStrategy,
                      boolean cycleMomentum, double baseMomentum, double maxMomentum, double divFactor, double finalDivFactor) {
        super(optimizer);
        if (totalSteps <= 0) throw new IllegalArgumentException("OneCycleLR: total_steps must be positive but got " + totalSteps);
        if (pctStart < 0 || pctStart > 1) throw new IllegalArgumentException("OneCycleLR: pct_start must be in [0, 1] but got " + pctStart);
        if (!annealStrategy.equals("cos") && !annealStrategy.equals("linear")) {
            throw new IllegalArgumentException("OneCycleLR: anneal_strategy must be 'cos' or 'linear', got '" + annealStrategy + "'");
        }
        this.totalSteps = totalSteps;
        this.phaseEnds = new double[] {pctStart * totalSteps - 1, totalSteps - 1};
        this.cosine = annealStrategy.equals("cos");
        List<ParamGroup> groups = optimizer.paramGroups();
        this.useBeta1 = groups.get(0).options().containsKey("betas");
        boolean hasMomentum = groups.get(0).options().containsKey("momentum");
        if (cycleMomentum && !hasMomentum && !useBeta1) {
            throw new IllegalArgumentException("OneCycleLR: optimizer must support momentum or beta1 with cycle_momentum enabled");
        }
        this.cycleMomentum = cycleMomentum;
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            double initial = maxLr / divFactor;
            g.set("initial_lr", initial);
            g.set("max_lr", maxLr);
            g.set("min_lr", initial / finalDivFactor);
            baseLrs[i] = initial;
            if (cycleMomentum) {
                g.set("max_momentum", maxMomentum);
                g.set("base_momentum", baseMomentum);
                setMomentum(g, maxMomentum);
            }
        }
        initialStep();
    }

    private void setMomentum(ParamGroup g, double m) {
        if (useBeta1) g.set("betas", new double[] {m, g.getPair("betas")[1]});
        else g.set("momentum", m);
    }

    private double anneal(double start, double end, double pct) {
        if (!cosine) return (end - start) * pct + start;
        double cosOut = Math.cos(Math.PI * pct) + 1;
        return end + (start - end) / 2.0 * cosOut;
    }

    @Override
    protected double[] computeLr() {
        int stepNum = lastEpoch;
        if (stepNum > totalSteps) {
            throw new IllegalStateException("OneCycleLR: tried to step " + stepNum + " times; the total number of steps is " + totalSteps);
        }
        String[][] phases = {{"initial_lr", "max_lr", "max_momentum", "base_momentum"},
                {"max_lr", "min_lr", "base_momentum", "max_momentum"}};
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            double start = 0;
            for (int i = 0; i < phases.length; i++) {
                double end = phaseEnds[i];
                if (stepNum <= end || i == phases.length - 1) {
                    double pct = (stepNum - start) / (end - start);
                    lrs[gi] = anneal(g.getDouble(phases[i][0]), g.getDouble(phases[i][1]), pct);
                    if (cycleMomentum) setMomentum(g, anneal(g.getDouble(phases[i][2]), g.getDouble(phases[i][3]), pct));
                    break;
                }
                start = end;
            }
        }
        return lrs;
    }
}
