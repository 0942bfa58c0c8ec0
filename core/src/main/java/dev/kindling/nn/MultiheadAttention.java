package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.List;

/**
 * Multi-head attention, as {@code torch.nn.MultiheadAttention}: packed {@code in_proj_weight}
 * [3E, E] (xavier uniform) when keys and values have the embedding size, else separate
 * {@code q_proj_weight} [E, E], {@code k_proj_weight} [E, kdim], {@code v_proj_weight} [E, vdim];
 * {@code in_proj_bias} (zeros) and {@code out_proj} (a Linear whose bias starts at zero);
 * {@code bias_k}/{@code bias_v} [1, 1, E] appended to keys and values with addBiasKv, and a zero
 * key and value appended per head with addZeroAttn. Masks follow PyTorch's convention for this
 * module: in a bool {@code attnMask} or {@code keyPaddingMask}, true means "may not attend"; a
 * float mask is added. attnMask is [L, S] or [N * numHeads, L, S].
 */
public final class MultiheadAttention extends Module {
    private final int embedDim;
    private final int numHeads;
    private final double dropout;
    private final boolean batchFirst;
    private final int kdim;
    private final int vdim;
    private final boolean addBiasKv;
    private final boolean addZeroAttn;

    /** The attended values and, when asked for, the attention weights (averaged over heads unless not). */
    public record Output(Tensor attnOutput, Tensor attnWeights) {}

