package dev.kindling.reference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.nn.GRU;
import dev.kindling.nn.GRUCell;
import dev.kindling.nn.LSTMCell;
import dev.kindling.nn.RNNCell;
import dev.kindling.nn.LSTM;
import dev.kindling.nn.LayerNorm;
import dev.kindling.nn.Module;
import dev.kindling.nn.MultiheadAttention;
import dev.kindling.nn.PackedSequence;
import dev.kindling.nn.RNN;
import dev.kindling.nn.RNNBase;
import dev.kindling.nn.Transformer;
import dev.kindling.nn.TransformerDecoder;
import dev.kindling.nn.TransformerDecoderLayer;
import dev.kindling.nn.TransformerEncoder;
import dev.kindling.nn.TransformerEncoderLayer;
import dev.kindling.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ports the module cases of {@code modules.json} (written by {@code gen_modules.py}): builds the
 * Kindling module from PyTorch's constructor kwargs and calls it as the generator called PyTorch's.
 * Every kwarg and every input tensor must be used (kwargs through {@link UsedKwargs}, inputs
 * through {@link Inputs}), so a case the port cannot express fails instead of passing on defaults.
 */
final class ModuleCases {
    private ModuleCases() {}

    /** The case's input tensors by name, remembering which ones the port took. */
    static final class Inputs {
        private final Map<String, Tensor> byName;
        private final Set<String> taken = new HashSet<>();

        Inputs(Map<String, Tensor> byName) { this.byName = byName; }

        Tensor get(String name) {
            taken.add(name);
            return byName.get(name);
        }

        List<String> untaken() {
            List<String> out = new ArrayList<>();
            for (String k : byName.keySet()) if (!taken.contains(k)) out.add(k);
            return out;
        }
    }

    private static int integer(JsonNode kw, String key, int dflt) { return kw.hasNonNull(key) ? kw.get(key).asInt() : dflt; }

    private static double dbl(JsonNode kw, String key, double dflt) { return kw.hasNonNull(key) ? kw.get(key).asDouble() : dflt; }

    private static boolean bool(JsonNode kw, String key, boolean dflt) { return kw.hasNonNull(key) ? kw.get(key).asBoolean() : dflt; }

    private static String str(JsonNode kw, String key, String dflt) { return kw.hasNonNull(key) ? kw.get(key).asText() : dflt; }

    static Module build(String module, JsonNode kw) {
        return switch (module) {
            case "RNN" -> new RNN(kw.get("input_size").asInt(), kw.get("hidden_size").asInt(), integer(kw, "num_layers", 1),
                    str(kw, "nonlinearity", "tanh"), bool(kw, "bias", true), bool(kw, "batch_first", false), dbl(kw, "dropout", 0),
                    bool(kw, "bidirectional", false));
            case "LSTM" -> new LSTM(kw.get("input_size").asInt(), kw.get("hidden_size").asInt(), integer(kw, "num_layers", 1),
                    bool(kw, "bias", true), bool(kw, "batch_first", false), dbl(kw, "dropout", 0), bool(kw, "bidirectional", false),
                    integer(kw, "proj_size", 0));
            case "GRU" -> new GRU(kw.get("input_size").asInt(), kw.get("hidden_size").asInt(), integer(kw, "num_layers", 1),
                    bool(kw, "bias", true), bool(kw, "batch_first", false), dbl(kw, "dropout", 0), bool(kw, "bidirectional", false));
            case "RNNCell" -> new RNNCell(kw.get("input_size").asInt(), kw.get("hidden_size").asInt(), bool(kw, "bias", true),
                    str(kw, "nonlinearity", "tanh"));
            case "LSTMCell" -> new LSTMCell(kw.get("input_size").asInt(), kw.get("hidden_size").asInt(), bool(kw, "bias", true));
            case "GRUCell" -> new GRUCell(kw.get("input_size").asInt(), kw.get("hidden_size").asInt(), bool(kw, "bias", true));
            case "MultiheadAttention" -> {
                int e = kw.get("embed_dim").asInt();
                yield new MultiheadAttention(e, kw.get("num_heads").asInt(), dbl(kw, "dropout", 0), bool(kw, "bias", true),
                        bool(kw, "add_bias_kv", false), bool(kw, "add_zero_attn", false), integer(kw, "kdim", e), integer(kw, "vdim", e),
                        bool(kw, "batch_first", false));
            }
            case "TransformerEncoderLayer" -> new TransformerEncoderLayer(kw.get("d_model").asInt(), kw.get("nhead").asInt(),
                    integer(kw, "dim_feedforward", 2048), dbl(kw, "dropout", 0.1), str(kw, "activation", "relu"),
                    dbl(kw, "layer_norm_eps", 1e-5), bool(kw, "batch_first", false), bool(kw, "norm_first", false));
            case "TransformerDecoderLayer" -> new TransformerDecoderLayer(kw.get("d_model").asInt(), kw.get("nhead").asInt(),
                    integer(kw, "dim_feedforward", 2048), dbl(kw, "dropout", 0.1), str(kw, "activation", "relu"),
                    dbl(kw, "layer_norm_eps", 1e-5), bool(kw, "batch_first", false), bool(kw, "norm_first", false));
            case "TransformerEncoder" -> {
                UsedKwargs layerKw = UsedKwargs.of(kw.get("encoder_layer"));
                var layer = (TransformerEncoderLayer) build("TransformerEncoderLayer", layerKw);
                requireAllRead(layerKw);
                yield new TransformerEncoder(layer, kw.get("num_layers").asInt(),
                        bool(kw, "norm", false) ? new LayerNorm(layerKw.get("d_model").asInt()) : null);
            }
            case "TransformerDecoder" -> {
                UsedKwargs layerKw = UsedKwargs.of(kw.get("decoder_layer"));
                var layer = (TransformerDecoderLayer) build("TransformerDecoderLayer", layerKw);
                requireAllRead(layerKw);
                yield new TransformerDecoder(layer, kw.get("num_layers").asInt(),
                        bool(kw, "norm", false) ? new LayerNorm(layerKw.get("d_model").asInt()) : null);
            }
            case "Transformer" -> new Transformer(integer(kw, "d_model", 512), integer(kw, "nhead", 8),
                    integer(kw, "num_encoder_layers", 6), integer(kw, "num_decoder_layers", 6), integer(kw, "dim_feedforward", 2048),
                    dbl(kw, "dropout", 0.1), str(kw, "activation", "relu"), dbl(kw, "layer_norm_eps", 1e-5),
                    bool(kw, "batch_first", false), bool(kw, "norm_first", false));
            default -> throw new ReferenceRunner.Skip("no module '" + module + "'");
        };
    }

