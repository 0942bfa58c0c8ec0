package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/** Normalises over the trailing dims, as {@code torch.nn.LayerNorm}; weight ones, bias zeros. */
public final class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final double eps;

    public LayerNorm(int... normalizedShape) { this(normalizedShape, 1e-5, true); }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        registerParameter("weight", elementwiseAffine ? Tensors.ones(normalizedShape) : null);
        registerParameter("bias", elementwiseAffine ? Tensors.zeros(normalizedShape) : null);
    }

    @Override
    public Tensor forward(Tensor input) { return F.layerNorm(input, normalizedShape, param("weight"), param("bias"), eps); }

    @Override
    protected String extraRepr() {
        return Repr.tuple(normalizedShape) + ", eps=" + Repr.py(eps) + ", elementwise_affine=" + Repr.bool(param("weight") != null);
    }
}
