"""Writes modules.json + modules_float64.safetensors + modules_float32.safetensors: PyTorch
reference runs of the recurrent, attention and transformer modules (issue 16 item 3).

Run from this directory with a CPU PyTorch (Debian: apt-get install python3-torch):
  /usr/bin/python3 gen_modules.py

For each case of modules.json, the module is built with a fixed seed, in train mode with dropout
0 (train mode keeps PyTorch on its documented slow path, which is the math Kindling ports). The
loss is L = sum_k sum(out_k * w_k) over every tensor output k (h_n and c_n included) with fixed
random weights w_k. Each safetensors file holds, under "<case>/":
  state/<name>      the module's state_dict under PyTorch's names
  in/<name>         the forward's tensor arguments (float ones get gradients, bool masks do not)
  out/<name>        the outputs, named as in the case's "outputs"
  w/<name>          the loss weights of each output
  grad/state/<name> dL/d parameter
  grad/in/<name>    dL/d input, for the float inputs listed in "grad_inputs"
The float32 file repeats the run in float32 from the same initial weights and inputs (cast), so
it is PyTorch's float32 arithmetic, not a rounding of the float64 run.
"""
import json
import struct

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

SEED = 1613
CASES = []


def case(name, module, args, inputs, forward=None, outputs=None, build=None, call=None, note=None):
    """module/args: PyTorch class name and constructor kwargs (the Java test builds the same);
    inputs: ordered dict name -> tensor (float64; bool for masks); forward: non-tensor kwargs."""
    CASES.append(dict(name=name, module=module, args=args, inputs=inputs, forward=forward or {},
                      outputs=outputs, build=build, call=call, note=note))


def rnd(*shape):
    return torch.randn(*shape, dtype=torch.float64)


def causal(n):
    return torch.triu(torch.full((n, n), float("-inf"), dtype=torch.float64), diagonal=1)


# ---------------------------------------------------------------- recurrent
torch.manual_seed(SEED)
case("rnn_tanh", "RNN", dict(input_size=3, hidden_size=4), dict(input=rnd(5, 2, 3)), outputs=["output", "h_n"])
case("rnn_relu_2layer_bidirectional_batch_first_h0", "RNN",
     dict(input_size=3, hidden_size=4, num_layers=2, nonlinearity="relu", batch_first=True, bidirectional=True),
     dict(input=rnd(2, 5, 3), h0=rnd(4, 2, 4) * 0.5), outputs=["output", "h_n"])
case("rnn_no_bias_unbatched_h0", "RNN", dict(input_size=3, hidden_size=4, bias=False),
     dict(input=rnd(4, 3), h0=rnd(1, 4)), outputs=["output", "h_n"])
case("lstm_h0_c0", "LSTM", dict(input_size=3, hidden_size=4), dict(input=rnd(5, 2, 3), h0=rnd(1, 2, 4), c0=rnd(1, 2, 4)),
     outputs=["output", "h_n", "c_n"])
case("lstm_2layer_bidirectional_batch_first", "LSTM",
     dict(input_size=3, hidden_size=4, num_layers=2, batch_first=True, bidirectional=True),
     dict(input=rnd(3, 4, 3)), outputs=["output", "h_n", "c_n"])
case("lstm_unbatched_no_bias", "LSTM", dict(input_size=3, hidden_size=4, bias=False), dict(input=rnd(4, 3)),
     outputs=["output", "h_n", "c_n"])
case("lstm_proj_size_2layer", "LSTM", dict(input_size=3, hidden_size=5, num_layers=2, proj_size=2),
     dict(input=rnd(4, 2, 3), h0=rnd(2, 2, 2), c0=rnd(2, 2, 5)), outputs=["output", "h_n", "c_n"])
case("gru_h0", "GRU", dict(input_size=3, hidden_size=4), dict(input=rnd(5, 2, 3), h0=rnd(1, 2, 4)), outputs=["output", "h_n"])
case("gru_3layer_bidirectional", "GRU", dict(input_size=3, hidden_size=4, num_layers=3, bidirectional=True),
     dict(input=rnd(4, 2, 3)), outputs=["output", "h_n"])
case("gru_batch_first_no_bias_unbatched", "GRU", dict(input_size=3, hidden_size=4, bias=False, batch_first=True),
     dict(input=rnd(4, 3), h0=rnd(1, 4)), outputs=["output", "h_n"])

