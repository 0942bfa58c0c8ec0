package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/**
 * Multi-head attention, as {@code torch.nn.MultiheadAttention}: packed {@code in_proj_weight}
 * [3E, E] (xavier uniform) and {@code in_proj_bias} (zeros), and {@code out_proj} (a Linear whose
 * bias starts at zero). Masks follow PyTorch's convention for this module: in a bool
 * {@code attnMask} or {@code keyPaddingMask}, true means "may not attend"; a float mask is added.
 */
public final class MultiheadAttention extends Module {
    private final int embedDim;
    private final int numHeads;
    private final double dropout;
    private final boolean batchFirst;

    /** The attended values and, when asked for, the attention weights (averaged over heads unless not). */
    public record Output(Tensor attnOutput, Tensor attnWeights) {}

    public MultiheadAttention(int embedDim, int numHeads) { this(embedDim, numHeads, 0.0, true, false); }

    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, boolean batchFirst) {
        if (numHeads <= 0 || embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embed_dim (" + embedDim + ") must be divisible by num_heads ("
                    + numHeads + ")");
        }
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.dropout = dropout;
        this.batchFirst = batchFirst;
        Tensor w = registerParameter("in_proj_weight", Tensors.empty(3 * embedDim, embedDim));
        Tensor b = registerParameter("in_proj_bias", bias ? Tensors.zeros(3 * embedDim) : null);
        Linear out = registerModule("out_proj", new Linear(embedDim, embedDim, bias));
        Init.xavierUniform_(w, 1.0, Generator.defaultGenerator());
        if (b != null) Init.zeros_(out.bias());
    }

    /** attn_output, attn_weights = mha(query, key, value, key_padding_mask, need_weights=True, attn_mask). */
    public Output forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights, Tensor attnMask) {
        return forward(query, key, value, keyPaddingMask, needWeights, attnMask, true);
    }

    public Output forward(Tensor query, Tensor key, Tensor value) {
        return forward(query, key, value, null, true, null, true);
    }

    /** Self-attention output only, so the module can sit in a Sequential. */
    @Override
    public Tensor forward(Tensor input) { return forward(input, input, input, null, false, null, true).attnOutput(); }

    public Output forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights, Tensor attnMask,
                          boolean averageAttnWeights) {
        boolean batched = query.dim() == 3;
        if (query.dim() != 2 && query.dim() != 3) {
            throw new IllegalArgumentException("MultiheadAttention: query must be 2-D or 3-D but has shape " + Shapes.str(query.shape()));
        }
        // Work batch first: [N, L, E].
        Tensor q = batched ? (batchFirst ? query : query.transpose(0, 1)) : query.unsqueeze(0);
        Tensor k = batched ? (batchFirst ? key : key.transpose(0, 1)) : key.unsqueeze(0);
        Tensor v = batched ? (batchFirst ? value : value.transpose(0, 1)) : value.unsqueeze(0);
        if (q.size(2) != embedDim) {
            throw new IllegalArgumentException("MultiheadAttention: was expecting embedding dimension of " + embedDim
                    + ", but got " + q.size(2));
        }
        int n = q.size(0);
        int l = q.size(1);
        int s = k.size(1);
        int hd = embedDim / numHeads;
        Tensor w = param("in_proj_weight");
        Tensor b = param("in_proj_bias");
        Tensor qp = F.linear(q, w.narrow(0, 0, embedDim), b == null ? null : b.narrow(0, 0, embedDim));
        Tensor kp = F.linear(k, w.narrow(0, embedDim, embedDim), b == null ? null : b.narrow(0, embedDim, embedDim));
        Tensor vp = F.linear(v, w.narrow(0, 2 * embedDim, embedDim), b == null ? null : b.narrow(0, 2 * embedDim, embedDim));
        Tensor qh = qp.view(n, l, numHeads, hd).transpose(1, 2);
        Tensor kh = kp.view(n, s, numHeads, hd).transpose(1, 2);
        Tensor vh = vp.view(n, s, numHeads, hd).transpose(1, 2);
        Tensor scores = qh.matmul(kh.transpose(-2, -1)).mul(1.0 / Math.sqrt(hd));
        if (attnMask != null) {
            Tensor m = attnMask.dim() == 3 ? attnMask.view(n, numHeads, l, s) : attnMask;
            scores = m.dtype() == DType.BOOL ? scores.maskedFill(m, Double.NEGATIVE_INFINITY) : scores.add(m);
        }
        if (keyPaddingMask != null) {
            Tensor kpm = batched ? keyPaddingMask : keyPaddingMask.unsqueeze(0);
            if (kpm.dim() != 2 || kpm.size(0) != n || kpm.size(1) != s) {
                throw new IllegalArgumentException("MultiheadAttention: key_padding_mask must have shape [" + n + ", " + s
                        + "] but has " + Shapes.str(keyPaddingMask.shape()));
            }
            Tensor km = kpm.view(n, 1, 1, s);
            scores = kpm.dtype() == DType.BOOL ? scores.maskedFill(km, Double.NEGATIVE_INFINITY) : scores.add(km);
        }
        Tensor attn = F.softmax(scores, -1);
        Tensor attnDropped = dropout > 0 && isTraining() ? F.dropout(attn, dropout, true) : attn;
        Tensor ctx = attnDropped.matmul(vh).transpose(1, 2).reshape(n, l, embedDim);
        Tensor out = module("out_proj").forward(ctx);
        Tensor result = batched ? (batchFirst ? out : out.transpose(0, 1)) : out.squeeze(0);
        Tensor weights = null;
        if (needWeights) {
            weights = averageAttnWeights ? attn.mean(1) : attn;
            if (!batched) weights = weights.squeeze(0);
        }
        return new Output(result, weights);
    }
}
