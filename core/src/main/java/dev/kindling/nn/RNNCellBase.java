package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/**
 * The shared parameters and checks of {@link RNNCell}, {@link LSTMCell} and {@link GRUCell}, as
 * {@code torch.nn.RNNCellBase}: {@code weight_ih} [gates * hidden, input], {@code weight_hh}
 * [gates * hidden, hidden], {@code bias_ih} and {@code bias_hh}, uniform(+-1/sqrt(hidden)). A cell
 * takes one time step, batched [B, input] or unbatched [input].
 */
public abstract class RNNCellBase extends Module {
    private final int inputSize;
    private final int hiddenSize;
    private final boolean bias;

    protected RNNCellBase(int gates, int inputSize, int hiddenSize, boolean bias) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": input_size and hidden_size must be positive, got "
                    + inputSize + ", " + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.bias = bias;
        registerParameter("weight_ih", Tensors.empty(gates * hiddenSize, inputSize));
        registerParameter("weight_hh", Tensors.empty(gates * hiddenSize, hiddenSize));
        if (bias) {
            registerParameter("bias_ih", Tensors.empty(gates * hiddenSize));
            registerParameter("bias_hh", Tensors.empty(gates * hiddenSize));
        }
        double k = 1 / Math.sqrt(hiddenSize);
        for (Tensor p : parameters()) Init.uniform_(p, -k, k, Generator.defaultGenerator());
    }

    public int hiddenSize() { return hiddenSize; }

    /** The input as [B, input] (an unbatched [input] becomes [1, input]), checked. */
    protected Tensor batchedInput(Tensor input) {
        if (input.dim() != 1 && input.dim() != 2 || input.size(-1) != inputSize) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected input of shape [batch, " + inputSize
                    + "] or [" + inputSize + "] but got " + Shapes.str(input.shape()));
        }
        return input.dim() == 1 ? input.unsqueeze(0) : input;
    }

    /** A state as [B, hidden]: zeros when null, else checked against the input's batching. */
    protected Tensor batchedState(Tensor state, Tensor input, String name) {
        int batch = input.dim() == 1 ? 1 : input.size(0);
        if (state == null) return Tensors.zeros(input.dtype(), input.device(), batch, hiddenSize);
        if (state.dim() != input.dim() || state.size(-1) != hiddenSize || (input.dim() == 2 && state.size(0) != batch)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected " + name + " of shape "
                    + (input.dim() == 1 ? "[" + hiddenSize + "]" : "[" + batch + ", " + hiddenSize + "]") + " but got "
                    + Shapes.str(state.shape()));
        }
        return state.dim() == 1 ? state.unsqueeze(0) : state;
    }

    /** W_ih x + b_ih for a batched input. */
    protected Tensor inputProjection(Tensor x) { return F.linear(x, param("weight_ih"), bias ? param("bias_ih") : null); }

    protected Tensor weightHh() { return param("weight_hh"); }

    protected Tensor biasHh() { return bias ? param("bias_hh") : null; }

    /** Back to the input's batching: [1, H] to [H] for an unbatched input. */
    protected static Tensor like(Tensor state, Tensor input) { return input.dim() == 1 ? state.squeeze(0) : state; }

    @Override
    protected String extraRepr() { return inputSize + ", " + hiddenSize + (bias ? "" : ", bias=False"); }
}
