package dev.kindling.nn;

import dev.kindling.tensor.Tensor;

/** Elman RNN, h' = tanh(W_ih x + b_ih + W_hh h + b_hh) (or relu), as {@code torch.nn.RNN}. */
public final class RNN extends RNNBase {
    private final boolean relu;

    public RNN(int inputSize, int hiddenSize) { this(inputSize, hiddenSize, 1, "tanh", true, false, 0, false); }

    public RNN(int inputSize, int hiddenSize, int numLayers, String nonlinearity, boolean bias, boolean batchFirst,
               double dropout, boolean bidirectional) {
        super(1, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
        if (!nonlinearity.equals("tanh") && !nonlinearity.equals("relu")) {
            throw new IllegalArgumentException("RNN: unknown nonlinearity '" + nonlinearity + "' (expected 'tanh' or 'relu')");
        }
        this.relu = nonlinearity.equals("relu");
    }

    /** output, h_n = rnn(input, h0); h0 may be null (zeros). */
    public Output forward(Tensor input, Tensor h0) { return run(input, h0, null); }

    /** The same over a PackedSequence: each sequence runs to its own length; h_n is in the original batch order. */
    public PackedOutput forward(PackedSequence input, Tensor h0) { return runPacked(input, h0, null); }

    @Override
    protected Tensor[] cell(Tensor proj, Tensor h, Tensor c, Tensor wHh, Tensor bHh) {
        return new Tensor[] {RecurrentCells.elman(proj, h, wHh, bHh, relu)};
    }
}
