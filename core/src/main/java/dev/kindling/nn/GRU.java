package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

import java.util.List;

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
        List<Tensor> xi = proj.chunk(3, -1);
        List<Tensor> hh = F.linear(h, wHh, bHh).chunk(3, -1);
        Tensor r = xi.get(0).add(hh.get(0)).sigmoid();
        Tensor z = xi.get(1).add(hh.get(1)).sigmoid();
        Tensor n = xi.get(2).add(r.mul(hh.get(2))).tanh();
        return new Tensor[] {z.rsub(1.0).mul(n).add(z.mul(h))};
    }
}
