package dev.kindling.nn;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/**
 * The encoder-decoder transformer, as {@code torch.nn.Transformer}: an {@code encoder}
 * (TransformerEncoder with a final LayerNorm) over the source and a {@code decoder}
 * (TransformerDecoder with a final LayerNorm) from the target to the encoder's output; every
 * weight matrix starts xavier uniform as in PyTorch. State-dict names are PyTorch's
 * ({@code encoder.layers.0.self_attn.in_proj_weight}, {@code decoder.norm.weight}...).
 */
public final class Transformer extends Module {
    private final boolean batchFirst;

    public Transformer() { this(512, 8, 6, 6, 2048, 0.1, "relu", 1e-5, false, false); }

    public Transformer(int dModel, int nhead, int numEncoderLayers, int numDecoderLayers, int dimFeedforward, double dropout,
                       String activation, double layerNormEps, boolean batchFirst, boolean normFirst) {
        this.batchFirst = batchFirst;
        TransformerEncoderLayer encoderLayer = new TransformerEncoderLayer(dModel, nhead, dimFeedforward, dropout, activation,
                layerNormEps, batchFirst, normFirst);
        registerModule("encoder", new TransformerEncoder(encoderLayer, numEncoderLayers,
                new LayerNorm(new int[] {dModel}, layerNormEps, true)));
        TransformerDecoderLayer decoderLayer = new TransformerDecoderLayer(dModel, nhead, dimFeedforward, dropout, activation,
                layerNormEps, batchFirst, normFirst);
        registerModule("decoder", new TransformerDecoder(decoderLayer, numDecoderLayers,
                new LayerNorm(new int[] {dModel}, layerNormEps, true)));
        for (Tensor p : parameters()) if (p.dim() > 1) Init.xavierUniform_(p, 1.0, Generator.defaultGenerator());
    }

    /** A transformer needs source and target; this single-input form is not defined. */
    @Override
    public Tensor forward(Tensor src) {
        throw new IllegalArgumentException("Transformer: forward needs (src, tgt), not src alone");
    }

    public Tensor forward(Tensor src, Tensor tgt) { return forward(src, tgt, null, null, null, null, null, null); }

    /** As PyTorch's forward(src, tgt, src_mask, tgt_mask, memory_mask, src_key_padding_mask, tgt_key_padding_mask, memory_key_padding_mask). */
    public Tensor forward(Tensor src, Tensor tgt, Tensor srcMask, Tensor tgtMask, Tensor memoryMask, Tensor srcKeyPaddingMask,
                          Tensor tgtKeyPaddingMask, Tensor memoryKeyPaddingMask) {
        int batchDim = batchFirst ? 0 : 1;
        if (src.dim() == 3 && tgt.dim() == 3 && src.size(batchDim) != tgt.size(batchDim)) {
            throw new IllegalArgumentException("Transformer: the batch number of src and tgt must be equal but got "
                    + src.size(batchDim) + " and " + tgt.size(batchDim));
        }
        Tensor memory = ((TransformerEncoder) module("encoder")).forward(src, srcMask, srcKeyPaddingMask);
        return ((TransformerDecoder) module("decoder")).forward(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask,
                memoryKeyPaddingMask);
    }

    /** A float [sz, sz] mask with -inf above the diagonal and 0 elsewhere: position i attends to positions up to i. */
    public static Tensor generateSquareSubsequentMask(int sz) {
        return Tensors.full(Double.NEGATIVE_INFINITY, DType.FLOAT32, sz, sz).triu(1);
    }
}
