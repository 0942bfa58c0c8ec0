package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

import java.util.List;

/**
 * The one-step math of the Elman, LSTM and GRU cells, shared by the sequence modules
 * ({@link RNN}, {@link LSTM}, {@link GRU}) and the single-step ones ({@link RNNCell},
 * {@link LSTMCell}, {@link GRUCell}). {@code proj} is the input's projection W_ih x + b_ih,
 * computed by the caller (for a whole sequence at once in the sequence modules).
 */
final class RecurrentCells {
    private RecurrentCells() {}

    /** h' = tanh(proj + W_hh h + b_hh), or relu. */
    static Tensor elman(Tensor proj, Tensor h, Tensor wHh, Tensor bHh, boolean relu) {
        Tensor pre = proj.add(F.linear(h, wHh, bHh));
        return relu ? pre.relu() : pre.tanh();
    }

    /** Gates in PyTorch's order (input, forget, cell, output): c' = f c + i g, h' = o tanh(c'); returns {h', c'}. */
    static Tensor[] lstm(Tensor proj, Tensor h, Tensor c, Tensor wHh, Tensor bHh) {
        List<Tensor> g = proj.add(F.linear(h, wHh, bHh)).chunk(4, -1);
        Tensor i = g.get(0).sigmoid();
        Tensor f = g.get(1).sigmoid();
        Tensor cell = g.get(2).tanh();
        Tensor o = g.get(3).sigmoid();
        Tensor cNext = f.mul(c).add(i.mul(cell));
        return new Tensor[] {o.mul(cNext.tanh()), cNext};
    }

    /** Gates in PyTorch's order (reset, update, new): n = tanh(x_n + r (W_hn h + b_hn)), h' = (1 - z) n + z h. */
    static Tensor gru(Tensor proj, Tensor h, Tensor wHh, Tensor bHh) {
        List<Tensor> xi = proj.chunk(3, -1);
        List<Tensor> hh = F.linear(h, wHh, bHh).chunk(3, -1);
        Tensor r = xi.get(0).add(hh.get(0)).sigmoid();
        Tensor z = xi.get(1).add(hh.get(1)).sigmoid();
        Tensor n = xi.get(2).add(r.mul(hh.get(2))).tanh();
        return z.rsub(1.0).mul(n).add(z.mul(h));
    }
}
