package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.ArrayList;
import java.util.List;

/**
 * The shared machinery of {@link RNN}, {@link LSTM} and {@link GRU}: per layer and direction the
 * parameters {@code weight_ih_l{k}[_reverse]}, {@code weight_hh_l{k}}, {@code bias_ih_l{k}},
 * {@code bias_hh_l{k}} with PyTorch's shapes, gate order and uniform(+-1/sqrt(hidden)) init, so
 * state dicts move between Kindling and PyTorch. The input projection of a whole sequence is one
 * GEMM; the recurrence then runs step by step. Supports numLayers, bidirectional, batchFirst,
 * dropout between layers, LSTM's projSize ({@code weight_hr_l{k}}) and {@link PackedSequence}
 * inputs, where each sequence stops at its own length (the reverse direction starts there).
 */
public abstract class RNNBase extends Module {
    private final int inputSize;
    private final int hiddenSize;
    private final int numLayers;
    private final boolean bias;
    private final boolean batchFirst;
    private final double dropout;
    private final boolean bidirectional;
    private final int gates;
    private final int projSize;

    /**
     * The sequence output [T, B, D*H_out] (or batch first), the final hidden state [L*D, B, H_out], and for LSTM the final
     * cell state [L*D, B, H]; H_out is projSize when LSTM projects, else the hidden size.
     */
    public record Output(Tensor output, Tensor hN, Tensor cN) {}

    protected RNNBase(int gates, int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst,
                      double dropout, boolean bidirectional) {
        this(gates, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, 0);
    }