case("rnn_cell_relu_h", "RNNCell", dict(input_size=3, hidden_size=4, nonlinearity="relu"),
     dict(input=rnd(2, 3), hx=rnd(2, 4)), outputs=["h"])
case("rnn_cell_unbatched_no_state", "RNNCell", dict(input_size=3, hidden_size=4), dict(input=rnd(3)), outputs=["h"])
case("lstm_cell_h_c", "LSTMCell", dict(input_size=3, hidden_size=4), dict(input=rnd(2, 3), hx=rnd(2, 4), cx=rnd(2, 4)),
     outputs=["h", "c"])
case("lstm_cell_unbatched_no_bias_no_state", "LSTMCell", dict(input_size=3, hidden_size=4, bias=False), dict(input=rnd(3)),
     outputs=["h", "c"])
case("gru_cell_h", "GRUCell", dict(input_size=3, hidden_size=4), dict(input=rnd(2, 3), hx=rnd(2, 4)), outputs=["h"])
case("gru_cell_no_bias_no_state", "GRUCell", dict(input_size=3, hidden_size=4, bias=False), dict(input=rnd(2, 3)),
     outputs=["h"])

# Packed sequences: lengths [5, 2, 4], not sorted (enforce_sorted=False); the output is padded
# back with pad_packed_sequence(batch_first as the module, padding 0).
LENGTHS = torch.tensor([5, 2, 4])
case("lstm_packed_bidirectional", "LSTM", dict(input_size=3, hidden_size=4, bidirectional=True),
     dict(input=rnd(5, 3, 3), lengths=LENGTHS), forward=dict(packed=True, enforce_sorted=False),
     outputs=["output", "h_n", "c_n"])
case("gru_packed_2layer_batch_first_h0", "GRU", dict(input_size=3, hidden_size=4, num_layers=2, batch_first=True),
     dict(input=rnd(3, 5, 3), h0=rnd(2, 3, 4), lengths=LENGTHS), forward=dict(packed=True, enforce_sorted=False),
     outputs=["output", "h_n"])
case("rnn_packed_sorted", "RNN", dict(input_size=3, hidden_size=4),
     dict(input=rnd(5, 3, 3), lengths=torch.tensor([5, 4, 2])), forward=dict(packed=True, enforce_sorted=True),
     outputs=["output", "h_n"])

# ---------------------------------------------------------------- attention
E = 8
case("mha_cross_average_weights", "MultiheadAttention", dict(embed_dim=E, num_heads=2),
     dict(query=rnd(3, 2, E), key=rnd(4, 2, E), value=rnd(4, 2, E)), forward=dict(need_weights=True),
     outputs=["attn_output", "attn_weights"])
attn_mask = torch.zeros(3, 4, dtype=torch.bool)
attn_mask[0, 3] = True
attn_mask[2, 0] = True
kpm = torch.tensor([[False, False, False, True], [False, True, False, False]])
case("mha_bool_masks_per_head_weights_batch_first", "MultiheadAttention", dict(embed_dim=E, num_heads=2, batch_first=True),
     dict(query=rnd(2, 3, E), key=rnd(2, 4, E), value=rnd(2, 4, E), attn_mask=attn_mask, key_padding_mask=kpm),
     forward=dict(need_weights=True, average_attn_weights=False), outputs=["attn_output", "attn_weights"])
case("mha_float_3d_mask_no_weights", "MultiheadAttention", dict(embed_dim=E, num_heads=4),
     dict(query=rnd(3, 2, E), key=rnd(4, 2, E), value=rnd(4, 2, E), attn_mask=rnd(2 * 4, 3, 4), key_padding_mask=kpm),
     forward=dict(need_weights=False), outputs=["attn_output"])
case("mha_float_padding_mask", "MultiheadAttention", dict(embed_dim=E, num_heads=2),
     dict(query=rnd(3, 2, E), key=rnd(4, 2, E), value=rnd(4, 2, E), key_padding_mask=rnd(2, 4)),
     forward=dict(need_weights=True), outputs=["attn_output", "attn_weights"])
case("mha_kdim_vdim", "MultiheadAttention", dict(embed_dim=E, num_heads=2, kdim=5, vdim=3),
     dict(query=rnd(3, 2, E), key=rnd(4, 2, 5), value=rnd(4, 2, 3), key_padding_mask=kpm),
     forward=dict(need_weights=True), outputs=["attn_output", "attn_weights"])
