package dev.kindling.optim;

/**
 * Scales the learning rate linearly from startFactor to endFactor over totalIters epochs (a
 * warm-up), as {@code LinearLR}; defaults 1/3, 1.0 and 5.
 */
public final class LinearLR extends LRScheduler {
    private final double startFactor;
    private final double endFactor;
    private final int totalIters;

    public LinearLR(Optimizer optimizer) { this(optimizer, 1.0 / 3, 1.0, 5); }

    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        super(optimizer);
        if (startFactor > 1.0 || startFactor <= 0) {
            throw new IllegalArgumentException("LinearLR: starting multiplicative factor expected to be greater than 0 and less or equal to 1, got " + startFactor);
        }
        if (endFactor > 1.0 || endFactor < 0) {
            throw new IllegalArgumentException("LinearLR: ending multiplicative factor expected to be between 0 and 1, got " + endFactor);
        }
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        if (lastEpoch == 0) return mapLrs(lr -> lr * startFactor);
        if (lastEpoch > totalIters) return groupLrs();
        double f = 1.0 + (endFactor - startFactor) / (totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor));
        return mapLrs(lr -> lr * f);
    }

    @Override
    protected double[] closedFormLr(int epoch) {
        double f = startFactor + (endFactor - startFactor) * Math.min(totalIters, epoch) / totalIters;
        double[] out = baseLrs.clone();
        for (int i = 0; i < out.length; i++) out[i] *= f;
        return out;
    }
}