    /** projSize > 0 (LSTM only) projects each hidden state to projSize features with {@code weight_hr_l{k}}. */
    protected RNNBase(int gates, int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst,
                      double dropout, boolean bidirectional, int projSize) {
        if (inputSize <= 0 || hiddenSize <= 0 || numLayers <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": input_size, hidden_size and num_layers must be "
                    + "positive, got " + inputSize + ", " + hiddenSize + ", " + numLayers);
        }
        if (projSize < 0 || projSize >= hiddenSize && projSize != 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": proj_size must be in [0, hidden_size) = [0, "
                    + hiddenSize + ") but got " + projSize);
        }
        if (dropout < 0 || dropout > 1) throw new IllegalArgumentException(getClass().getSimpleName() + ": dropout must be in [0, 1] but got " + dropout);
        this.gates = gates;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.bias = bias;
        this.batchFirst = batchFirst;
        this.dropout = dropout;
        this.bidirectional = bidirectional;
        this.projSize = projSize;
        int dirs = bidirectional ? 2 : 1;
        int out = outputSize();
        for (int layer = 0; layer < numLayers; layer++) {
            for (int dir = 0; dir < dirs; dir++) {
                int in = layer == 0 ? inputSize : out * dirs;
                String s = suffix(layer, dir);
                registerParameter("weight_ih" + s, Tensors.empty(gates * hiddenSize, in));
                registerParameter("weight_hh" + s, Tensors.empty(gates * hiddenSize, out));
                if (bias) {
                    registerParameter("bias_ih" + s, Tensors.empty(gates * hiddenSize));
                    registerParameter("bias_hh" + s, Tensors.empty(gates * hiddenSize));
                }
                if (projSize > 0) registerParameter("weight_hr" + s, Tensors.empty(projSize, hiddenSize));
            }
        }
        double k = 1 / Math.sqrt(hiddenSize);
        for (Tensor p : parameters()) Init.uniform_(p, -k, k, Generator.defaultGenerator());
    }

    private static String suffix(int layer, int dir) {
        return "_l" + layer + (dir == 1 ? "_reverse" : "");
    }

    /** One time step: new hidden (and cell) state from the input projection and the previous state. */
    protected abstract Tensor[] cell(Tensor inputProjection, Tensor h, Tensor c, Tensor wHh, Tensor bHh);

    protected boolean hasCellState() { return false; }

    public int hiddenSize() { return hiddenSize; }

    /** The size of each direction's output and hidden state: projSize when projecting, else hiddenSize. */
    private int outputSize() { return projSize > 0 ? projSize : hiddenSize; }

    public boolean batchFirst() { return batchFirst; }

    /** The output sequence only (the hidden state is dropped), so the module fits in a Sequential. */
    @Override
    public Tensor forward(Tensor input) { return run(input, null, null).output(); }

    /** The output as a PackedSequence (same batch sizes and order as the input), h_n and c_n in the original batch order. */
    public record PackedOutput(PackedSequence output, Tensor hN, Tensor cN) {}

    protected PackedOutput runPacked(PackedSequence input, Tensor h0, Tensor c0) {
        // Unpacked to a time-major padded batch in the original order; the recurrence then holds each
        // sequence's state past its end, which is what running on the shrinking packed batch computes.
        Tensor padded = input.padPackedSequence(false, 0.0).padded();
        Output out = run(padded, h0, c0, input.lengths());
        return new PackedOutput(PackedSequence.like(input, out.output()), out.hN(), out.cN());
    }

    protected Output run(Tensor input, Tensor h0, Tensor c0) { return run(input, h0, c0, null); }

    /** lengths: per batch entry, the steps that are real (null: all); input is then time-major and batched. */
    private Output run(Tensor input, Tensor h0, Tensor c0, int[] lengths) {
        boolean batched = input.dim() == 3;
        if (input.dim() != 2 && input.dim() != 3) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected a 2-D (unbatched) or 3-D input but got shape "
                    + Shapes.str(input.shape()));
        }
        Tensor x = lengths != null ? input : batched ? (batchFirst ? input.transpose(0, 1) : input) : input.unsqueeze(1);
        if (x.size(2) != inputSize) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": input.size(-1) must be equal to input_size. Expected "
                    + inputSize + ", got " + x.size(2));
        }
        int steps = x.size(0);
        int batch = x.size(1);
        int dirs = bidirectional ? 2 : 1;
        Tensor h0b = initialState(h0, x, batched, batch, dirs, outputSize(), "h0");
        Tensor c0b = hasCellState() ? initialState(c0, x, batched, batch, dirs, hiddenSize, "c0") : null;
        Tensor[] live = lengths == null ? null : stepMasks(lengths, steps, x);
        List<Tensor> hN = new ArrayList<>();
        List<Tensor> cN = new ArrayList<>();
        Tensor layerInput = x;
        for (int layer = 0; layer < numLayers; layer++) {
            List<Tensor> dirOutputs = new ArrayList<>();
            for (int dir = 0; dir < dirs; dir++) {
                String s = suffix(layer, dir);
                int in = layerInput.size(2);
                Tensor proj = F.linear(layerInput.reshape(steps * batch, in), param("weight_ih" + s), bias ? param("bias_ih" + s) : null)
                        .view(steps, batch, gates * hiddenSize);
                Tensor h = h0b.select(0, layer * dirs + dir);
                Tensor c = c0b == null ? null : c0b.select(0, layer * dirs + dir);
                Tensor[] outs = new Tensor[steps];
                for (int i = 0; i < steps; i++) {
                    int t = dir == 0 ? i : steps - 1 - i;
                    Tensor[] next = cell(proj.select(0, t), h, c, param("weight_hh" + s), bias ? param("bias_hh" + s) : null);
                    Tensor hNext = projSize > 0 ? next[0].matmul(param("weight_hr" + s).t()) : next[0];
                    Tensor cNext = next.length > 1 ? next[1] : null;
                    if (live != null) {
                        // Past its length a sequence keeps its state and outputs zeros (pad_packed_sequence's padding).
                        h = Tensors.where(live[t], hNext, h);
                        c = cNext == null ? null : Tensors.where(live[t], cNext, c);
                        outs[t] = hNext.mul(live[t].to(hNext.dtype()));
                    } else {
                        h = hNext;
                        c = cNext;
                        outs[t] = h;
                    }
                }
                dirOutputs.add(Tensors.stack(List.of(outs), 0));
                hN.add(h);
                if (c != null) cN.add(c);
            }
            layerInput = dirs == 1 ? dirOutputs.get(0) : Tensors.cat(dirOutputs, 2);
            if (dropout > 0 && isTraining() && layer < numLayers - 1) layerInput = F.dropout(layerInput, dropout, true);
        }
        Tensor output = lengths != null ? layerInput : batched ? (batchFirst ? layerInput.transpose(0, 1) : layerInput) : layerInput.squeeze(1);
        Tensor h = Tensors.stack(hN, 0);
        Tensor c = cN.isEmpty() ? null : Tensors.stack(cN, 0);
        if (!batched) {
            h = h.squeeze(1);
            if (c != null) c = c.squeeze(1);
        }
        return new Output(output, h, c);
    }

    /** Per step t, a [batch, 1] bool tensor: true where step t is within that sequence's length. */
    private static Tensor[] stepMasks(int[] lengths, int steps, Tensor like) {
        Tensor[] masks = new Tensor[steps];
        for (int t = 0; t < steps; t++) {
            byte[] m = new byte[lengths.length];
            for (int b = 0; b < m.length; b++) m[b] = (byte) (t < lengths[b] ? 1 : 0);
            masks[t] = Tensors.fromArray(m, dev.kindling.tensor.DType.BOOL, m.length, 1).to(like.device());
        }
        return masks;
    }

    private Tensor initialState(Tensor s, Tensor like, boolean batched, int batch, int dirs, int size, String name) {
        if (s == null) return Tensors.zeros(like.dtype(), like.device(), numLayers * dirs, batch, size);
        Tensor sb = batched ? s : s.unsqueeze(1);
        if (sb.dim() != 3 || sb.size(0) != numLayers * dirs || sb.size(1) != batch || sb.size(2) != size) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected " + name + " of shape ["
                    + numLayers * dirs + ", " + batch + ", " + size + "] but got " + Shapes.str(s.shape()));
        }
        return sb;
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder(inputSize + ", " + hiddenSize);
        if (numLayers != 1) s.append(", num_layers=").append(numLayers);
        if (!bias) s.append(", bias=False");
        if (batchFirst) s.append(", batch_first=True");
        if (dropout != 0) s.append(", dropout=").append(Repr.py(dropout));
        if (bidirectional) s.append(", bidirectional=True");
        if (projSize != 0) s.append(", proj_size=").append(projSize);
        return s.toString();
    }
}