    public MultiheadAttention(int embedDim, int numHeads) { this(embedDim, numHeads, 0.0, true, false); }

    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, boolean batchFirst) {
        this(embedDim, numHeads, dropout, bias, false, false, embedDim, embedDim, batchFirst);
    }

    /** PyTorch's full constructor: (embed_dim, num_heads, dropout, bias, add_bias_kv, add_zero_attn, kdim, vdim, batch_first). */
    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, boolean addBiasKv, boolean addZeroAttn,
                              int kdim, int vdim, boolean batchFirst) {
        if (numHeads <= 0 || embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embed_dim (" + embedDim + ") must be divisible by num_heads ("
                    + numHeads + ")");
        }
        if (kdim <= 0 || vdim <= 0) {
            throw new IllegalArgumentException("MultiheadAttention: kdim and vdim must be positive but got " + kdim + ", " + vdim);
        }
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.dropout = dropout;
        this.batchFirst = batchFirst;
        this.kdim = kdim;
        this.vdim = vdim;
        this.addBiasKv = addBiasKv;
        this.addZeroAttn = addZeroAttn;
        Generator g = Generator.defaultGenerator();
        if (packed()) {
            Init.xavierUniform_(registerParameter("in_proj_weight", Tensors.empty(3 * embedDim, embedDim)), 1.0, g);
        } else {
            Init.xavierUniform_(registerParameter("q_proj_weight", Tensors.empty(embedDim, embedDim)), 1.0, g);
            Init.xavierUniform_(registerParameter("k_proj_weight", Tensors.empty(embedDim, kdim)), 1.0, g);
            Init.xavierUniform_(registerParameter("v_proj_weight", Tensors.empty(embedDim, vdim)), 1.0, g);
        }
        registerParameter("in_proj_bias", bias ? Tensors.zeros(3 * embedDim) : null);
        Linear out = registerModule("out_proj", new Linear(embedDim, embedDim, bias));
        if (bias) Init.zeros_(out.bias());
        if (addBiasKv) {
            Init.xavierNormal_(registerParameter("bias_k", Tensors.empty(1, 1, embedDim)), 1.0, g);
            Init.xavierNormal_(registerParameter("bias_v", Tensors.empty(1, 1, embedDim)), 1.0, g);
        }
    }

    /** One packed projection matrix when keys and values have the query's size, as PyTorch decides it. */
    private boolean packed() { return kdim == embedDim && vdim == embedDim; }

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
        if (key.dim() != query.dim() || value.dim() != query.dim()) {
            throw new IllegalArgumentException("MultiheadAttention: query, key and value must all be " + query.dim()
                    + "-D but have shapes " + Shapes.str(query.shape()) + ", " + Shapes.str(key.shape()) + ", "
                    + Shapes.str(value.shape()));
        }
        // Work batch first: [N, L, E].
        Tensor q = batched ? (batchFirst ? query : query.transpose(0, 1)) : query.unsqueeze(0);
        Tensor k = batched ? (batchFirst ? key : key.transpose(0, 1)) : key.unsqueeze(0);
        Tensor v = batched ? (batchFirst ? value : value.transpose(0, 1)) : value.unsqueeze(0);
        if (q.size(2) != embedDim || k.size(2) != kdim || v.size(2) != vdim) {
            throw new IllegalArgumentException("MultiheadAttention: expected query, key and value features " + embedDim + ", "
                    + kdim + ", " + vdim + " but got " + q.size(2) + ", " + k.size(2) + ", " + v.size(2));
        }
        if (k.size(1) != v.size(1) || k.size(0) != v.size(0)) {
            throw new IllegalArgumentException("MultiheadAttention: key shape " + Shapes.str(key.shape())
                    + " does not match value shape " + Shapes.str(value.shape()));
        }
        int n = q.size(0);
        int l = q.size(1);
        int hd = embedDim / numHeads;
        Tensor b = param("in_proj_bias");
        Tensor qp = F.linear(q, projection(0), b == null ? null : b.narrow(0, 0, embedDim));
        Tensor kp = F.linear(k, projection(1), b == null ? null : b.narrow(0, embedDim, embedDim));
        Tensor vp = F.linear(v, projection(2), b == null ? null : b.narrow(0, 2 * embedDim, embedDim));
        Tensor mask = attnMask == null ? null : headMask(attnMask, n, l, k.size(1));
        Tensor padding = keyPaddingMask == null ? null : paddingMask(keyPaddingMask, batched, n, k.size(1));
        if (addBiasKv) {
            kp = Tensors.cat(List.of(kp, param("bias_k").expand(n, 1, embedDim)), 1);
            vp = Tensors.cat(List.of(vp, param("bias_v").expand(n, 1, embedDim)), 1);
            mask = padLastWithZero(mask);
            padding = padLastWithZero(padding);
        }
        int s = kp.size(1);
        Tensor qh = qp.view(n, l, numHeads, hd).transpose(1, 2);
        Tensor kh = kp.view(n, s, numHeads, hd).transpose(1, 2);
        Tensor vh = vp.view(n, s, numHeads, hd).transpose(1, 2);
        if (addZeroAttn) {
            kh = Tensors.cat(List.of(kh, Tensors.zeros(kh.dtype(), kh.device(), n, numHeads, 1, hd)), 2);
            vh = Tensors.cat(List.of(vh, Tensors.zeros(vh.dtype(), vh.device(), n, numHeads, 1, hd)), 2);
            mask = padLastWithZero(mask);
            padding = padLastWithZero(padding);
        }
        Tensor scores = qh.matmul(kh.transpose(-2, -1)).mul(1.0 / Math.sqrt(hd));
        if (mask != null) scores = mask.dtype() == DType.BOOL ? scores.maskedFill(mask, Double.NEGATIVE_INFINITY) : scores.add(mask);
        if (padding != null) {
            Tensor km = padding.view(n, 1, 1, padding.size(1));
            scores = km.dtype() == DType.BOOL ? scores.maskedFill(km, Double.NEGATIVE_INFINITY) : scores.add(km);
        }
        Tensor attn = F.softmax(scores, -1);
        // PyTorch returns the weights after dropout, the ones that were applied
        if (dropout > 0 && isTraining()) attn = F.dropout(attn, dropout, true);
        Tensor ctx = attn.matmul(vh).transpose(1, 2).reshape(n, l, embedDim);
        Tensor out = module("out_proj").forward(ctx);
        Tensor result = batched ? (batchFirst ? out : out.transpose(0, 1)) : out.squeeze(0);
        Tensor weights = null;
        if (needWeights) {
            weights = averageAttnWeights ? attn.mean(1) : attn;
            if (!batched) weights = weights.squeeze(0);
        }
        return new Output(result, weights);
    }

    /** The weight projecting queries (0), keys (1) or values (2). */
    private Tensor projection(int which) {
        if (!packed()) return param(new String[] {"q_proj_weight", "k_proj_weight", "v_proj_weight"}[which]);
        return param("in_proj_weight").narrow(0, which * embedDim, embedDim);
    }

    /** attnMask as [N, heads, L, S] or a broadcastable [L, S]. */
    private Tensor headMask(Tensor attnMask, int n, int l, int s) {
        if (attnMask.dim() == 2 && attnMask.size(0) == l && attnMask.size(1) == s) return attnMask;
        if (attnMask.dim() == 3 && attnMask.size(0) == n * numHeads && attnMask.size(1) == l && attnMask.size(2) == s) {
            return attnMask.view(n, numHeads, l, s);
        }
        throw new IllegalArgumentException("MultiheadAttention: attn_mask must be [" + l + ", " + s + "] or [" + n * numHeads
                + ", " + l + ", " + s + "] but has shape " + Shapes.str(attnMask.shape()));
    }

    private static Tensor paddingMask(Tensor keyPaddingMask, boolean batched, int n, int s) {
        Tensor kpm = batched ? keyPaddingMask : keyPaddingMask.unsqueeze(0);
        if (kpm.dim() != 2 || kpm.size(0) != n || kpm.size(1) != s) {
            throw new IllegalArgumentException("MultiheadAttention: key_padding_mask must have shape [" + n + ", " + s
                    + "] but has " + Shapes.str(keyPaddingMask.shape()));
        }
        return kpm;
    }

    /** One more key that every query may attend (false / 0 in the last dim), for the appended bias or zero key. */
    private static Tensor padLastWithZero(Tensor mask) {
        if (mask == null) return null;
        int[] shape = mask.shape();
        shape[shape.length - 1] = 1;
        return Tensors.cat(List.of(mask, Tensors.zeros(mask.dtype(), mask.device(), shape)), -1);
    }
}
