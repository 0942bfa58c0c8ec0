package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/** Normalises channel groups over their channels and positions, as {@code torch.nn.GroupNorm}; weight ones, bias zeros. */
public final class GroupNorm extends Module {
    private final int numGroups;
    private final int numChannels;
    private final double eps;

    public GroupNorm(int numGroups, int numChannels) { this(numGroups, numChannels, 1e-5, true); }

    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine) {
        if (numGroups <= 0 || numChannels % numGroups != 0) {
            throw new IllegalArgumentException("GroupNorm: num_channels " + numChannels + " must be divisible by num_groups " + numGroups);
        }
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        registerParameter("weight", affine ? Tensors.ones(numChannels) : null);
        registerParameter("bias", affine ? Tensors.zeros(numChannels) : null);
    }

    @Override
    public Tensor forward(Tensor input) { return F.groupNorm(input, numGroups, param("weight"), param("bias"), eps); }

    @Override
    protected String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + Repr.py(eps) + ", affine=" + Repr.bool(param("weight") != null);
    }
}
