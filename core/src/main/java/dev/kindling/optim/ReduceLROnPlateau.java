package dev.kindling.optim;

import java.util.List;

/**
 * Reduces the learning rate by a factor when a metric stops improving for {@code patience}
 * epochs, as {@code ReduceLROnPlateau}; call {@link #step(double)} with the validation metric.
 */
public final class ReduceLROnPlateau {
    private final Optimizer optimizer;
    private final boolean minimize;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final boolean relative;
    private final int cooldown;
    private final double minLr;
    private final double eps;
    private double best;
    private int badEpochs;
    private int cooldownCounter;
    private int lastEpoch;

    public ReduceLROnPlateau(Optimizer optimizer) {
        this(optimizer, "min", 0.1, 10, 1e-4, "rel", 0, 0.0, 1e-8);
    }

    public ReduceLROnPlateau(Optimizer optimizer, String mode, double factor, int patience, double threshold,
                             String thresholdMode, int cooldown, double minLr, double eps) {
        if (factor >= 1.0) throw new IllegalArgumentException("ReduceLROnPlateau: factor should be < 1.0 but got " + factor);
        if (!mode.equals("min") && !mode.equals("max")) throw new IllegalArgumentException("ReduceLROnPlateau: mode " + mode + " is unknown");
        if (!thresholdMode.equals("rel") && !thresholdMode.equals("abs")) {
            throw new IllegalArgumentException("ReduceLROnPlateau: threshold mode " + thresholdMode + " is unknown");
        }
        this.optimizer = optimizer;
        this.minimize = mode.equals("min");
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.relative = thresholdMode.equals("rel");
        this.cooldown = cooldown;
        this.minLr = minLr;
        this.eps = eps;
        this.best = minimize ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    private boolean better(double a, double best) {
        if (minimize) return relative ? a < best * (1 - threshold) : a < best - threshold;
        return relative ? a > best * (threshold + 1) : a > best + threshold;
    }

    /** Records the epoch's metric and reduces the learning rates when it has plateaued. */
    public void step(double metric) {
        lastEpoch++;
        if (better(metric, best)) {
            best = metric;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            badEpochs = 0;
        }
        if (badEpochs > patience) {
            List<ParamGroup> groups = optimizer.paramGroups();
            for (ParamGroup g : groups) {
                double old = g.lr();
                double next = Math.max(old * factor, minLr);
                if (old - next > eps) g.setLr(next);
            }
            cooldownCounter = cooldown;
            badEpochs = 0;
        }
    }

    public double best() { return best; }

    public int numBadEpochs() { return badEpochs; }
}
