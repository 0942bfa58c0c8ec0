package dev.kindling.nn;

import dev.kindling.tensor.Tensor;

/** One LSTM step with gates in PyTorch's order (input, forget, cell, output), as {@code torch.nn.LSTMCell}. */
public final class LSTMCell extends RNNCellBase {

    /** The next hidden and cell states, as PyTorch's (h_1, c_1) tuple. */
    public record State(Tensor h, Tensor c) {}

    public LSTMCell(int inputSize, int hiddenSize) { this(inputSize, hiddenSize, true); }

    public LSTMCell(int inputSize, int hiddenSize, boolean bias) { super(4, inputSize, hiddenSize, bias); }

    /** The next hidden state from zero states, so the cell can sit in a Sequential. */
    @Override
    public Tensor forward(Tensor input) { return forward(input, null, null).h(); }

    /** (h', c') = cell(input, (h, c)); h and c may be null (zeros). */
    public State forward(Tensor input, Tensor h, Tensor c) {
        Tensor x = batchedInput(input);
        Tensor h0 = batchedState(h, input, "h");
        Tensor c0 = batchedState(c, input, "c");
        Tensor[] next = RecurrentCells.lstm(inputProjection(x), h0, c0, weightHh(), biasHh());
        return new State(like(next[0], input), like(next[1], input));
    }
}
