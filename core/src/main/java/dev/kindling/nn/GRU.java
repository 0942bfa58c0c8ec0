package dev.kindling.nn;

import dev.kindling.tensor.Tensor;

/**
 * Gated recurrent unit, as {@code torch.nn.GRU}, gates in PyTorch's order (reset, update, new):
 * n = tanh(W_in x + b_in + r (W_hn h + b_hn)), h' = (1 - z) n + z h.
 */
public final class GRU extends RNNBase {

    public GRU(int inputSize, int hiddenSize) { this(inputSize, hiddenSize, 1, true, false, 0, false); }

    public GRU(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional) {
        super(3, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
    }

    /** output, h_n = gru(input, h0); h0 may be null (zeros). */
    public Output forward(Tensor input, Tensor h0) { return run(input, h0, null); }

    /** The same over a PackedSequence: each sequence runs to its own length; h_n is in the original batch order. */
    public PackedOutput forward(PackedSequence input, Tensor h0) { return runPacked(input, h0, null); }

    @Override
    protected Tensor[] cell(Tensor proj, Tensor h, Tensor c, Tensor wHh, Tensor bHh) {
        return new Tensor[] {RecurrentCells.gru(proj, h, wHh, bHh)};
    }
}