case("mha_bias_kv_zero_attn", "MultiheadAttention", dict(embed_dim=E, num_heads=2, add_bias_kv=True, add_zero_attn=True),
     dict(query=rnd(3, 2, E), key=rnd(4, 2, E), value=rnd(4, 2, E), attn_mask=attn_mask, key_padding_mask=kpm),
     forward=dict(need_weights=True), outputs=["attn_output", "attn_weights"])
case("mha_no_bias_unbatched", "MultiheadAttention", dict(embed_dim=E, num_heads=2, bias=False),
     dict(query=rnd(3, E), key=rnd(4, E), value=rnd(4, E)), forward=dict(need_weights=True),
     outputs=["attn_output", "attn_weights"])

# ---------------------------------------------------------------- transformer
D = 4  # transformer width: small, so that the committed files stay small
LAYER = dict(d_model=D, nhead=2, dim_feedforward=8, dropout=0.0)
src_kpm = torch.tensor([[False, False, False, False, True], [False, False, True, True, True]])
case("encoder_layer_post_norm_relu_masks", "TransformerEncoderLayer", dict(LAYER),
     dict(src=rnd(5, 2, D), src_mask=causal(5), src_key_padding_mask=src_kpm), outputs=["output"])
case("encoder_layer_pre_norm_gelu_batch_first", "TransformerEncoderLayer",
     dict(LAYER, activation="gelu", norm_first=True, batch_first=True), dict(src=rnd(2, 5, D)), outputs=["output"])
bool_mask = torch.zeros(5, 5, dtype=torch.bool)
bool_mask[0, 4] = True
bool_mask[3, 1] = True
case("encoder_layer_bool_mask_layer_norm_eps", "TransformerEncoderLayer", dict(LAYER, layer_norm_eps=1e-2),
     dict(src=rnd(5, 2, D), src_mask=bool_mask), outputs=["output"])
case("encoder_2layers_final_norm", "TransformerEncoder", dict(num_layers=2, norm=True, encoder_layer=dict(LAYER)),
     dict(src=rnd(5, 2, D), mask=causal(5), src_key_padding_mask=src_kpm), outputs=["output"])
tgt_kpm = torch.tensor([[False, False, False, True], [False, False, False, False]])
case("decoder_layer_post_norm_relu_masks", "TransformerDecoderLayer", dict(LAYER),
     dict(tgt=rnd(4, 2, D), memory=rnd(5, 2, D), tgt_mask=causal(4), tgt_key_padding_mask=tgt_kpm,
          memory_key_padding_mask=src_kpm), outputs=["output"])
case("decoder_layer_pre_norm_gelu_batch_first", "TransformerDecoderLayer",
     dict(LAYER, activation="gelu", norm_first=True, batch_first=True),
     dict(tgt=rnd(2, 4, D), memory=rnd(2, 5, D), memory_mask=rnd(4, 5)), outputs=["output"])
case("decoder_2layers_final_norm", "TransformerDecoder", dict(num_layers=2, norm=True, decoder_layer=dict(LAYER)),
     dict(tgt=rnd(4, 2, D), memory=rnd(5, 2, D), tgt_mask=causal(4), memory_key_padding_mask=src_kpm), outputs=["output"])
case("transformer_2enc_1dec", "Transformer",
     dict(d_model=D, nhead=2, num_encoder_layers=2, num_decoder_layers=1, dim_feedforward=8, dropout=0.0),
     dict(src=rnd(5, 2, D), tgt=rnd(4, 2, D), tgt_mask=causal(4), src_key_padding_mask=src_kpm,
          memory_key_padding_mask=src_kpm), outputs=["output"])
case("transformer_pre_norm_gelu_batch_first", "Transformer",
     dict(d_model=D, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=8, dropout=0.0,
          activation="gelu", norm_first=True, batch_first=True),
     dict(src=rnd(2, 5, D), tgt=rnd(2, 4, D), src_mask=causal(5), tgt_mask=causal(4)), outputs=["output"])


# ---------------------------------------------------------------- running
def build(c):
    a = dict(c["args"])
    m = c["module"]
    if m == "TransformerEncoder":
        layer = nn.TransformerEncoderLayer(**a.pop("encoder_layer"))
        return nn.TransformerEncoder(layer, a["num_layers"], norm=nn.LayerNorm(D) if a["norm"] else None,
                                     enable_nested_tensor=False)
    if m == "TransformerDecoder":
        layer = nn.TransformerDecoderLayer(**a.pop("decoder_layer"))
        return nn.TransformerDecoder(layer, a["num_layers"], norm=nn.LayerNorm(D) if a["norm"] else None)
    return getattr(nn, m)(**a)


