package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/**
 * One transformer decoder block, as {@code torch.nn.TransformerDecoderLayer}: self-attention over
 * the target, attention from the target to the encoder's memory, and a feed-forward network
 * (linear1, activation, dropout, linear2), each with a residual connection and LayerNorm, post-norm
 * by default or pre-norm with {@code normFirst}. Submodule names match PyTorch's
 * ({@code self_attn}, {@code multihead_attn}, {@code linear1}, {@code norm1..3}...), so state dicts
 * move between the two.
 */
public final class TransformerDecoderLayer extends Module {
    private final int dModel;
    private final int nhead;
    private final int dimFeedforward;
    private final double dropout;
    private final String activation;
    private final double layerNormEps;
    private final boolean batchFirst;
    private final boolean normFirst;

    public TransformerDecoderLayer(int dModel, int nhead) {
        this(dModel, nhead, 2048, 0.1, "relu", 1e-5, false, false);
    }

    public TransformerDecoderLayer(int dModel, int nhead, int dimFeedforward, double dropout, String activation,
                                   double layerNormEps, boolean batchFirst, boolean normFirst) {
        if (!activation.equals("relu") && !activation.equals("gelu")) {
            throw new IllegalArgumentException("TransformerDecoderLayer: activation should be relu/gelu, not " + activation);
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
        registerModule("multihead_attn", new MultiheadAttention(dModel, nhead, dropout, true, batchFirst));
        registerModule("linear1", new Linear(dModel, dimFeedforward));
        registerModule("dropout", new Dropout(dropout));
        registerModule("linear2", new Linear(dimFeedforward, dModel));
        registerModule("norm1", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        registerModule("norm2", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        registerModule("norm3", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        registerModule("dropout1", new Dropout(dropout));
        registerModule("dropout2", new Dropout(dropout));
        registerModule("dropout3", new Dropout(dropout));
    }

    /** A layer with the same configuration and a copy of this one's weights (PyTorch's deepcopy). */
    public TransformerDecoderLayer copy() {
        TransformerDecoderLayer c = new TransformerDecoderLayer(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps,
                batchFirst, normFirst);
        c.loadStateDict(stateDict(), true);
        c.train(isTraining());
        return c;
    }

    /** A decoder layer needs the memory too; this single-input form is not defined. */
    @Override
    public Tensor forward(Tensor tgt) {
        throw new IllegalArgumentException("TransformerDecoderLayer: forward needs (tgt, memory), not tgt alone");
    }

    public Tensor forward(Tensor tgt, Tensor memory) { return forward(tgt, memory, null, null, null, null); }

    /**
     * tgtMask [T, T] and memoryMask [T, S]: bool (true = not allowed) or float (added);
     * tgtKeyPaddingMask [N, T] and memoryKeyPaddingMask [N, S]: true = padding.
     */
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask,
                          Tensor memoryKeyPaddingMask) {
        Tensor x = tgt;
        if (normFirst) {
            x = x.add(selfAttention(module("norm1").forward(x), tgtMask, tgtKeyPaddingMask));
            x = x.add(crossAttention(module("norm2").forward(x), memory, memoryMask, memoryKeyPaddingMask));
            x = x.add(feedForward(module("norm3").forward(x)));
        } else {
            x = module("norm1").forward(x.add(selfAttention(x, tgtMask, tgtKeyPaddingMask)));
            x = module("norm2").forward(x.add(crossAttention(x, memory, memoryMask, memoryKeyPaddingMask)));
            x = module("norm3").forward(x.add(feedForward(x)));
        }
        return x;
    }

    private Tensor selfAttention(Tensor x, Tensor mask, Tensor keyPadding) {
        MultiheadAttention attn = (MultiheadAttention) module("self_attn");
        return module("dropout1").forward(attn.forward(x, x, x, keyPadding, false, mask).attnOutput());
    }

    private Tensor crossAttention(Tensor x, Tensor memory, Tensor mask, Tensor keyPadding) {
        MultiheadAttention attn = (MultiheadAttention) module("multihead_attn");
        return module("dropout2").forward(attn.forward(x, memory, memory, keyPadding, false, mask).attnOutput());
    }

    private Tensor feedForward(Tensor x) {
        Tensor h = module("linear1").forward(x);
        h = activation.equals("relu") ? h.relu() : F.gelu(h);
        h = module("linear2").forward(module("dropout").forward(h));
        return module("dropout3").forward(h);
    }
}
