package dev.kindling.nn;

import dev.kindling.autograd.GradMode;
import dev.kindling.nn.functional.F;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/**
 * The shared machinery of {@link BatchNorm1d} and {@link BatchNorm2d} (PyTorch's {@code _BatchNorm}):
 * affine weight and bias, running mean and variance buffers updated in training mode, and
 * {@code num_batches_tracked}, which drives the cumulative average when momentum is null.
 */
public abstract class BatchNorm extends Module {
    private final int numFeatures;
    private final double eps;
    private final Double momentum;
    private final boolean affine;
    private final boolean trackRunningStats;

    protected BatchNorm(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        registerParameter("weight", affine ? Tensors.ones(numFeatures) : null);
        registerParameter("bias", affine ? Tensors.zeros(numFeatures) : null);
        registerBuffer("running_mean", trackRunningStats ? Tensors.zeros(numFeatures) : null);
        registerBuffer("running_var", trackRunningStats ? Tensors.ones(numFeatures) : null);
        registerBuffer("num_batches_tracked", trackRunningStats ? Tensors.zeros(DType.INT64) : null);
    }

    /** The input ranks this variant accepts, for the error message. */
    protected abstract boolean acceptsRank(int rank);

    protected abstract String expectedInput();

    @Override
    public Tensor forward(Tensor input) {
        if (!acceptsRank(input.dim())) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected " + expectedInput() + " input (got "
                    + input.dim() + "D input of shape " + Shapes.str(input.shape()) + ")");
        }
        if (input.size(1) != numFeatures) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected " + numFeatures
                    + " channels in dim 1 but got input of shape " + Shapes.str(input.shape()));
        }
        double factor = momentum == null ? 0.0 : momentum;
        boolean useBatchStats = isTraining() || !trackRunningStats;
        if (isTraining() && trackRunningStats) {
            Tensor tracked = buffer("num_batches_tracked");
            try (var g = GradMode.noGrad()) {
                tracked.add_(1);
            }
            if (momentum == null) factor = 1.0 / tracked.itemLong();
        }
        Tensor rm = !isTraining() || trackRunningStats ? buffer("running_mean") : null;
        Tensor rv = !isTraining() || trackRunningStats ? buffer("running_var") : null;
        return F.batchNorm(input, rm, rv, param("weight"), param("bias"), useBatchStats, factor, eps);
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + Repr.py(eps) + ", momentum=" + (momentum == null ? "None" : Repr.py(momentum))
                + ", affine=" + Repr.bool(affine) + ", track_running_stats=" + Repr.bool(trackRunningStats);
    }
}