    static void requireAllRead(UsedKwargs kw) {
        if (!kw.unread().isEmpty()) throw new ReferenceRunner.Skip("kwargs the port does not read: " + kw.unread());
    }

    /** Calls the module as gen_modules.py called PyTorch's; returns the outputs in the case's order. */
    static List<Tensor> call(Module m, Inputs in, JsonNode fw) {
        if (m instanceof RNNBase rnn) return recurrent(rnn, in, fw);
        if (m instanceof RNNCell cell) return List.of(cell.forward(in.get("input"), in.get("hx")));
        if (m instanceof GRUCell cell) return List.of(cell.forward(in.get("input"), in.get("hx")));
        if (m instanceof LSTMCell cell) {
            LSTMCell.State next = cell.forward(in.get("input"), in.get("hx"), in.get("cx"));
            return List.of(next.h(), next.c());
        }
        if (m instanceof MultiheadAttention mha) {
            var o = mha.forward(in.get("query"), in.get("key"), in.get("value"), in.get("key_padding_mask"),
                    bool(fw, "need_weights", true), in.get("attn_mask"), bool(fw, "average_attn_weights", true));
            return o.attnWeights() == null ? List.of(o.attnOutput()) : List.of(o.attnOutput(), o.attnWeights());
        }
        if (m instanceof TransformerEncoderLayer l) return List.of(l.forward(in.get("src"), in.get("src_mask"), in.get("src_key_padding_mask")));
        if (m instanceof TransformerEncoder e) return List.of(e.forward(in.get("src"), in.get("mask"), in.get("src_key_padding_mask")));
        if (m instanceof TransformerDecoderLayer l) {
            return List.of(l.forward(in.get("tgt"), in.get("memory"), in.get("tgt_mask"), in.get("memory_mask"),
                    in.get("tgt_key_padding_mask"), in.get("memory_key_padding_mask")));
        }
        if (m instanceof TransformerDecoder d) {
            return List.of(d.forward(in.get("tgt"), in.get("memory"), in.get("tgt_mask"), in.get("memory_mask"),
                    in.get("tgt_key_padding_mask"), in.get("memory_key_padding_mask")));
        }
        if (m instanceof Transformer t) {
            return List.of(t.forward(in.get("src"), in.get("tgt"), in.get("src_mask"), in.get("tgt_mask"), in.get("memory_mask"),
                    in.get("src_key_padding_mask"), in.get("tgt_key_padding_mask"), in.get("memory_key_padding_mask")));
        }
        throw new ReferenceRunner.Skip("no call for " + m.getClass().getSimpleName());
    }

    private static List<Tensor> recurrent(RNNBase rnn, Inputs in, JsonNode fw) {
        Tensor x = in.get("input");
        Tensor h0 = in.get("h0");
        Tensor c0 = in.get("c0");
        if (bool(fw, "packed", false)) {
            int[] lengths = java.util.Arrays.stream(in.get("lengths").toLongArray()).mapToInt(v -> (int) v).toArray();
            PackedSequence packed = PackedSequence.packPaddedSequence(x, lengths, rnn.batchFirst(), fw.get("enforce_sorted").asBoolean());
            RNNBase.PackedOutput o = switch (rnn) {
                case LSTM l -> l.forward(packed, h0, c0);
                case GRU g -> g.forward(packed, h0);
                case RNN r -> r.forward(packed, h0);
                default -> throw new ReferenceRunner.Skip("no packed call for " + rnn.getClass().getSimpleName());
            };
            Tensor padded = o.output().padPackedSequence(rnn.batchFirst(), 0.0).padded();
            return o.cN() == null ? List.of(padded, o.hN()) : List.of(padded, o.hN(), o.cN());
        }
        RNNBase.Output o = switch (rnn) {
            case LSTM l -> l.forward(x, h0, c0);
            case GRU g -> g.forward(x, h0);
            case RNN r -> r.forward(x, h0);
            default -> throw new ReferenceRunner.Skip("no call for " + rnn.getClass().getSimpleName());
        };
        return o.cN() == null ? List.of(o.output(), o.hN()) : List.of(o.output(), o.hN(), o.cN());
    }
}
