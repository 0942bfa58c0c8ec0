package dev.kindling.nn.functional;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/**
 * Scaled dot-product attention, {@code softmax(q k^T * scale + mask) v}, as
 * {@code F.scaled_dot_product_attention}: a bool mask marks the positions that take part (true),
 * a float mask is added to the scores, and {@code isCausal} hides later keys.
 */
final class Attention {
    private Attention() {}

    static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, Tensor attnMask, double dropoutP, boolean isCausal,
                                   Double scale, Generator generator) {
        if (q.dim() < 2 || k.dim() < 2 || v.dim() < 2) {
            throw new IllegalArgumentException("scaledDotProductAttention: query, key and value need at least 2 dims, got "
                    + Shapes.str(q.shape()) + ", " + Shapes.str(k.shape()) + ", " + Shapes.str(v.shape()));
        }
        if (q.size(-1) != k.size(-1)) {
            throw new IllegalArgumentException("scaledDotProductAttention: query's last dim " + q.size(-1)
                    + " must equal key's last dim " + k.size(-1));
        }
        if (k.size(-2) != v.size(-2)) {
            throw new IllegalArgumentException("scaledDotProductAttention: key has " + k.size(-2) + " positions but value has "
                    + v.size(-2));
        }
        if (isCausal && attnMask != null) {
            throw new IllegalArgumentException("scaledDotProductAttention: pass either attnMask or isCausal, not both");
        }
        double s = scale != null ? scale : 1.0 / Math.sqrt(q.size(-1));
        Tensor scores = q.matmul(k.transpose(-2, -1)).mul(s);
        int l = q.size(-2);
        int n = k.size(-2);
        if (isCausal) {
            Tensor rows = Tensors.arange(l).unsqueeze(1);
            Tensor cols = Tensors.arange(n).unsqueeze(0);
            scores = scores.maskedFill(cols.gt(rows), Double.NEGATIVE_INFINITY);
        } else if (attnMask != null) {
            scores = attnMask.dtype() == DType.BOOL
                    ? scores.maskedFill(attnMask.logicalNot(), Double.NEGATIVE_INFINITY)
                    : scores.add(attnMask);
        }
        Tensor attn = dev.kindling.ops.Softmax.softmax(scores, -1);
        if (dropoutP > 0) attn = F.dropout(attn, dropoutP, true, generator);
        return attn.matmul(v);
    }
}
