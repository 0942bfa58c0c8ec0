package dev.kindling.nn;

import dev.kindling.tensor.Tensor;

/** One GRU step with gates in PyTorch's order (reset, update, new), as {@code torch.nn.GRUCell}. */
public final class GRUCell extends RNNCellBase {

    public GRUCell(int inputSize, int hiddenSize) { this(inputSize, hiddenSize, true); }

    public GRUCell(int inputSize, int hiddenSize, boolean bias) { super(3, inputSize, hiddenSize, bias); }

    @Override
    public Tensor forward(Tensor input) { return forward(input, null); }

    /** h' = cell(input, hx); hx may be null (zeros). */
    public Tensor forward(Tensor input, Tensor hx) {
        Tensor x = batchedInput(input);
        Tensor h = batchedState(hx, input, "hx");
        return like(RecurrentCells.gru(inputProjection(x), h, weightHh(), biasHh()), input);
    }
}
