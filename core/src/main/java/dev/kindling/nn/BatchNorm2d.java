package dev.kindling.nn;

/** Batch norm over [N, C, H, W], as {@code torch.nn.BatchNorm2d}. */
public final class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int numFeatures) { this(numFeatures, 1e-5, 0.1, true, true); }

    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    protected boolean acceptsRank(int rank) { return rank == 4; }

    @Override
    protected String expectedInput() { return "4D"; }
}
