package dev.kindling.optim;

/** Multiplies the learning rate by gamma every stepSize epochs, as {@code StepLR}. */
public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    public StepLR(Optimizer optimizer, int stepSize) { this(optimizer, stepSize, 0.1); }

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize <= 0) throw new IllegalArgumentException("StepLR: step_size must be positive but got " + stepSize);
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        if (lastEpoch == 0 || lastEpoch % stepSize != 0) return groupLrs();
        return mapLrs(lr -> lr * gamma);
    }

    @Override
    protected double[] closedFormLr(int epoch) {
        double[] out = baseLrs.clone();
        for (int i = 0; i < out.length; i++) out[i] *= Math.pow(gamma, Math.floorDiv(epoch, stepSize));
        return out;
    }
}
