package dev.kindling.optim;

/** Multiplies the learning rate by gamma every epoch, as {@code ExponentialLR}. */
public final class ExponentialLR extends LRScheduler {
    private final double gamma;

    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer);
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        if (lastEpoch == 0) return groupLrs();
        return mapLrs(lr -> lr * gamma);
    }

    @Override
    protected double[] closedFormLr(int epoch) {
        double[] out = baseLrs.clone();
        for (int i = 0; i < out.length; i++) out[i] *= Math.pow(gamma, epoch);
        return out;
    }
}
