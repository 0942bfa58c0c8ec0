package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/**
 * One transformer encoder block, as {@code torch.nn.TransformerEncoderLayer}: self-attention and a
 * feed-forward network (linear1, activation, dropout, linear2), each with a residual connection
 * and LayerNorm, post-norm by default or pre-norm with {@code normFirst}. Submodule names match
 * PyTorch's ({@code self_attn}, {@code linear1}, {@code norm1}...).
 */
public final class TransformerEncoderLayer extends Module {
    private final int dModel;
    private final int nhead;
    private final int dimFeedforward;
    private final double dropout;
    private final String activation;
    private final double layerNormEps;
    private final boolean batchFirst;
    private final boolean normFirst;

    public TransformerEncoderLayer(int dModel, int nhead) {
        this(dModel, nhead, 2048, 0.1, "relu", 1e-5, false, false);
    }

    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, double dropout, String activation,
                                   double layerNormEps, boolean batchFirst, boolean normFirst) {
        if (!activation.equals("relu") && !activation.equals("gelu")) {
            throw new IllegalArgumentException("TransformerEncoderLayer: activation should be relu/gelu, not " + activation);
        }
        this.dModel = dModel;
        this.nhead = nhead;
        this.dimFeedforward = dimFeedforward;
        this.dropout = dropout;
        this.activation = activation;
        this.layerNormEps = layerNormEps;
        this.batchFirst = batchFirst;
        this.normFirst = normFirst;
        registerModule("self_attn", new MultiheadAttention(dModel, nhead, dropout, true, batchFirst));
        registerModule("linear1", new Linear(dModel, dimFeedforward));
        registerModule("dropout", new Dropout(dropout));
        registerModule("linear2", new Linear(dimFeedforward, dModel));
        registerModule("norm1", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        registerModule("norm2", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        registerModule("dropout1", new Dropout(dropout));
        registerModule("dropout2", new Dropout(dropout));
    }

    /** A layer with the same configuration and a copy of this one's weights (PyTorch's deepcopy). */
    public TransformerEncoderLayer copy() {
        TransformerEncoderLayer c = new TransformerEncoderLayer(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps,
                batchFirst, normFirst);
        c.loadStateDict(stateDict(), true);
        c.train(isTraining());
        return c;
    }

    @Override
    public Tensor forward(Tensor src) { return forward(src, null, null); }

    /** srcMask: [L, L] (bool true = not allowed, or float added); srcKeyPaddingMask: [N, L] bool, true = padding. */
    public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask) {
        Tensor x = src;
        if (normFirst) {
            x = x.add(selfAttention(module("norm1").forward(x), srcMask, srcKeyPaddingMask));
            x = x.add(feedForward(module("norm2").forward(x)));
        } else {
            x = module("norm1").forward(x.add(selfAttention(x, srcMask, srcKeyPaddingMask)));
            x = module("norm2").forward(x.add(feedForward(x)));
        }
        return x;
    }

    private Tensor selfAttention(Tensor x, Tensor mask, Tensor keyPadding) {
        MultiheadAttention attn = (MultiheadAttention) module("self_attn");
        Tensor a = attn.forward(x, x, x, keyPadding, false, mask).attnOutput();
        return module("dropout1").forward(a);
    }

    private Tensor feedForward(Tensor x) {
        Tensor h = module("linear1").forward(x);
        h = activation.equals("relu") ? h.relu() : F.gelu(h);
        h = module("linear2").forward(module("dropout").forward(h));
        return module("dropout2").forward(h);
    }
}
