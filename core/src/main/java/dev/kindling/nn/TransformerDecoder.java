package dev.kindling.nn;

import dev.kindling.tensor.Tensor;

/**
 * A stack of numLayers copies of a decoder layer (all starting from the given layer's weights, as
 * PyTorch's deepcopy does), each attending to the same memory, with an optional final norm, as
 * {@code torch.nn.TransformerDecoder}.
 */
public final class TransformerDecoder extends Module {
    private final ModuleList layers;
    private final Module norm;

    public TransformerDecoder(TransformerDecoderLayer decoderLayer, int numLayers) { this(decoderLayer, numLayers, null); }

    public TransformerDecoder(TransformerDecoderLayer decoderLayer, int numLayers, Module norm) {
        if (numLayers <= 0) throw new IllegalArgumentException("TransformerDecoder: num_layers must be positive but got " + numLayers);
        ModuleList list = new ModuleList();
        for (int i = 0; i < numLayers; i++) list.add(decoderLayer.copy());
        this.layers = registerModule("layers", list);
        this.norm = norm == null ? null : registerModule("norm", norm);
    }

    /** A decoder needs the memory too; this single-input form is not defined. */
    @Override
    public Tensor forward(Tensor tgt) {
        throw new IllegalArgumentException("TransformerDecoder: forward needs (tgt, memory), not tgt alone");
    }

    public Tensor forward(Tensor tgt, Tensor memory) { return forward(tgt, memory, null, null, null, null); }

    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask,
                          Tensor memoryKeyPaddingMask) {
        Tensor x = tgt;
        for (Module layer : layers) {
            x = ((TransformerDecoderLayer) layer).forward(x, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask);
        }
        return norm == null ? x : norm.forward(x);
    }
}
