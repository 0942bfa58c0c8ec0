package dev.kindling.nn;

import dev.kindling.tensor.Tensor;

/**
 * Long short-term memory, as {@code torch.nn.LSTM}, with gates in PyTorch's order (input, forget,
 * cell, output): c' = f c + i g, h' = o tanh(c').
 */
public final class LSTM extends RNNBase {

    public LSTM(int inputSize, int hiddenSize) { this(inputSize, hiddenSize, 1, true, false, 0, false); }

    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional) {
        this(inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, 0);
    }

    /** projSize > 0: h_t = W_hr (o * tanh(c_t)) has projSize features (PyTorch's proj_size; h0 is then [L*D, B, projSize]). */
    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional,
                int projSize) {
        super(4, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, projSize);
    }

    /** output, (h_n, c_n) = lstm(input, (h0, c0)); h0 and c0 may be null (zeros). */
    public Output forward(Tensor input, Tensor h0, Tensor c0) { return run(input, h0, c0); }

    /** The same over a PackedSequence: each sequence runs to its own length; h_n is in the original batch order. */
    public PackedOutput forward(PackedSequence input, Tensor h0, Tensor c0) { return runPacked(input, h0, c0); }

    @Override
    protected boolean hasCellState() { return true; }

    @Override
    protected Tensor[] cell(Tensor proj, Tensor h, Tensor c, Tensor wHh, Tensor bHh) {
        return RecurrentCells.lstm(proj, h, c, wHh, bHh);
    }
}
