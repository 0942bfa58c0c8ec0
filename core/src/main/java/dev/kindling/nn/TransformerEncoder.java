package dev.kindling.nn;

import dev.kindling.tensor.Tensor;

/**
 * A stack of numLayers copies of an encoder layer (all starting from the given layer's weights,
 * as PyTorch's deepcopy does), with an optional final norm, as {@code torch.nn.TransformerEncoder}.
 */
public final class TransformerEncoder extends Module {
    private final ModuleList layers;
    private final Module norm;

    public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers) { this(encoderLayer, numLayers, null); }

    public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers, Module norm) {
        if (numLayers <= 0) throw new IllegalArgumentException("TransformerEncoder: num_layers must be positive but got " + numLayers);
        ModuleList list = new ModuleList();
        for (int i = 0; i < numLayers; i++) list.add(encoderLayer.copy());
        this.layers = registerModule("layers", list);
        this.norm = norm == null ? null : registerModule("norm", norm);
    }

    @Override
    public Tensor forward(Tensor src) { return forward(src, null, null); }

    public Tensor forward(Tensor src, Tensor mask, Tensor srcKeyPaddingMask) {
        Tensor x = src;
        for (Module layer : layers) x = ((TransformerEncoderLayer) layer).forward(x, mask, srcKeyPaddingMask);
        return norm == null ? x : norm.forward(x);
    }
}
