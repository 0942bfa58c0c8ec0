package dev.kindling.optim;

/**
 * Cosine annealing from the base learning rate to etaMin over tMax epochs (and back, periodically),
 * as {@code CosineAnnealingLR}, using PyTorch's recursive form.
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    public CosineAnnealingLR(Optimizer optimizer, int tMax) { this(optimizer, tMax, 0.0); }

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        if (tMax <= 0) throw new IllegalArgumentException("CosineAnnealingLR: T_max must be positive but got " + tMax);
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        if (lastEpoch == 0) return groupLrs();
        if (stepCount == 1 && lastEpoch > 0) return closedFormLr(lastEpoch);
        double[] lrs = groupLrs();
        if (Math.floorMod(lastEpoch - 1 - tMax, 2 * tMax) == 0) {
            for (int i = 0; i < lrs.length; i++) lrs[i] = lrs[i] + (baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            return lrs;
        }
        double ratio = (1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax));
        for (int i = 0; i < lrs.length; i++) lrs[i] = ratio * (lrs[i] - etaMin) + etaMin;
        return lrs;
    }

    @Override
    protected double[] closedFormLr(int epoch) {
        double[] out = new double[baseLrs.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
        }
        return out;
    }
}
