package dev.kindling.nn;

import dev.kindling.tensor.Tensor;

/** One Elman step, h' = tanh(W_ih x + b_ih + W_hh h + b_hh) (or relu), as {@code torch.nn.RNNCell}. */
public final class RNNCell extends RNNCellBase {
    private final boolean relu;

    public RNNCell(int inputSize, int hiddenSize) { this(inputSize, hiddenSize, true, "tanh"); }

    public RNNCell(int inputSize, int hiddenSize, boolean bias, String nonlinearity) {
        super(1, inputSize, hiddenSize, bias);
        if (!nonlinearity.equals("tanh") && !nonlinearity.equals("relu")) {
            throw new IllegalArgumentException("RNNCell: unknown nonlinearity '" + nonlinearity + "' (expected 'tanh' or 'relu')");
        }
        this.relu = nonlinearity.equals("relu");
    }

    @Override
    public Tensor forward(Tensor input) { return forward(input, null); }

    /** h' = cell(input, hx); hx may be null (zeros). */
    public Tensor forward(Tensor input, Tensor hx) {
        Tensor x = batchedInput(input);
        Tensor h = batchedState(hx, input, "hx");
        return like(RecurrentCells.elman(inputProjection(x), h, weightHh(), biasHh(), relu), input);
    }
}