def run(c, module, inputs):
    m = c["module"]
    fw = c["forward"]
    if m in ("RNN", "LSTM", "GRU"):
        x = inputs["input"]
        state = None
        if "h0" in inputs:
            state = (inputs["h0"], inputs["c0"]) if m == "LSTM" else inputs["h0"]
        if fw.get("packed"):
            bf = c["args"].get("batch_first", False)
            x = pack_padded_sequence(x, inputs["lengths"], batch_first=bf, enforce_sorted=fw["enforce_sorted"])
            out, hidden = module(x, state)
            out, _ = pad_packed_sequence(out, batch_first=bf)
        else:
            out, hidden = module(x, state)
        return [out] + (list(hidden) if m == "LSTM" else [hidden])
    if m in ("RNNCell", "GRUCell"):
        return [module(inputs["input"], inputs.get("hx"))]
    if m == "LSTMCell":
        state = (inputs["hx"], inputs["cx"]) if "hx" in inputs else None
        return list(module(inputs["input"], state))
    if m == "MultiheadAttention":
        kw = {k: v for k, v in inputs.items() if k not in ("query", "key", "value")}
        out, weights = module(inputs["query"], inputs["key"], inputs["value"], **kw, **fw)
        return [out] if weights is None else [out, weights]
    return [module(**inputs)]


def differentiable(t):
    return t.dtype.is_floating_point


def one_run(c, dtype, init_state):
    torch.manual_seed(SEED)
    module = build(c).to(dtype)
    module.load_state_dict({k: v.to(dtype) for k, v in init_state.items()})
    module.train()
    inputs = {}
    for k, v in c["inputs"].items():
        t = v.detach().to(dtype).clone() if differentiable(v) else v.detach().clone()
        # masks are inputs without gradients, as in a real model
        if differentiable(v) and not k.endswith("mask"):
            t.requires_grad_(True)
        inputs[k] = t
    outs = run(c, module, inputs)
    g = torch.Generator().manual_seed(7)
    ws = [torch.randn(o.shape, generator=g, dtype=torch.float64).to(dtype) for o in outs]
    loss = sum((o * w).sum() for o, w in zip(outs, ws))
    loss.backward()
    tensors = {}
    for k, v in module.state_dict().items():
        tensors["state/" + k] = init_state[k].to(dtype)
    for k, v in inputs.items():
        tensors["in/" + k] = v.detach()
        if v.requires_grad:
            tensors["grad/in/" + k] = v.grad
    for name, o, w in zip(c["outputs"], outs, ws):
        tensors["out/" + name] = o.detach()
        tensors["w/" + name] = w
    for k, p in module.named_parameters():
        tensors["grad/state/" + k] = p.grad
    return tensors


DT = {torch.float64: "F64", torch.float32: "F32", torch.int64: "I64", torch.bool: "BOOL"}


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    blobs = []
    offset = 0
    for k in sorted(tensors):
        t = tensors[k].detach().contiguous()
        b = t.numpy().tobytes() if t.dtype != torch.bool else bytes(t.to(torch.uint8).reshape(-1).tolist())
        header[k] = {"dtype": DT[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def main():
    files = {torch.float64: {}, torch.float32: {}}
    manifest = []
    for c in CASES:
        torch.manual_seed(SEED)
        init_state = {k: v.detach().clone() for k, v in build(c).double().state_dict().items()}
        for dtype in files:
            for k, v in one_run(c, dtype, init_state).items():
                files[dtype][c["name"] + "/" + k] = v
        entry = {k: c[k] for k in ("name", "module", "args", "forward", "outputs")}
        entry["inputs"] = list(c["inputs"].keys())
        if c["note"]:
            entry["note"] = c["note"]
        manifest.append(entry)
    meta = {"generator": "gen_modules.py", "torch": torch.__version__}
    for dtype, name in ((torch.float64, "float64"), (torch.float32, "float32")):
        write_safetensors("modules_%s.safetensors" % name, files[dtype], meta)
    with open("modules.json", "w") as f:
        json.dump({"generator": "gen_modules.py", "torch": torch.__version__, "cases": manifest}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
