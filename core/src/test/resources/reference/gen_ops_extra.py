"""Writes ops_extra.json: PyTorch reference cases for the ops and edge semantics of issue 16.

Run from this directory with a CPU PyTorch (Debian: apt-get install python3-torch):
  /usr/bin/python3 gen_ops_extra.py
The format is that of ../../../../../shared/reference/ops.json (see its README), plus:
  - an input may carry "permute": [dims]; its "shape"/"data" are then the contiguous tensor
    before permuting, and the op receives the permuted (non-contiguous) view. Its grad is given
    for the permuted view.
  - a case may carry "tolerance": {"rtol", "atol", "why"} replacing the README's tolerance, where
    PyTorch's own value is known to be less accurate than the exact one (the why says how);
  - a case may carry "skip": "reason" when Kindling knowingly does not run it yet; the runner
    lists those and fails on every other case it cannot run.
Every case's grad_output is random weights w: grads are those of sum(out * w).
"""
import json
import math
import warnings

import torch

torch.manual_seed(16)
warnings.simplefilter("ignore")  # kl_div's reduction="mean" notice
CASES = []


def enc(t):
    t = t.detach().contiguous()
    dt = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64", torch.bool: "bool"}[t.dtype]
    flat = t.reshape(-1).tolist()
    if t.dtype.is_floating_point:
        flat = [v if math.isfinite(v) else ("nan" if v != v else ("inf" if v > 0 else "-inf")) for v in flat]
    return {"shape": list(t.shape), "dtype": dt, "data": flat}


class In:
    """An input: a tensor, optionally made non-contiguous by permuting a contiguous base."""

    def __init__(self, t, permute=None, grad=True):
        """t is the tensor the op sees; with permute it is stored as a contiguous base that permute maps onto t.
        grad=False: no gradient is asked for (a label PyTorch does not differentiate)."""
        self.permute = permute
        self.grad = grad
        if permute is None:
            self.base = t
        else:
            inv = [0] * len(permute)
            for i, p in enumerate(permute):
                inv[p] = i
            self.base = t.permute(*inv).contiguous()
        self.base = self.base.detach()

    def view(self, grad):
        b = self.base.clone().requires_grad_(grad)
        v = b if self.permute is None else b.permute(*self.permute)
        return b, v

    def enc(self):
        e = enc(self.base)
        if self.permute is not None:
            e["permute"] = self.permute
        return e


def u(lo, hi, *shape, dtype=torch.float32):
    return (torch.rand(tuple(shape), dtype=torch.float64) * (hi - lo) + lo).to(dtype)


def case(name, op, inputs, fn, kwargs=None, grad=True, skip=None):
    kwargs = kwargs or {}
    ins = [x if isinstance(x, In) else In(x) for x in inputs]
    pairs = [i.view(grad and i.grad and i.base.dtype.is_floating_point) for i in ins]
    c = {"name": name, "op": op, "kwargs": kwargs, "inputs": [i.enc() for i in ins]}
    if skip:
        c["skip"] = skip
    try:
        call_kw = {k: getattr(torch, v) if k == "dtype" else v for k, v in kwargs.items()}
        out = fn(*[v for _, v in pairs], **call_kw)
    except Exception as e:  # PyTorch rejects it: record that, Kindling must reject it too
        c["error"] = type(e).__name__ + ": " + str(e).splitlines()[0]
        CASES.append(c)
        return
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    c["outputs"] = [enc(o) for o in outs]
    if grad and outs[0].requires_grad:
        w = torch.randn(outs[0].shape, dtype=outs[0].dtype)
        (outs[0] * w).sum().backward()
        c["grad_output"] = enc(w)
        grads = []
        for (b, _), i in zip(pairs, ins):
            if not i.grad:
                grads.append(None)
            elif b.grad is None:
                grads.append(None if not b.dtype.is_floating_point else enc(torch.zeros_like(b if i.permute is None else b.permute(*i.permute))))
            else:
                g = b.grad if i.permute is None else b.grad.permute(*i.permute)
                grads.append(enc(g))
        c["grads"] = grads
    CASES.append(c)


F = torch.nn.functional

# ---------------------------------------------------------------- unary math
UNARY = {
    "tan": (torch.tan, -1.2, 1.2), "asin": (torch.asin, -0.9, 0.9), "acos": (torch.acos, -0.9, 0.9),
    "atan": (torch.atan, -3, 3), "sinh": (torch.sinh, -3, 3), "cosh": (torch.cosh, -3, 3),
    "asinh": (torch.asinh, -3, 3), "acosh": (torch.acosh, 1.1, 4), "atanh": (torch.atanh, -0.9, 0.9),
    "log2": (torch.log2, 0.1, 5), "log10": (torch.log10, 0.1, 5), "exp2": (torch.exp2, -3, 3),
    "expm1": (torch.expm1, -3, 3), "log1p": (torch.log1p, -0.9, 3), "erfc": (torch.erfc, -3, 3),
    "trunc": (torch.trunc, -5, 5), "frac": (torch.frac, -5, 5),
    "relu6": (F.relu6, -8, 8), "selu": (F.selu, -3, 3), "mish": (F.mish, -4, 4),
    "hardswish": (F.hardswish, -5, 5), "hardsigmoid": (F.hardsigmoid, -5, 5), "logsigmoid": (F.logsigmoid, -30, 30),
    "softsign": (F.softsign, -4, 4), "tanhshrink": (F.tanhshrink, -3, 3), "silu": (F.silu, -4, 4),
}
for name, (fn, lo, hi) in UNARY.items():
    case(f"{name}_f32", name, [u(lo, hi, 3, 4)], fn)
    case(f"{name}_f64_noncontig", name, [In(u(lo, hi, 3, 4, dtype=torch.float64), permute=[1, 0])], fn)
    case(f"{name}_0d_f64", name, [u(lo, hi, dtype=torch.float64)], fn)
    case(f"{name}_empty", name, [u(lo, hi, 0, 3)], fn)

case("nan_to_num_default", "nan_to_num", [torch.tensor([1.5, float("nan"), float("inf"), -float("inf"), -2.0])], torch.nan_to_num)
case("nan_to_num_values", "nan_to_num", [torch.tensor([[1.5, float("nan")], [float("inf"), -float("inf")]], dtype=torch.float64)],
     torch.nan_to_num, {"nan": 0.5, "posinf": 10.0, "neginf": -10.0})
case("hardtanh_bounds", "hardtanh", [u(-3, 3, 5, 4)], F.hardtanh, {"min_val": -0.5, "max_val": 1.5})
case("celu_alpha", "celu", [u(-3, 3, 3, 4, dtype=torch.float64)], F.celu, {"alpha": 0.7})
case("threshold", "threshold", [u(-3, 3, 3, 4)], F.threshold, {"threshold": 0.25, "value": -1.5})
case("glu_last", "glu", [u(-3, 3, 3, 4)], F.glu, {"dim": -1})
case("glu_dim0_f64", "glu", [In(u(-3, 3, 4, 3, dtype=torch.float64), permute=[1, 0])], F.glu, {"dim": 0})
case("softmin", "softmin", [u(-3, 3, 3, 4)], F.softmin, {"dim": 1})
case("softmin_neg_dim_f64", "softmin", [u(-3, 3, 2, 3, 4, dtype=torch.float64)], F.softmin, {"dim": -2})

# ---------------------------------------------------------------- binary math
def away_from_int(t, eps=0.1):
    f = t - t.round()
    return torch.where(f.abs() < eps, t + 2 * eps, t)

BINARY = {
    "atan2": (torch.atan2, (-2, 2), (-2, 2)), "hypot": (torch.hypot, (-2, 2), (-2, 2)),
    "logaddexp": (torch.logaddexp, (-5, 5), (-5, 5)), "logaddexp2": (torch.logaddexp2, (-5, 5), (-5, 5)),
    "xlogy": (torch.xlogy, (-2, 2), (0.1, 3)), "copysign": (torch.copysign, (-2, 2), (-2, 2)),
    "fmod": (torch.fmod, (-5, 5), (0.7, 1.9)), "remainder": (torch.remainder, (-5, 5), (-1.9, -0.7)),
}
for name, (fn, (alo, ahi), (blo, bhi)) in BINARY.items():
    case(f"{name}_broadcast", name, [u(alo, ahi, 3, 4), u(blo, bhi, 4)], fn)
    case(f"{name}_f64_noncontig", name, [In(u(alo, ahi, 3, 4, dtype=torch.float64), permute=[1, 0]), u(blo, bhi, 3, 1, dtype=torch.float64)], fn)
    case(f"{name}_0d_with_2d", name, [u(alo, ahi, dtype=torch.float64), u(blo, bhi, 2, 3, dtype=torch.float64)], fn)
    case(f"{name}_empty", name, [u(alo, ahi, 0, 4), u(blo, bhi, 4)], fn)
case("xlogy_zero_x", "xlogy", [torch.tensor([0.0, 0.0, 1.0, 2.0], dtype=torch.float64), torch.tensor([0.0, 2.0, 3.0, 0.5], dtype=torch.float64)], torch.xlogy)
case("fmod_int", "fmod", [torch.tensor([-7, -3, 3, 7]), torch.tensor([2, -2, 2, -2])], torch.fmod, grad=False)
case("remainder_int", "remainder", [torch.tensor([-7, -3, 3, 7]), torch.tensor([2, -2, 2, -2])], torch.remainder, grad=False)
case("copysign_signed_zero", "copysign", [torch.tensor([1.0, 2.0, -3.0, 0.0], dtype=torch.float64), torch.tensor([-0.0, 0.0, 1.0, -1.0], dtype=torch.float64)], torch.copysign)
case("fmod_scalar", "fmod", [u(-5, 5, 3, 4)], torch.fmod, {"other": 1.5})

# ---------------------------------------------------------------- ternary and fused
case("lerp_tensor_weight", "lerp", [u(-2, 2, 3, 4), u(-2, 2, 4), u(0, 1, 3, 1)], torch.lerp)
case("lerp_scalar_weight_f64", "lerp", [In(u(-2, 2, 3, 4, dtype=torch.float64), permute=[1, 0]), u(-2, 2, 3, 4, dtype=torch.float64)], torch.lerp, {"weight": 0.3})
case("addcmul", "addcmul", [u(-2, 2, 3, 4), u(-2, 2, 4), u(-2, 2, 3, 1)], torch.addcmul, {"value": 0.5})
case("addcmul_default_f64", "addcmul", [u(-2, 2, dtype=torch.float64), u(-2, 2, 2, 3, dtype=torch.float64), u(-2, 2, 3, dtype=torch.float64)], torch.addcmul)
case("addcdiv", "addcdiv", [u(-2, 2, 3, 4), u(-2, 2, 4), u(0.5, 2, 3, 1)], torch.addcdiv, {"value": -2.0})
case("float_power_scalar", "float_power", [u(0.5, 2, 3, 4)], torch.float_power, {"exponent": 2.5})
case("float_power_tensor", "float_power", [u(0.5, 2, 3, 4), u(-1, 2, 4)], torch.float_power)

# ---------------------------------------------------------------- edge semantics
for op, fn in {"sum": torch.sum, "mean": torch.mean, "amax": torch.amax, "amin": torch.amin,
               "logsumexp": torch.logsumexp}.items():
    for d in (0, -1):
        case(f"{op}_0d_dim{d}", op, [u(-2, 2, dtype=torch.float64)], fn, {"dim": d})
    case(f"{op}_0d_dim{0}_keepdim", op, [u(-2, 2)], fn, {"dim": 0, "keepdim": True})
case("prod_0d_dim0", "prod", [u(-2, 2, dtype=torch.float64)], torch.prod, {"dim": 0})
case("prod_0d_dim-1_keepdim", "prod", [u(-2, 2, dtype=torch.float64)], torch.prod, {"dim": -1, "keepdim": True})
case("norm_0d_dim0", "norm", [u(-2, 2, dtype=torch.float64)], torch.norm, {"p": 2.0, "dim": 0})
case("vector_norm_0d_dim-1", "vector_norm", [u(-2, 2, dtype=torch.float64)], torch.linalg.vector_norm, {"ord": 2.0, "dim": -1})
case("vector_norm_ord3_dims", "vector_norm", [u(-2, 2, 2, 3, 4)], torch.linalg.vector_norm, {"ord": 3.0, "dim": [0, 2], "keepdim": True})
case("sum_dtype_f64", "sum", [u(-2, 2, 3, 4)], torch.sum, {"dim": 1, "dtype": "float64"})
case("sum_int_to_f32", "sum", [torch.tensor([[1, 2], [3, 4]])], torch.sum, {"dtype": "float32"}, grad=False)
case("mean_dtype_f64", "mean", [u(-2, 2, 3, 4)], torch.mean, {"dim": [0], "dtype": "float64"})
case("softmax_dtype_f64", "softmax", [u(-2, 2, 3, 4)], F.softmax, {"dim": 1, "dtype": "float64"})
case("log_softmax_dtype_f64", "log_softmax", [u(-2, 2, 3, 4)], F.log_softmax, {"dim": -1, "dtype": "float64"})
case("flip_no_dims", "flip", [u(-2, 2, 3, 4)], torch.flip, {"dims": []})
case("masked_fill_broadcast_mask", "masked_fill", [u(-2, 2, 3, 4), torch.tensor([True, False, True, False])], torch.Tensor.masked_fill, {"value": -7.0})
case("matmul_empty_inner", "matmul", [u(-2, 2, 3, 0), u(-2, 2, 0, 4)], torch.matmul)
case("matmul_empty_inner_batched", "matmul", [u(-2, 2, 2, 3, 0), u(-2, 2, 0, 4)], torch.matmul)
case("cosine_similarity_broadcast", "cosine_similarity", [u(-2, 2, 2, 3, 4), u(-2, 2, 3, 4)], F.cosine_similarity, {"dim": -1})
case("cosine_similarity_broadcast_dim0", "cosine_similarity", [u(-2, 2, 4, 3), u(-2, 2, 4, 1)], F.cosine_similarity, {"dim": 0})
case("gather_0d", "gather", [u(-2, 2, dtype=torch.float64), torch.tensor(0)], lambda x, i, dim: torch.gather(x, dim, i), {"dim": 0})
case("index_select_0d", "index_select", [u(-2, 2, dtype=torch.float64), torch.tensor([0])], lambda x, i, dim: torch.index_select(x, dim, i), {"dim": 0})
case("index_select_0d_index", "index_select", [u(-2, 2, 3, 4), torch.tensor(2)], lambda x, i, dim: torch.index_select(x, dim, i), {"dim": 1})
case("conv1d_unbatched", "conv1d", [u(-1, 1, 2, 7), u(-1, 1, 3, 2, 3), u(-1, 1, 3)], F.conv1d, {"padding": 1})
case("conv2d_unbatched", "conv2d", [u(-1, 1, 2, 5, 6), u(-1, 1, 3, 2, 3, 3), u(-1, 1, 3)], F.conv2d, {"stride": 2, "padding": 1})
case("batch_norm_single_value_training", "batch_norm", [u(-1, 1, 1, 3)],
     lambda x, training: F.batch_norm(x, None, None, training=training), {"training": True}, grad=False)
case("batch_norm_eval_0d_spatial", "batch_norm", [u(-1, 1, 2, 3), u(0.5, 1.5, 3), u(-1, 1, 3)],
     lambda x, w, b, training, running_mean, running_var: F.batch_norm(
         x, torch.tensor(running_mean), torch.tensor(running_var), w, b, training=training),
     {"training": False, "running_mean": [0.1, -0.2, 0.3], "running_var": [1.5, 0.5, 2.0]})
case("batch_norm_training_empty_spatial_ok", "batch_norm", [u(-1, 1, 4, 2, 1), u(0.5, 1.5, 2), u(-1, 1, 2)],
     lambda x, w, b, training: F.batch_norm(x, None, None, w, b, training=training), {"training": True})
case("max_pool2d_return_indices", "max_pool2d", [u(-2, 2, 2, 3, 5, 6)], F.max_pool2d, {"kernel_size": 2, "return_indices": True})
case("clamp_tensor_bounds", "clamp", [u(-2, 2, 3, 4), u(-1, 0, 4), u(0, 1, 3, 1)], lambda x, lo, hi: torch.clamp(x, lo, hi))
case("clamp_tensor_min_only", "clamp", [u(-2, 2, 3, 4), u(-1, 0, 3, 4)], lambda x, lo: torch.clamp(x, lo))
case("add_alpha", "add", [u(-2, 2, 3, 4), u(-2, 2, 4)], torch.add, {"alpha": 2.5})
case("sub_alpha_f64", "sub", [u(-2, 2, 3, 4, dtype=torch.float64), u(-2, 2, 3, 1, dtype=torch.float64)], torch.sub, {"alpha": -0.5})
for mode in ("reflect", "replicate", "circular"):
    case(f"pad_{mode}_1d", "pad", [u(-2, 2, 2, 3, 5)], F.pad, {"pad": [2, 1], "mode": mode})
    case(f"pad_{mode}_2d", "pad", [u(-2, 2, 1, 2, 4, 5)], F.pad, {"pad": [1, 2, 2, 1], "mode": mode})

# ---------------------------------------------------------------- scans, sorting, matrices, repetition
case("cumprod_dim1", "cumprod", [u(-2, 2, 3, 4)], torch.cumprod, {"dim": 1})
case("cumprod_with_zeros_f64", "cumprod", [torch.tensor([[2.0, 0.0, 3.0, 0.0], [1.5, -2.0, 0.0, 4.0]], dtype=torch.float64)], torch.cumprod, {"dim": -1})
case("cumprod_noncontig_dim0_f64", "cumprod", [In(u(-2, 2, 4, 3, dtype=torch.float64), permute=[1, 0])], torch.cumprod, {"dim": 0})
case("cumprod_0d", "cumprod", [u(-2, 2, dtype=torch.float64)], torch.cumprod, {"dim": 0})
case("cumprod_int", "cumprod", [torch.tensor([[1, 2, 3], [-1, 4, 2]])], torch.cumprod, {"dim": 1}, grad=False)
case("cumprod_empty", "cumprod", [u(-2, 2, 0, 3)], torch.cumprod, {"dim": 0})
case("logcumsumexp_dim1", "logcumsumexp", [u(-5, 5, 3, 4)], torch.logcumsumexp, {"dim": 1})
case("logcumsumexp_neg_dim_f64", "logcumsumexp", [In(u(-30, 30, 4, 3, dtype=torch.float64), permute=[1, 0])], torch.logcumsumexp, {"dim": -2})
case("logcumsumexp_0d", "logcumsumexp", [u(-2, 2, dtype=torch.float64)], torch.logcumsumexp, {"dim": -1})
sort = lambda x, dim, descending: torch.sort(x, dim=dim, descending=descending, stable=True)
case("sort_last", "sort", [u(-2, 2, 3, 5)], sort, {"dim": -1, "descending": False})
case("sort_desc_dim0_noncontig_f64", "sort", [In(u(-2, 2, 4, 3, dtype=torch.float64), permute=[1, 0])], sort, {"dim": 0, "descending": True})
case("sort_ties_nan_stable", "sort", [torch.tensor([2.0, float("nan"), -0.0, 1.0, 0.0, 2.0, -1.0])], sort, {"dim": 0, "descending": False}, grad=False)
case("sort_ties_nan_stable_desc", "sort", [torch.tensor([2.0, float("nan"), 1.0, 2.0, -1.0, 1.0])], sort, {"dim": 0, "descending": True}, grad=False)
case("sort_int", "sort", [torch.tensor([[3, -1, 2], [0, 5, -7]])], sort, {"dim": 1, "descending": False}, grad=False)
case("sort_0d", "sort", [u(-2, 2, dtype=torch.float64)], sort, {"dim": 0, "descending": False})
case("sort_empty", "sort", [u(-2, 2, 0, 3)], sort, {"dim": 0, "descending": True})
case("argsort", "argsort", [u(-2, 2, 3, 5)], torch.argsort, {"dim": 1, "descending": True}, grad=False)
case("topk_largest", "topk", [u(-2, 2, 3, 6)], torch.topk, {"k": 3, "dim": -1})
case("topk_smallest_dim0_f64", "topk", [In(u(-2, 2, 5, 3, dtype=torch.float64), permute=[1, 0])], torch.topk, {"k": 2, "dim": 0, "largest": False})
case("topk_k0", "topk", [u(-2, 2, 3, 4)], torch.topk, {"k": 0, "dim": 1})
case("topk_too_large", "topk", [u(-2, 2, 3, 4)], torch.topk, {"k": 5, "dim": 1})
case("tril", "tril", [u(-2, 2, 4, 5)], torch.tril)
case("tril_k_batched_noncontig", "tril", [In(u(-2, 2, 2, 3, 4, dtype=torch.float64), permute=[0, 2, 1])], torch.tril, {"diagonal": -1})
case("triu_k", "triu", [u(-2, 2, 4, 5)], torch.triu, {"diagonal": 2})
case("triu_empty", "triu", [u(-2, 2, 0, 3)], torch.triu)
case("tril_1d_rejected", "tril", [u(-2, 2, 4)], torch.tril)
case("diag_vector", "diag", [u(-2, 2, 4)], torch.diag)
case("diag_vector_k-2_f64", "diag", [u(-2, 2, 3, dtype=torch.float64)], torch.diag, {"diagonal": -2})
case("diag_matrix_k1_noncontig", "diag", [In(u(-2, 2, 3, 5), permute=[1, 0])], torch.diag, {"diagonal": 1})
case("diag_matrix_k-1", "diag", [u(-2, 2, 4, 3)], torch.diag, {"diagonal": -1})
case("diag_matrix_k_outside", "diag", [u(-2, 2, 2, 3)], torch.diag, {"diagonal": 5},
     skip="PyTorch 1.13 fails here with 'numel: integer multiplication overflow' (later releases return "
          "an empty tensor, as Kindling does); no trustworthy reference value")
case("trace", "trace", [u(-2, 2, 3, 4, dtype=torch.float64)], torch.trace)
case("outer", "outer", [u(-2, 2, 3), u(-2, 2, 4)], torch.outer)
case("outer_empty", "outer", [u(-2, 2, 0), u(-2, 2, 4)], torch.outer)
case("repeat", "repeat", [u(-2, 2, 2, 3)], lambda x, repeats: x.repeat(*repeats), {"repeats": [2, 1, 3]})
case("repeat_noncontig_f64", "repeat", [In(u(-2, 2, 3, 2, dtype=torch.float64), permute=[1, 0])], lambda x, repeats: x.repeat(*repeats), {"repeats": [2, 2]})
case("repeat_0d", "repeat", [u(-2, 2, dtype=torch.float64)], lambda x, repeats: x.repeat(*repeats), {"repeats": [3]})
case("repeat_zero", "repeat", [u(-2, 2, 2, 3)], lambda x, repeats: x.repeat(*repeats), {"repeats": [0, 2]})
case("repeat_too_few", "repeat", [u(-2, 2, 2, 3)], lambda x, repeats: x.repeat(*repeats), {"repeats": [2]})
case("tile_short_dims", "tile", [u(-2, 2, 2, 3)], torch.tile, {"dims": [2]})
case("tile_long_dims_f64", "tile", [u(-2, 2, 3, dtype=torch.float64)], torch.tile, {"dims": [2, 1, 2]})
case("roll_dims", "roll", [u(-2, 2, 3, 4)], torch.roll, {"shifts": [1, -3], "dims": [0, -1]})
case("roll_flat_f64", "roll", [In(u(-2, 2, 3, 4, dtype=torch.float64), permute=[1, 0])], torch.roll, {"shifts": 5})
case("roll_large_shift", "roll", [u(-2, 2, 5)], torch.roll, {"shifts": -12, "dims": 0})
case("masked_fill_mask_bigger_than_input", "masked_fill", [u(-2, 2, 4), torch.tensor([[True, False, True, False], [False, False, True, True]])],
     torch.Tensor.masked_fill, {"value": 3.5})
case("masked_fill_0d_input", "masked_fill", [u(-2, 2, dtype=torch.float64), torch.tensor([True, False, True])], torch.Tensor.masked_fill, {"value": 1.0})
case("batch_norm_eval_empty_batch", "batch_norm", [u(-1, 1, 0, 3)],
     lambda x, training, running_mean, running_var: F.batch_norm(x, torch.tensor(running_mean), torch.tensor(running_var), training=training),
     {"training": False, "running_mean": [0.1, -0.2, 0.3], "running_var": [1.5, 0.5, 2.0]})
case("batch_norm_training_one_sample_many_positions", "batch_norm", [u(-1, 1, 1, 2, 3)],
     lambda x, training: F.batch_norm(x, None, None, training=training), {"training": True})
case("batch_norm_training_1d_input_rejected", "batch_norm", [u(-1, 1, 3)],
     lambda x, training: F.batch_norm(x, None, None, training=training), {"training": True}, grad=False)

# ---------------------------------------------------------------- more 0-d and empty edges
z = lambda: u(-2, 2, dtype=torch.float64)
case("cumsum_0d", "cumsum", [z()], torch.cumsum, {"dim": 0})
case("softmax_0d", "softmax", [z()], F.softmax, {"dim": 0})
case("log_softmax_0d", "log_softmax", [z()], F.log_softmax, {"dim": -1})
case("max_dim_0d", "max", [z()], torch.max, {"dim": 0})
case("argmax_dim_0d", "argmax", [z()], torch.argmax, {"dim": -1}, grad=False)
case("var_0d_dim0_biased", "var", [z()], torch.var, {"dim": 0, "unbiased": False})
case("std_0d_dim0_biased", "std", [z()], torch.std, {"dim": 0, "unbiased": False})
case("norm_p1_0d", "norm", [z()], torch.norm, {"p": 1.0, "dim": 0})
case("amax_neg_dims_keepdim", "amax", [u(-2, 2, 2, 3, 4)], torch.amax, {"dim": [-1, 0], "keepdim": True})
case("sum_empty_dim", "sum", [u(-2, 2, 3, 0)], torch.sum, {"dim": 1})
case("mean_empty_dim", "mean", [u(-2, 2, 3, 0)], torch.mean, {"dim": 1})
case("prod_empty_dim", "prod", [u(-2, 2, 3, 0, dtype=torch.float64)], torch.prod, {"dim": 1})
case("logsumexp_empty_dim", "logsumexp", [u(-2, 2, 3, 0)], torch.logsumexp, {"dim": 1})
case("amax_empty_dim_rejected", "amax", [u(-2, 2, 3, 0)], torch.amax, {"dim": 1})
case("cumsum_empty", "cumsum", [u(-2, 2, 0, 3)], torch.cumsum, {"dim": 0})
case("softmax_empty", "softmax", [u(-2, 2, 0, 3)], F.softmax, {"dim": 1})
case("matmul_vector_empty", "matmul", [u(-2, 2, 0), u(-2, 2, 0)], torch.matmul)
case("matmul_matrix_vector_empty_inner", "matmul", [u(-2, 2, 3, 0), u(-2, 2, 0)], torch.matmul)
case("flip_neg_dims_noncontig", "flip", [In(u(-2, 2, 3, 4), permute=[1, 0])], torch.flip, {"dims": [-1]})
case("flip_0d", "flip", [z()], torch.flip, {"dims": [0]})
case("gather_neg_dim", "gather", [u(-2, 2, 3, 4), torch.tensor([[0, 3], [1, 1], [2, 0]])], lambda x, i, dim: torch.gather(x, dim, i), {"dim": -1})
case("cat_with_empty", "cat", [u(-2, 2, 2, 3), u(-2, 2, 0, 3)], lambda a, b, dim: torch.cat([a, b], dim), {"dim": 0})

# ---------------------------------------------------------------- unbatched inputs of nn.functional
case("max_pool2d_unbatched", "max_pool2d", [u(-2, 2, 3, 5, 6)], F.max_pool2d, {"kernel_size": 2})
case("max_pool2d_unbatched_indices", "max_pool2d", [u(-2, 2, 2, 4, 4)], F.max_pool2d, {"kernel_size": 2, "stride": 1, "return_indices": True})
case("avg_pool2d_unbatched", "avg_pool2d", [u(-2, 2, 3, 5, 6)], F.avg_pool2d, {"kernel_size": 2, "padding": 1})
case("adaptive_avg_pool2d_unbatched", "adaptive_avg_pool2d", [u(-2, 2, 3, 5, 7)], F.adaptive_avg_pool2d, {"output_size": [2, 3]})
case("linear_1d_input", "linear", [u(-2, 2, 4), u(-1, 1, 3, 4), u(-1, 1, 3)], F.linear)
case("cross_entropy_unbatched", "cross_entropy", [u(-2, 2, 5), torch.tensor(3)], F.cross_entropy)
case("nll_loss_unbatched", "nll_loss", [F.log_softmax(u(-2, 2, 5), 0), torch.tensor(1)], F.nll_loss)
case("conv1d_unbatched_groups", "conv1d", [u(-1, 1, 4, 9), u(-1, 1, 4, 2, 3)], F.conv1d, {"stride": 2, "groups": 2, "dilation": 2})

# ---------------------------------------------------------------- more functions, activations and losses
case("logit", "logit", [u(0.05, 0.95, 3, 4)], torch.logit)
case("logit_eps_f64", "logit", [In(u(-0.1, 1.1, 4, 3, dtype=torch.float64), permute=[1, 0])], torch.logit, {"eps": 0.05})
case("sinc_with_zero_f64", "sinc", [torch.tensor([0.0, 0.5, -1.3, 2.2, 0.0], dtype=torch.float64)], torch.sinc)
case("sinc", "sinc", [u(-3, 3, 3, 4)], torch.sinc)
case("deg2rad", "deg2rad", [u(-360, 360, 3, 4)], torch.deg2rad)
case("rad2deg_f64", "rad2deg", [u(-4, 4, 3, dtype=torch.float64)], torch.rad2deg)
case("diff", "diff", [u(-2, 2, 3, 5)], torch.diff)
case("diff_n2_dim0_f64", "diff", [In(u(-2, 2, 5, 3, dtype=torch.float64), permute=[1, 0])], torch.diff, {"n": 2, "dim": 0})
case("diff_bool", "diff", [torch.tensor([True, False, False, True])], torch.diff, grad=False)
case("nansum", "nansum", [torch.tensor([[1.0, float("nan"), 2.0], [float("nan"), float("nan"), -1.0]])], torch.nansum, {"dim": 1})
case("nansum_all_f64", "nansum", [torch.tensor([1.5, float("nan"), 2.0], dtype=torch.float64)], torch.nansum)
case("nanmean", "nanmean", [torch.tensor([[1.0, float("nan"), 2.0], [float("nan"), float("nan"), float("nan")]])], torch.nanmean, {"dim": -1, "keepdim": True})
case("median_dim", "median", [u(-2, 2, 3, 5)], torch.median, {"dim": 1})
case("median_dim0_even_f64", "median", [In(u(-2, 2, 4, 3, dtype=torch.float64), permute=[1, 0])], torch.median, {"dim": 0, "keepdim": True})
case("median_all", "median", [u(-2, 2, 3, 4)], torch.median)
case("median_nan", "median", [torch.tensor([[1.0, float("nan"), 2.0], [3.0, 0.5, -1.0]])], torch.median, {"dim": 1}, grad=False)
case("kthvalue", "kthvalue", [u(-2, 2, 3, 5)], torch.kthvalue, {"k": 2, "dim": -1})
case("kthvalue_dim0_keepdim_f64", "kthvalue", [u(-2, 2, 4, 3, dtype=torch.float64)], torch.kthvalue, {"k": 4, "dim": 0, "keepdim": True})
case("take_along_dim", "take_along_dim", [u(-2, 2, 3, 4), torch.tensor([[0, 3], [2, 2], [1, 0]])], torch.take_along_dim, {"dim": 1})
case("take_along_dim_broadcast", "take_along_dim", [u(-2, 2, 3, 4), torch.tensor([[1], [0]]).reshape(1, 2)], torch.take_along_dim, {"dim": 1})
case("take_along_dim_flat", "take_along_dim", [u(-2, 2, 3, 4), torch.tensor([11, 0, 5])], torch.take_along_dim)
case("hardshrink", "hardshrink", [u(-2, 2, 3, 4)], F.hardshrink)
case("hardshrink_lambd_f64", "hardshrink", [u(-2, 2, 3, 4, dtype=torch.float64)], F.hardshrink, {"lambd": 1.1})
case("softshrink", "softshrink", [u(-2, 2, 3, 4)], F.softshrink, {"lambd": 0.3})
case("prelu_channels", "prelu", [u(-2, 2, 2, 3, 4), u(0, 0.5, 3)], F.prelu)
case("prelu_single_f64", "prelu", [In(u(-2, 2, 3, 4, dtype=torch.float64), permute=[1, 0]), u(0, 0.5, 1, dtype=torch.float64)], F.prelu)
case("normalize", "normalize", [u(-2, 2, 3, 4)], F.normalize)
case("normalize_p1_dim_neg_f64", "normalize", [u(-2, 2, 2, 3, 4, dtype=torch.float64)], F.normalize, {"p": 1.0, "dim": -1})
case("pairwise_distance", "pairwise_distance", [u(-2, 2, 3, 4), u(-2, 2, 3, 4)], F.pairwise_distance)
case("pairwise_distance_broadcast_p3", "pairwise_distance", [u(-2, 2, 3, 4), u(-2, 2, 4)], F.pairwise_distance, {"p": 3.0, "keepdim": True})
case("pixel_shuffle", "pixel_shuffle", [u(-2, 2, 2, 8, 3, 2)], F.pixel_shuffle, {"upscale_factor": 2})
case("pixel_unshuffle", "pixel_unshuffle", [u(-2, 2, 1, 2, 4, 6)], F.pixel_unshuffle, {"downscale_factor": 2})
case("group_norm", "group_norm", [u(-2, 2, 2, 6, 3, 2), u(0.5, 1.5, 6), u(-1, 1, 6)], lambda x, w, b, num_groups: F.group_norm(x, num_groups, w, b), {"num_groups": 3})
case("group_norm_no_affine_f64", "group_norm", [u(-2, 2, 3, 4, 5, dtype=torch.float64)], lambda x, num_groups, eps: F.group_norm(x, num_groups, eps=eps), {"num_groups": 2, "eps": 1e-3})
case("kl_div_batchmean", "kl_div", [F.log_softmax(u(-2, 2, 3, 4), 1), F.softmax(u(-2, 2, 3, 4), 1)], F.kl_div, {"reduction": "batchmean"})
case("kl_div_zero_target_none", "kl_div", [u(-3, 0, 2, 3), torch.tensor([[0.0, 0.5, 0.5], [0.2, 0.0, 0.8]])], F.kl_div, {"reduction": "none"})
case("kl_div_log_target_sum_f64", "kl_div", [u(-3, 0, 2, 3, dtype=torch.float64), u(-3, 0, 2, 3, dtype=torch.float64)], F.kl_div, {"reduction": "sum", "log_target": True})
case("kl_div_mean", "kl_div", [u(-3, 0, 2, 3), u(0, 1, 2, 3)], F.kl_div, {"reduction": "mean"})
case("margin_ranking_loss", "margin_ranking_loss", [u(-2, 2, 6), u(-2, 2, 6), torch.tensor([1.0, -1.0, 1.0, -1.0, 1.0, 1.0])], F.margin_ranking_loss, {"margin": 0.3})
case("soft_margin_loss", "soft_margin_loss", [u(-2, 2, 3, 4), In(torch.tensor([1.0, -1.0, 1.0, -1.0]), grad=False)], F.soft_margin_loss)
case("hinge_embedding_loss", "hinge_embedding_loss", [u(-2, 2, 3, 4), In(torch.tensor([1.0, -1.0, -1.0, 1.0]), grad=False)], F.hinge_embedding_loss, {"margin": 1.5, "reduction": "sum"})
case("cosine_embedding_loss", "cosine_embedding_loss", [u(-2, 2, 4, 5), u(-2, 2, 4, 5), In(torch.tensor([1.0, -1.0, -1.0, 1.0]), grad=False)], F.cosine_embedding_loss, {"margin": -0.2})
case("cosine_embedding_loss_unbatched_none_f64", "cosine_embedding_loss", [u(-2, 2, 5, dtype=torch.float64), u(-2, 2, 5, dtype=torch.float64), In(torch.tensor(-1.0, dtype=torch.float64), grad=False)],
     F.cosine_embedding_loss, {"reduction": "none"})
case("poisson_nll_loss", "poisson_nll_loss", [u(-2, 2, 3, 4), u(0, 4, 3, 4)], F.poisson_nll_loss)
case("poisson_nll_loss_full_not_log_f64", "poisson_nll_loss", [u(0.1, 3, 3, 4, dtype=torch.float64), u(0, 4, 3, 4, dtype=torch.float64)], F.poisson_nll_loss,
     {"log_input": False, "full": True, "reduction": "sum"})
case("gaussian_nll_loss", "gaussian_nll_loss", [u(-2, 2, 3, 4), u(-2, 2, 3, 4), u(0.1, 2, 3, 4)], F.gaussian_nll_loss)
case("gaussian_nll_loss_var_per_sample_full_f64", "gaussian_nll_loss", [u(-2, 2, 3, 4, dtype=torch.float64), u(-2, 2, 3, 4, dtype=torch.float64), u(0.1, 2, 3, 1, dtype=torch.float64)],
     F.gaussian_nll_loss, {"full": True, "reduction": "sum"})
case("gaussian_nll_loss_var_clamped", "gaussian_nll_loss", [u(-2, 2, 5), u(-2, 2, 5), torch.tensor([1e-9, 0.5, 1e-8, 2.0, 0.0])], F.gaussian_nll_loss, {"eps": 1e-3})

# ---------------------------------------------------------------- fourth batch
case("cummax", "cummax", [u(-2, 2, 3, 5)], torch.cummax, {"dim": 1})
case("cummin_dim0_noncontig_f64", "cummin", [In(u(-2, 2, 4, 3, dtype=torch.float64), permute=[1, 0])], torch.cummin, {"dim": 0})
case("cummax_ties_nan", "cummax", [torch.tensor([1.0, 3.0, 3.0, 2.0, float("nan"), 5.0, 1.0])], torch.cummax, {"dim": 0}, grad=False)
case("cummin_ties", "cummin", [torch.tensor([[2.0, 1.0, 1.0, 4.0, 0.5, 0.5]])], torch.cummin, {"dim": -1}, grad=False)
case("kron_2d", "kron", [u(-2, 2, 2, 3), u(-2, 2, 3, 2)], torch.kron)
case("kron_ranks_f64", "kron", [u(-2, 2, 3, dtype=torch.float64), u(-2, 2, 2, 2, dtype=torch.float64)], torch.kron)
case("rot90_k1", "rot90", [u(-2, 2, 3, 4)], torch.rot90)
case("rot90_k-1_dims", "rot90", [u(-2, 2, 2, 3, 4, dtype=torch.float64)], torch.rot90, {"k": -1, "dims": [2, 0]})
case("rot90_k2", "rot90", [u(-2, 2, 3, 4)], torch.rot90, {"k": 2, "dims": [0, 1]})
case("cdist_p2", "cdist", [u(-2, 2, 4, 3), u(-2, 2, 5, 3)], torch.cdist)
case("cdist_p1_batched_f64", "cdist", [u(-2, 2, 2, 4, 3, dtype=torch.float64), u(-2, 2, 2, 5, 3, dtype=torch.float64)], torch.cdist, {"p": 1.0})
case("bucketize", "bucketize", [u(-3, 3, 3, 4), torch.tensor([-1.0, 0.0, 0.5, 2.0])], torch.bucketize, grad=False)
case("bucketize_right_ties", "bucketize", [torch.tensor([-1.0, 0.0, 0.7, 2.0, 5.0]), torch.tensor([-1.0, 0.0, 0.5, 2.0])], torch.bucketize, {"right": True}, grad=False)
case("searchsorted_1d", "searchsorted", [torch.tensor([-1.0, 0.0, 0.5, 2.0]), torch.tensor([[0.0, 3.0], [-2.0, 0.25]])], torch.searchsorted, grad=False)
case("searchsorted_rows_right", "searchsorted", [torch.tensor([[1.0, 2.0, 3.0], [0.0, 0.5, 4.0]]), torch.tensor([[2.0, 0.0], [0.5, 5.0]])], torch.searchsorted, {"right": True}, grad=False)
case("isclose", "isclose", [torch.tensor([1.0, 1.0001, float("nan"), float("inf"), 2.0]), torch.tensor([1.0, 1.0, float("nan"), float("inf"), 2.1])], torch.isclose, grad=False)
case("isclose_equal_nan_tols", "isclose", [torch.tensor([1.0, 1.01, float("nan")]), torch.tensor([1.0, 1.0, float("nan")])], torch.isclose,
     {"rtol": 0.0, "atol": 0.02, "equal_nan": True}, grad=False)
case("count_nonzero", "count_nonzero", [torch.tensor([[0.0, 1.0, 2.0], [0.0, 0.0, -1.0]])], torch.count_nonzero, {"dim": 1}, grad=False)
case("count_nonzero_all", "count_nonzero", [torch.tensor([[0, 1, 2], [0, 0, -1]])], torch.count_nonzero, grad=False)
case("max_pool1d", "max_pool1d", [u(-2, 2, 2, 3, 9)], F.max_pool1d, {"kernel_size": 3, "stride": 2, "padding": 1})
case("max_pool1d_unbatched_indices", "max_pool1d", [u(-2, 2, 3, 8)], F.max_pool1d, {"kernel_size": 2, "return_indices": True})
case("avg_pool1d", "avg_pool1d", [u(-2, 2, 2, 3, 9)], F.avg_pool1d, {"kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False})
case("avg_pool1d_ceil", "avg_pool1d", [u(-2, 2, 2, 3, 8)], F.avg_pool1d, {"kernel_size": 3, "ceil_mode": True})
case("instance_norm", "instance_norm", [u(-2, 2, 2, 3, 5), u(0.5, 1.5, 3), u(-1, 1, 3)], lambda x, w, b: F.instance_norm(x, weight=w, bias=b))
case("instance_norm_2d_f64", "instance_norm", [u(-2, 2, 2, 3, 2, 3, dtype=torch.float64)], F.instance_norm, {"eps": 1e-3})
case("triplet_margin_loss", "triplet_margin_loss", [u(-2, 2, 4, 3), u(-2, 2, 4, 3), u(-2, 2, 4, 3)], F.triplet_margin_loss, {"margin": 0.5})
case("triplet_margin_loss_swap_p1", "triplet_margin_loss", [u(-2, 2, 4, 3), u(-2, 2, 4, 3), u(-2, 2, 4, 3)], F.triplet_margin_loss,
     {"p": 1.0, "swap": True, "reduction": "sum"})
case("multilabel_soft_margin_loss", "multilabel_soft_margin_loss", [u(-2, 2, 3, 4), In(torch.tensor([[1.0, 0, 1, 0], [0, 0, 1, 1], [1, 1, 1, 0]]), grad=False)],
     F.multilabel_soft_margin_loss)
case("multilabel_soft_margin_loss_weight_none", "multilabel_soft_margin_loss",
     [u(-2, 2, 3, 4), In(torch.tensor([[1.0, 0, 1, 0], [0, 0, 1, 1], [1, 1, 1, 0]]), grad=False), In(u(0.5, 1.5, 4), grad=False)],
     F.multilabel_soft_margin_loss, {"reduction": "none"})
case("interpolate_nearest_size", "interpolate", [u(-2, 2, 1, 2, 3, 4)], F.interpolate, {"size": [5, 7], "mode": "nearest"})
case("interpolate_nearest_scale", "interpolate", [u(-2, 2, 1, 2, 3, 4)], F.interpolate, {"scale_factor": 2.0, "mode": "nearest"})
case("interpolate_bilinear_size", "interpolate", [u(-2, 2, 1, 2, 3, 4)], F.interpolate, {"size": [5, 7], "mode": "bilinear", "align_corners": False})
case("interpolate_bilinear_down_f64", "interpolate", [u(-2, 2, 2, 1, 6, 5, dtype=torch.float64)], F.interpolate, {"size": [4, 3], "mode": "bilinear", "align_corners": False})
case("interpolate_bilinear_align_corners", "interpolate", [u(-2, 2, 1, 2, 3, 4)], F.interpolate, {"size": [5, 6], "mode": "bilinear", "align_corners": True})
case("interpolate_bilinear_scale", "interpolate", [u(-2, 2, 1, 2, 3, 4)], F.interpolate, {"scale_factor": 1.5, "mode": "bilinear", "align_corners": False})
case("interpolate_linear_f64", "interpolate", [u(-2, 2, 2, 3, 5, dtype=torch.float64)], F.interpolate, {"size": [8], "mode": "linear", "align_corners": False})

# ---------------------------------------------------------------- fifth batch: special functions, index updates, splits, products
SPECIAL = {"erfinv": (torch.erfinv, -0.95, 0.95), "lgamma": (torch.lgamma, -3.7, 6.0), "digamma": (torch.digamma, -3.7, 6.0)}
for name, (fn, lo, hi) in SPECIAL.items():
    case(f"{name}_f32", name, [away_from_int(u(lo, hi, 3, 4))], fn)
    case(f"{name}_f64_noncontig", name, [In(away_from_int(u(lo, hi, 3, 4, dtype=torch.float64)), permute=[1, 0])], fn)
    case(f"{name}_0d_f64", name, [away_from_int(u(lo, hi, dtype=torch.float64))], fn)
    case(f"{name}_empty", name, [u(lo, hi, 0, 3)], fn)
case("erfinv_edges_f64", "erfinv", [torch.tensor([-1.0, 1.0, 0.0, 0.999999, -0.3, 1.5, 1e-9], dtype=torch.float64)], torch.erfinv, grad=False)
case("lgamma_poles_f64", "lgamma", [torch.tensor([0.0, -1.0, -2.5, 1.0, 2.0, 100.5, 1e-8, -7.3], dtype=torch.float64)], torch.lgamma, grad=False)
case("digamma_poles_f64", "digamma", [torch.tensor([0.0, -0.0, -1.0, 1.0, 1e-3, 30.0, -2.5], dtype=torch.float64)], torch.digamma, grad=False)
polygamma = lambda x, n: torch.polygamma(n, x)
case("polygamma_n1", "polygamma", [u(0.2, 5, 3, 4)], polygamma, {"n": 1})
case("polygamma_n2_f64_noncontig", "polygamma", [In(u(0.2, 5, 4, 3, dtype=torch.float64), permute=[1, 0])], polygamma, {"n": 2})
case("polygamma_n3_0d_f64", "polygamma", [u(0.5, 3, dtype=torch.float64)], polygamma, {"n": 3})
case("polygamma_n0_f64", "polygamma", [away_from_int(u(-3, 4, 5, dtype=torch.float64))], polygamma, {"n": 0})
case("polygamma_n1_negative_f64", "polygamma", [away_from_int(u(-3.5, -0.5, 5, dtype=torch.float64), 0.2)], polygamma, {"n": 1})
case("polygamma_n1_large_f64", "polygamma", [torch.tensor([25.0, 1e3, 0.01], dtype=torch.float64)], polygamma, {"n": 1})

case("take", "take", [u(-2, 2, 3, 4), torch.tensor([[0, -1], [5, 11]])], torch.take)
case("take_0d_index_f64", "take", [u(-2, 2, 3, dtype=torch.float64), torch.tensor(-2)], torch.take)
case("take_noncontig_f64", "take", [In(u(-2, 2, 3, 4, dtype=torch.float64), permute=[1, 0]), torch.tensor([0, 1, 2, 3, 7])], torch.take)
case("take_empty_index", "take", [u(-2, 2, 3, 4), torch.tensor([], dtype=torch.int64)], torch.take)
case("take_out_of_range", "take", [u(-2, 2, 3, 4), torch.tensor([12])], torch.take)
index_fill = lambda x, i, dim, value: x.index_fill(dim, i, value)
case("index_fill", "index_fill", [u(-2, 2, 3, 4), torch.tensor([0, 2])], index_fill, {"dim": 0, "value": -1.5})
case("index_fill_neg_dim_noncontig_f64", "index_fill", [In(u(-2, 2, 4, 3, dtype=torch.float64), permute=[1, 0]), torch.tensor([-1, 1])], index_fill, {"dim": -1, "value": 2.0})
case("index_fill_0d_f64", "index_fill", [u(-2, 2, dtype=torch.float64), torch.tensor(0)], index_fill, {"dim": 0, "value": 3.0})
index_copy = lambda x, i, src, dim: x.index_copy(dim, i, src)
case("index_copy", "index_copy", [u(-2, 2, 3, 4), torch.tensor([2, 0]), u(-2, 2, 3, 2)], index_copy, {"dim": 1})
case("index_copy_dim0_noncontig_f64", "index_copy", [u(-2, 2, 4, 3, dtype=torch.float64), torch.tensor([3, 1]), In(u(-2, 2, 2, 3, dtype=torch.float64), permute=[1, 0])],
     index_copy, {"dim": 0})
case("index_copy_wrong_source", "index_copy", [u(-2, 2, 3, 4), torch.tensor([2, 0]), u(-2, 2, 3, 3)], index_copy, {"dim": 1})
index_put = lambda x, v, *idx, accumulate: torch.index_put(x, tuple(idx), v, accumulate=accumulate)
case("index_put_rows", "index_put", [u(-2, 2, 4, 3), u(-2, 2, 2, 3), torch.tensor([0, 2])], index_put, {"accumulate": False})
case("index_put_accumulate_duplicates", "index_put", [u(-2, 2, 4, 3), u(-2, 2, 3), torch.tensor([1, 1, 3]), torch.tensor([0, 0, -1])], index_put, {"accumulate": True})
case("index_put_broadcast_f64", "index_put", [In(u(-2, 2, 3, 4, dtype=torch.float64), permute=[1, 0]), u(-2, 2, 1, dtype=torch.float64),
                                              torch.tensor([[0], [2]]), torch.tensor([1, 3])], index_put, {"accumulate": False})
case("index_put_bool_mask", "index_put", [u(-2, 2, 3, 4), u(-2, 2), u(-2, 2, 3, 4) > 0], index_put, {"accumulate": True})
index = lambda x, *idx: x[tuple(idx)]
case("index_pairs", "index", [u(-2, 2, 4, 5), torch.tensor([0, 3, 3]), torch.tensor([1, -1, 2])], index)
case("index_rows_bool_noncontig_f64", "index", [In(u(-2, 2, 5, 4, dtype=torch.float64), permute=[1, 0]), torch.tensor([True, False, True, True, False])], index)
case("index_broadcast_2d", "index", [u(-2, 2, 3, 4, 2), torch.tensor([[0], [2]]), torch.tensor([1, 3, 0])], index)
case("index_out_of_range", "index", [u(-2, 2, 3, 4), torch.tensor([3])], index)
masked_scatter = lambda x, m, s: x.masked_scatter(m, s)
case("masked_scatter", "masked_scatter", [u(-2, 2, 3, 4), u(-1, 1, 3, 4) > 0, u(-2, 2, 13)], masked_scatter)
case("masked_scatter_broadcast_mask_f64", "masked_scatter", [u(-2, 2, 3, 4, dtype=torch.float64), torch.tensor([True, False, False, True]),
                                                              u(-2, 2, 2, 4, dtype=torch.float64)], masked_scatter)
scatter_reduce = lambda x, i, s, dim, reduce, include_self: x.scatter_reduce(dim, i, s, reduce, include_self=include_self)
SR_INDEX = torch.tensor([[0, 1, 0, 2, 0], [1, 1, 3, 3, 0]])
for reduce in ("sum", "prod", "mean", "amax", "amin"):
    for inc in (True, False):
        case(f"scatter_reduce_{reduce}_{'self' if inc else 'noself'}_f64", "scatter_reduce",
             [u(-2, 2, 3, 4, dtype=torch.float64), SR_INDEX, u(-2, 2, 2, 5, dtype=torch.float64)], scatter_reduce,
             {"dim": 1, "reduce": reduce, "include_self": inc})
    case(f"scatter_reduce_{reduce}_dim0_f32", "scatter_reduce", [u(-2, 2, 4, 3), torch.tensor([[3, 0, 3], [3, 2, 0]]), u(-2, 2, 2, 3)], scatter_reduce,
         {"dim": -2, "reduce": reduce, "include_self": True})
case("scatter_reduce_amax_ties_f64", "scatter_reduce", [torch.tensor([1.0, 2.0, 0.0], dtype=torch.float64), torch.tensor([0, 0, 1, 1]),
                                                        torch.tensor([1.0, 0.5, 2.0, 2.0], dtype=torch.float64)], scatter_reduce, {"dim": 0, "reduce": "amax", "include_self": True})
case("scatter_reduce_prod_zeros_f64", "scatter_reduce", [torch.tensor([2.0, 0.0, 3.0], dtype=torch.float64), torch.tensor([0, 0, 1, 2, 2]),
                                                         torch.tensor([0.0, 1.5, 4.0, 0.0, 0.0], dtype=torch.float64)], scatter_reduce, {"dim": 0, "reduce": "prod", "include_self": True})
case("bincount", "bincount", [torch.tensor([0, 1, 1, 3, 7])], torch.bincount, grad=False)
case("bincount_weights_minlength", "bincount", [torch.tensor([0, 1, 1, 3, 7]), u(0, 1, 5)], torch.bincount, {"minlength": 10}, grad=False)
case("bincount_weights_f64", "bincount", [torch.tensor([2, 2, 0]), u(0, 1, 3, dtype=torch.float64)], torch.bincount, grad=False)
case("bincount_empty", "bincount", [torch.tensor([], dtype=torch.int64)], torch.bincount, {"minlength": 3}, grad=False)
case("bincount_negative", "bincount", [torch.tensor([0, -1])], torch.bincount, grad=False)
case("histc_range", "histc", [u(-2, 2, 50)], torch.histc, {"bins": 7, "min": -1.0, "max": 1.5}, grad=False)
case("histc_data_range_f64", "histc", [u(-2, 2, 4, 25, dtype=torch.float64)], torch.histc, {"bins": 10}, grad=False)
case("histc_constant", "histc", [torch.tensor([2.0, 2.0, 2.0])], torch.histc, {"bins": 4}, grad=False)
case("histc_edges", "histc", [torch.tensor([0.0, 0.25, 0.5, 0.75, 1.0, 1.0000001, -0.1])], torch.histc, {"bins": 4, "min": 0.0, "max": 1.0}, grad=False)

tensor_split = lambda x, sections, dim: torch.tensor_split(x, sections, dim)
case("tensor_split_sections", "tensor_split", [u(-2, 2, 3, 7)], tensor_split, {"sections": 3, "dim": 1})
case("tensor_split_indices", "tensor_split", [u(-2, 2, 7)], lambda x, indices, dim: torch.tensor_split(x, indices, dim), {"indices": [-2, 3, 1], "dim": 0})
case("tensor_split_noncontig_neg_dim_f64", "tensor_split", [In(u(-2, 2, 5, 3, dtype=torch.float64), permute=[1, 0])], tensor_split, {"sections": 2, "dim": -1})
case("tensor_split_more_sections_than_size", "tensor_split", [u(-2, 2, 2)], tensor_split, {"sections": 4, "dim": 0})
case("tensor_split_0d", "tensor_split", [u(-2, 2)], tensor_split, {"sections": 2, "dim": 0})
case("hsplit_1d", "hsplit", [u(-2, 2, 6)], lambda x, sections: torch.hsplit(x, sections), {"sections": 3})
case("hsplit_indices_2d", "hsplit", [u(-2, 2, 2, 6)], lambda x, indices: torch.hsplit(x, indices), {"indices": [1, 4]})
case("hsplit_indivisible", "hsplit", [u(-2, 2, 2, 5)], lambda x, sections: torch.hsplit(x, sections), {"sections": 2})
case("vsplit_f64", "vsplit", [In(u(-2, 2, 4, 3, dtype=torch.float64), permute=[1, 0])], lambda x, sections: torch.vsplit(x, sections), {"sections": 2})
case("vsplit_1d_rejected", "vsplit", [u(-2, 2, 4)], lambda x, sections: torch.vsplit(x, sections), {"sections": 2})
case("dsplit_indices", "dsplit", [u(-2, 2, 2, 3, 4)], lambda x, indices: torch.dsplit(x, indices), {"indices": [3]})
case("hstack_1d", "hstack", [u(-2, 2, 3), u(-2, 2, 2)], lambda *ts: torch.hstack(ts))
case("hstack_2d_f64", "hstack", [u(-2, 2, 2, 3, dtype=torch.float64), In(u(-2, 2, 2, 1, dtype=torch.float64), permute=[1, 0])], lambda *ts: torch.hstack(ts))
case("vstack_1d_0d", "vstack", [u(-2, 2, 1), u(-2, 2)], lambda *ts: torch.vstack(ts))
case("vstack_mixed", "vstack", [u(-2, 2, 3), u(-2, 2, 2, 3)], lambda *ts: torch.vstack(ts))
case("dstack", "dstack", [u(-2, 2, 3), u(-2, 2, 1, 3, 2)], lambda *ts: torch.dstack(ts))
case("dstack_2d_f64", "dstack", [u(-2, 2, 2, 3, dtype=torch.float64), u(-2, 2, 2, 3, dtype=torch.float64)], lambda *ts: torch.dstack(ts))
case("column_stack", "column_stack", [u(-2, 2, 3), u(-2, 2, 3, 2), u(-2, 2, 3)], lambda *ts: torch.column_stack(ts))
case("column_stack_0d_f64", "column_stack", [u(-2, 2, dtype=torch.float64), u(-2, 2, 1, dtype=torch.float64)], lambda *ts: torch.column_stack(ts))
case("meshgrid_ij", "meshgrid", [u(-2, 2, 3), u(-2, 2, 4), u(-2, 2)], lambda *ts, indexing: torch.meshgrid(*ts, indexing=indexing), {"indexing": "ij"})
case("meshgrid_xy_f64", "meshgrid", [u(-2, 2, 3, dtype=torch.float64), u(-2, 2, 4, dtype=torch.float64)], lambda *ts, indexing: torch.meshgrid(*ts, indexing=indexing), {"indexing": "xy"})
case("meshgrid_xy_three", "meshgrid", [u(-2, 2, 2), u(-2, 2, 3), u(-2, 2, 4)], lambda *ts, indexing: torch.meshgrid(*ts, indexing=indexing), {"indexing": "xy"})
case("swapaxes", "swapaxes", [u(-2, 2, 2, 3, 4)], torch.swapaxes, {"axis0": 0, "axis1": -1})
case("diagonal_offset", "diagonal", [u(-2, 2, 3, 4)], torch.diagonal, {"offset": 1})
case("diagonal_3d_noncontig_f64", "diagonal", [In(u(-2, 2, 4, 2, 3, dtype=torch.float64), permute=[2, 1, 0])], torch.diagonal, {"offset": -1, "dim1": 0, "dim2": 2})
case("diagonal_neg_dims", "diagonal", [u(-2, 2, 2, 3, 3)], torch.diagonal, {"dim1": -1, "dim2": -2})
case("diagonal_offset_outside", "diagonal", [u(-2, 2, 3, 4)], torch.diagonal, {"offset": 5})
case("diagonal_same_dims", "diagonal", [u(-2, 2, 3, 4)], torch.diagonal, {"dim1": 1, "dim2": -1})
case("diag_embed", "diag_embed", [u(-2, 2, 2, 3)], torch.diag_embed)
case("diag_embed_offset_dims_f64", "diag_embed", [In(u(-2, 2, 3, 2, dtype=torch.float64), permute=[1, 0])], torch.diag_embed, {"offset": -1, "dim1": 0, "dim2": 2})
case("diag_embed_1d_pos_offset", "diag_embed", [u(-2, 2, 3)], torch.diag_embed, {"offset": 2})
case("addmm", "addmm", [u(-2, 2, 3, 4), u(-2, 2, 3, 2), u(-2, 2, 2, 4)], torch.addmm, {"beta": 0.5, "alpha": 2.0})
case("addmm_broadcast_input_f64", "addmm", [u(-2, 2, 4, dtype=torch.float64), In(u(-2, 2, 3, 2, dtype=torch.float64), permute=[1, 0]), u(-2, 2, 2, 4, dtype=torch.float64)], torch.addmm)
case("addmm_beta0_ignores_nan", "addmm", [torch.tensor([[float("nan"), 1.0], [2.0, float("inf")]]), u(-2, 2, 2, 3), u(-2, 2, 3, 2)], torch.addmm, {"beta": 0.0})
case("addmm_empty_inner", "addmm", [u(-2, 2, 3, 4), u(-2, 2, 3, 0), u(-2, 2, 0, 4)], torch.addmm, {"alpha": 3.0})
case("baddbmm", "baddbmm", [u(-2, 2, 2, 3, 4), u(-2, 2, 2, 3, 5), u(-2, 2, 2, 5, 4)], torch.baddbmm, {"beta": -1.0, "alpha": 0.5})
case("baddbmm_broadcast_f64", "baddbmm", [u(-2, 2, 4, dtype=torch.float64), u(-2, 2, 2, 3, 5, dtype=torch.float64),
                                          In(u(-2, 2, 2, 5, 4, dtype=torch.float64), permute=[0, 2, 1])], torch.baddbmm)
case("cross_dim", "cross", [u(-2, 2, 4, 3), u(-2, 2, 4, 3)], torch.cross, {"dim": -1})
case("cross_broadcast_f64", "cross", [In(u(-2, 2, 2, 3, dtype=torch.float64), permute=[1, 0]), u(-2, 2, 1, 3, dtype=torch.float64)], torch.cross, {"dim": 1})
case("cross_default_dim", "cross", [u(-2, 2, 3, 3), u(-2, 2, 3, 3)], torch.cross)
case("cross_wrong_size", "cross", [u(-2, 2, 4, 2), u(-2, 2, 4, 2)], torch.cross, {"dim": 1})
# PyTorch 1.13 has no derivative for aminmax ("not implemented"): values only here, the gradient is gradchecked
aminmax = lambda x, **kw: torch.aminmax(x, **kw)
case("aminmax_dim", "aminmax", [u(-2, 2, 3, 5)], aminmax, {"dim": 1}, grad=False)
case("aminmax_all", "aminmax", [u(-2, 2, 3, 5)], aminmax, grad=False)
case("aminmax_0d_f64", "aminmax", [u(-2, 2, dtype=torch.float64)], aminmax, {"dim": 0}, grad=False)
case("aminmax_neg_dim_keepdim_noncontig_f64", "aminmax", [In(u(-2, 2, 4, 3, dtype=torch.float64), permute=[1, 0])], aminmax, {"dim": -2, "keepdim": True}, grad=False)
case("aminmax_ties", "aminmax", [torch.tensor([[1.0, -2.0, -2.0, 3.0], [0.5, 0.5, 0.5, 0.5]])], aminmax, {"dim": 1}, grad=False)
case("aminmax_empty_rejected", "aminmax", [u(-2, 2, 0)], aminmax, grad=False)
var_mean = lambda x, **kw: torch.var_mean(x, **kw)
std_mean = lambda x, **kw: torch.std_mean(x, **kw)
for name, fn in (("var_mean", var_mean), ("std_mean", std_mean)):
    case(f"{name}_dim_unbiased", name, [u(-2, 2, 3, 5)], fn, {"dim": 1})
    case(f"{name}_all", name, [u(-2, 2, 3, 5)], fn)
    case(f"{name}_biased_keepdim_noncontig_f64", name, [In(u(-2, 2, 4, 3, dtype=torch.float64), permute=[1, 0])], fn, {"dim": [-1, 0], "unbiased": False, "keepdim": True})
    case(f"{name}_correction2_f64", name, [u(-2, 2, 3, 5, dtype=torch.float64)], fn, {"dim": -1, "correction": 2})
    case(f"{name}_0d_biased_f64", name, [u(-2, 2, dtype=torch.float64)], fn, {"dim": 0, "unbiased": False})

# ---------------------------------------------------------------- einsum and order statistics
einsum = lambda *ts, equation: torch.einsum(equation, *ts)
for name, eq, ins in [
        ("matmul", "ij,jk->ik", [u(-2, 2, 3, 4), u(-2, 2, 4, 5)]),
        ("batched_noncontig_f64", "bij,bjk->bik", [In(u(-2, 2, 2, 3, 4, dtype=torch.float64), permute=[0, 2, 1]), u(-2, 2, 2, 4, 5, dtype=torch.float64)]),
        ("diagonal", "ii->i", [u(-2, 2, 4, 4)]),
        ("trace_implicit", "ii", [u(-2, 2, 3, 3, dtype=torch.float64)]),
        ("transpose", "ij->ji", [u(-2, 2, 2, 3)]),
        ("outer_implicit", "i,j", [u(-2, 2, 3), u(-2, 2, 4)]),
        ("ellipsis_broadcast_implicit", "...ij,...jk", [u(-2, 2, 2, 1, 3, 4), u(-2, 2, 5, 4, 2)]),
        ("ellipsis_explicit_f64", "b...i,i->...b", [u(-2, 2, 2, 3, 4, dtype=torch.float64), u(-2, 2, 4, dtype=torch.float64)]),
        ("repeated_three_sum", "iij,jk->k", [u(-2, 2, 3, 3, 4), u(-2, 2, 4, 2)]),
        ("zero_dim_operands_f64", ",->", [u(-2, 2, dtype=torch.float64), u(-2, 2, dtype=torch.float64)]),
        ("dot", "i,i->", [u(-2, 2, 5), u(-2, 2, 5)]),
        ("chain_three", "ij,jk,kl->il", [u(-2, 2, 2, 3), u(-2, 2, 3, 4), u(-2, 2, 4, 2)]),
        ("hadamard_sum_uppercase", "aB,aB->B", [u(-2, 2, 3, 4), u(-2, 2, 3, 4)]),
        ("empty_inner", "ij,jk->ik", [u(-2, 2, 3, 0), u(-2, 2, 0, 4)]),
        ("sum_out_unshared", "ij,kl->il", [u(-2, 2, 2, 3), u(-2, 2, 4, 5)]),
        ("bilinear_form", "bn,anm,bm->ba", [u(-2, 2, 2, 3), u(-2, 2, 4, 3, 5), u(-2, 2, 2, 5)]),
        ("size_mismatch", "ij,jk->ik", [u(-2, 2, 3, 4), u(-2, 2, 5, 2)]),
        ("output_letter_missing", "ij->k", [u(-2, 2, 3, 4)])]:
    case(f"einsum_{name}", "einsum", ins, einsum, {"equation": eq})

quantile = lambda x, q, **kw: torch.quantile(x, q, **kw)
for mode in ("linear", "lower", "higher", "nearest", "midpoint"):
    case(f"quantile_{mode}_dim", "quantile", [u(-2, 2, 3, 6)], quantile, {"q": 0.3, "dim": 1, "interpolation": mode})
    case(f"quantile_{mode}_tensor_q_f64", "quantile", [In(u(-2, 2, 5, 3, dtype=torch.float64), permute=[1, 0]), In(torch.tensor([0.0, 0.25, 0.5, 0.9, 1.0], dtype=torch.float64), grad=False)],
         quantile, {"dim": -1, "keepdim": True, "interpolation": mode})
case("quantile_all_scalar", "quantile", [u(-2, 2, 3, 4)], quantile, {"q": 0.75})
case("quantile_all_keepdim_tensor_q", "quantile", [u(-2, 2, 3, 4), In(torch.tensor([0.1, 0.6]), grad=False)], quantile, {"keepdim": True})
case("quantile_0d_f64", "quantile", [u(-2, 2, dtype=torch.float64)], quantile, {"q": 0.5, "dim": 0})
case("quantile_nan_line", "quantile", [torch.tensor([[1.0, float("nan"), 2.0], [3.0, 0.5, -1.0]])], quantile, {"q": 0.5, "dim": 1})
case("quantile_nearest_half_even_f64", "quantile", [torch.tensor([0.0, 1.0, 2.0, 3.0, 4.0, 5.0], dtype=torch.float64)], quantile, {"q": 0.5, "interpolation": "nearest"}, grad=False)
case("quantile_q_out_of_range", "quantile", [u(-2, 2, 4)], quantile, {"q": 1.5})
case("quantile_empty", "quantile", [u(-2, 2, 0)], quantile, {"q": 0.5})
nanquantile = lambda x, q, **kw: torch.nanquantile(x, q, **kw)
NANS = torch.tensor([[1.0, float("nan"), 2.0, 5.0, -1.0], [3.0, 0.5, -1.0, 2.0, 0.0], [float("nan"), float("nan"), 4.0, -2.0, float("nan")], [float("nan")] * 5])
for mode in ("linear", "lower", "higher", "nearest", "midpoint"):
    case(f"nanquantile_{mode}", "nanquantile", [NANS], nanquantile, {"q": 0.4, "dim": 1, "interpolation": mode})
case("nanquantile_tensor_q_keepdim_f64", "nanquantile", [NANS.to(torch.float64).t(), In(torch.tensor([0.0, 0.3, 1.0], dtype=torch.float64), grad=False)], nanquantile, {"dim": 0, "keepdim": True})
case("nanquantile_all", "nanquantile", [torch.tensor([1.5, float("nan"), -2.0, 7.0])], nanquantile, {"q": 0.5})
case("nanquantile_no_nan_noncontig_f64", "nanquantile", [In(u(-2, 2, 5, 3, dtype=torch.float64), permute=[1, 0])], nanquantile, {"q": 0.65, "dim": -1})
nanmedian = lambda x, **kw: torch.nanmedian(x, **kw)
case("nanmedian_dim", "nanmedian", [torch.tensor([[1.0, float("nan"), 2.0, 5.0], [3.0, 0.5, -1.0, 2.0], [float("nan"), float("nan"), 4.0, -2.0]])], nanmedian, {"dim": 1})
case("nanmedian_all_f64", "nanmedian", [torch.tensor([1.5, float("nan"), -2.0, 7.0, float("nan")], dtype=torch.float64)], nanmedian)
case("nanmedian_noncontig_keepdim_f64", "nanmedian", [In(u(-2, 2, 4, 3, dtype=torch.float64), permute=[1, 0])], nanmedian, {"dim": 0, "keepdim": True})
case("nanmedian_0d_f64", "nanmedian", [u(-2, 2, dtype=torch.float64)], nanmedian, {"dim": -1})
case("nanmedian_all_nan_line", "nanmedian", [torch.tensor([[float("nan"), float("nan")], [1.0, 2.0]])], nanmedian, {"dim": 1}, grad=False)
mode_ = lambda x, **kw: torch.mode(x, **kw)
case("mode_ties", "mode", [torch.tensor([[1.0, 2.0, 2.0, 1.0, 3.0], [4.0, 4.0, 0.0, 0.0, 0.0]])], mode_, {"dim": 1})
case("mode_dim0_keepdim_f64", "mode", [torch.tensor([[1.0, 2.0], [1.0, 3.0], [2.0, 3.0], [1.0, 2.0]], dtype=torch.float64)], mode_, {"dim": 0, "keepdim": True})
case("mode_default_dim_int", "mode", [torch.tensor([[3, 1, 3, 1, 2], [5, 5, 5, 0, 0]])], mode_, grad=False)
case("mode_0d_f64", "mode", [u(-2, 2, dtype=torch.float64)], mode_, {"dim": 0})
unique = lambda x, **kw: torch.unique(x, **kw)
case("unique_flat", "unique", [torch.tensor([[3.0, 1.0, 2.0], [1.0, 3.0, 3.0]])], unique, grad=False)
case("unique_inverse_counts_int", "unique", [torch.tensor([4, 1, 4, 2, 1, 1])], unique, {"sorted": True, "return_inverse": True, "return_counts": True}, grad=False)
case("unique_dim0", "unique", [torch.tensor([[1, 2], [0, 5], [1, 2], [0, 1]])], unique, {"dim": 0, "return_inverse": True, "return_counts": True}, grad=False)
case("unique_dim1_f64", "unique", [torch.tensor([[1.0, 0.0, 1.0], [2.0, 5.0, 2.0]], dtype=torch.float64)], unique, {"dim": -1, "return_counts": True}, grad=False)
case("unique_empty", "unique", [torch.tensor([], dtype=torch.float32)], unique, {"return_counts": True}, grad=False)
case("unique_0d", "unique", [torch.tensor(2.5)], unique, {"return_inverse": True}, grad=False)

# ---------------------------------------------------------------- torch.linalg
L = torch.linalg
def wellcond(*shape, dtype=torch.float32):
    n = shape[-1]
    return (torch.randn(shape, dtype=torch.float64) + n * torch.eye(n, dtype=torch.float64)).to(dtype)
def spd(*shape, dtype=torch.float32):
    x = torch.randn(shape, dtype=torch.float64)
    return (x @ x.mT + shape[-1] * torch.eye(shape[-1], dtype=torch.float64)).to(dtype)
def sym(*shape, dtype=torch.float32):
    x = torch.randn(shape, dtype=torch.float64)
    return ((x + x.mT) / 2).to(dtype)
case("linalg_inv", "linalg.inv", [wellcond(3, 3)], L.inv)
case("linalg_inv_batched_noncontig_f64", "linalg.inv", [In(wellcond(2, 3, 3, dtype=torch.float64), permute=[0, 2, 1])], L.inv)
case("linalg_inv_empty", "linalg.inv", [u(-1, 1, 0, 0)], L.inv)
case("linalg_inv_singular", "linalg.inv", [torch.tensor([[1.0, 2.0], [2.0, 4.0]])], L.inv)
case("linalg_inv_not_square", "linalg.inv", [u(-1, 1, 2, 3)], L.inv)
case("linalg_det", "linalg.det", [wellcond(3, 3)], L.det)
case("linalg_det_batched_f64", "linalg.det", [u(-2, 2, 2, 4, 4, dtype=torch.float64)], L.det)
case("linalg_det_empty_matrix_f64", "linalg.det", [u(-1, 1, 0, 0, dtype=torch.float64)], L.det, grad=False)
case("linalg_det_singular_value", "linalg.det", [torch.tensor([[1.0, 2.0], [2.0, 4.0]], dtype=torch.float64)], L.det, grad=False)
slogdet = lambda a: tuple(reversed(L.slogdet(a)))  # (logabsdet, sign): the gradient is logabsdet's
case("linalg_slogdet", "linalg.slogdet", [u(-2, 2, 3, 3)], slogdet)
case("linalg_slogdet_batched_noncontig_f64", "linalg.slogdet", [In(u(-2, 2, 2, 4, 4, dtype=torch.float64), permute=[0, 2, 1])], slogdet)
case("linalg_slogdet_singular_f64", "linalg.slogdet", [torch.tensor([[1.0, 2.0], [2.0, 4.0]], dtype=torch.float64)], slogdet, grad=False)
case("linalg_solve", "linalg.solve", [wellcond(3, 3), u(-2, 2, 3, 2)], L.solve)
case("linalg_solve_vector_f64", "linalg.solve", [wellcond(3, 3, dtype=torch.float64), u(-2, 2, 3, dtype=torch.float64)], L.solve)
case("linalg_solve_broadcast_noncontig_f64", "linalg.solve", [In(wellcond(2, 3, 3, dtype=torch.float64), permute=[0, 2, 1]), u(-2, 2, 3, 1, dtype=torch.float64)], L.solve)
case("linalg_solve_batch_of_vectors", "linalg.solve", [wellcond(2, 3, 3), u(-2, 2, 2, 3)], L.solve)
case("linalg_solve_singular", "linalg.solve", [torch.tensor([[1.0, 2.0], [2.0, 4.0]]), u(-1, 1, 2)], L.solve)
case("linalg_cholesky", "linalg.cholesky", [spd(3, 3)], L.cholesky)
case("linalg_cholesky_batched_f64", "linalg.cholesky", [spd(2, 4, 4, dtype=torch.float64)], L.cholesky)
case("linalg_cholesky_not_pd", "linalg.cholesky", [torch.tensor([[1.0, 2.0], [2.0, 1.0]])], L.cholesky)
qr = lambda a, mode: L.qr(a, mode=mode)
case("linalg_qr_reduced_tall", "linalg.qr", [u(-2, 2, 4, 3)], qr, {"mode": "reduced"})
case("linalg_qr_reduced_wide_f64", "linalg.qr", [u(-2, 2, 3, 4, dtype=torch.float64)], qr, {"mode": "reduced"})
case("linalg_qr_complete_batched_f64", "linalg.qr", [u(-2, 2, 2, 4, 3, dtype=torch.float64)], qr, {"mode": "complete"}, grad=False)
# singular vectors are unique only up to sign (LAPACK builds may differ): U and Vh are compared in absolute value
svd = lambda a, full_matrices: (lambda r: (r.S, r.U.abs(), r.Vh.abs()))(L.svd(a, full_matrices=full_matrices))
case("linalg_svd_thin", "linalg.svd", [u(-2, 2, 4, 3)], svd, {"full_matrices": False})
case("linalg_svd_full_batched_f64", "linalg.svd", [In(u(-2, 2, 2, 3, 5, dtype=torch.float64), permute=[0, 2, 1])], svd, {"full_matrices": True})
case("linalg_svdvals_wide", "linalg.svdvals", [u(-2, 2, 2, 5)], L.svdvals)
case("linalg_svdvals_f64", "linalg.svdvals", [u(-2, 2, 2, 4, 3, dtype=torch.float64)], L.svdvals)
eigh = lambda a: (lambda r: (r.eigenvalues, r.eigenvectors.abs()))(L.eigh(a))
case("linalg_eigh", "linalg.eigh", [sym(4, 4)], eigh)
case("linalg_eigh_batched_f64", "linalg.eigh", [sym(2, 3, 3, dtype=torch.float64)], eigh)
case("linalg_eigvalsh_f64", "linalg.eigvalsh", [sym(4, 4, dtype=torch.float64)], L.eigvalsh)
case("linalg_pinv_wide", "linalg.pinv", [u(-2, 2, 3, 4)], L.pinv)
case("linalg_pinv_tall_noncontig_f64", "linalg.pinv", [In(u(-2, 2, 4, 2, dtype=torch.float64), permute=[1, 0])], L.pinv)
case("linalg_pinv_rank_deficient_f64", "linalg.pinv", [torch.tensor([[1.0, 2.0], [2.0, 4.0], [0.0, 0.0]], dtype=torch.float64)], L.pinv, grad=False)
# JSON has no infinity: the infinite orders are written "inf" / "-inf"
_lnorm = L.norm
L_norm_ord = lambda ord: float(ord) if ord in ("inf", "-inf") else ord
mnorm = lambda a, ord, **kw: L.matrix_norm(a, ord=float(ord) if ord in ("inf", "-inf") else ord, **kw)
for o in ("fro", "nuc", 2, -2, 1, -1, "inf", "-inf"):
    case(f"linalg_matrix_norm_{o}_f64", "linalg.matrix_norm", [u(-2, 2, 3, 4, dtype=torch.float64)], mnorm, {"ord": o})
case("linalg_matrix_norm_dims_keepdim", "linalg.matrix_norm", [u(-2, 2, 3, 2, 4)], mnorm, {"ord": "nuc", "dim": [0, 2], "keepdim": True})
case("linalg_matrix_norm_inf_neg_dims", "linalg.matrix_norm", [u(-2, 2, 2, 3, 4)], mnorm, {"ord": "inf", "dim": [-1, -3]})

# ---------------------------------------------------------------- more torch.linalg, in-place index updates
mpow = lambda a, n: L.matrix_power(a, n)
case("linalg_matrix_power_3", "linalg.matrix_power", [u(-1, 1, 3, 3)], mpow, {"n": 3})
case("linalg_matrix_power_0_batched", "linalg.matrix_power", [u(-1, 1, 2, 3, 3)], mpow, {"n": 0})
case("linalg_matrix_power_neg2_noncontig_f64", "linalg.matrix_power", [In(wellcond(3, 3, dtype=torch.float64), permute=[1, 0])], mpow, {"n": -2})
case("linalg_multi_dot_vectors", "linalg.multi_dot", [u(-2, 2, 3), u(-2, 2, 3, 4), u(-2, 2, 4, 2), u(-2, 2, 2)], lambda *ts: L.multi_dot(ts))
case("linalg_multi_dot_f64", "linalg.multi_dot", [u(-2, 2, 2, 3, dtype=torch.float64), u(-2, 2, 3, 4, dtype=torch.float64)], lambda *ts: L.multi_dot(ts))
rank = lambda a, **kw: L.matrix_rank(a, **kw)
case("linalg_matrix_rank_deficient_f64", "linalg.matrix_rank", [torch.tensor([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.0, 1.0, 1.0]], dtype=torch.float64)], rank, grad=False)
case("linalg_matrix_rank_batched_atol", "linalg.matrix_rank", [torch.tensor([[[1.0, 0.0], [0.0, 1e-3]], [[2.0, 0.0], [0.0, 0.5]]])], rank, {"atol": 1e-2}, grad=False)
case("linalg_matrix_rank_rtol", "linalg.matrix_rank", [torch.tensor([[3.0, 0.0, 0.0], [0.0, 0.2, 0.0]])], rank, {"rtol": 0.1}, grad=False)
case("linalg_cond_f64", "linalg.cond", [u(-2, 2, 2, 3, 3, dtype=torch.float64)], L.cond)
case("linalg_cond_tall", "linalg.cond", [u(-2, 2, 4, 3)], L.cond)
soltri = lambda a, b, **kw: L.solve_triangular(a, b, **kw)
case("linalg_solve_triangular_upper", "linalg.solve_triangular", [wellcond(3, 3), u(-2, 2, 3, 2)], soltri, {"upper": True})
case("linalg_solve_triangular_lower_right_noncontig_f64", "linalg.solve_triangular", [In(wellcond(3, 3, dtype=torch.float64), permute=[1, 0]), u(-2, 2, 2, 3, dtype=torch.float64)],
     soltri, {"upper": False, "left": False})
case("linalg_solve_triangular_unitriangular_batched_f64", "linalg.solve_triangular", [u(-2, 2, 2, 3, 3, dtype=torch.float64), u(-2, 2, 3, 1, dtype=torch.float64)],
     soltri, {"upper": False, "unitriangular": True})
case("linalg_vecdot", "linalg.vecdot", [u(-2, 2, 3, 4), u(-2, 2, 4)], lambda x, y, dim: L.vecdot(x, y, dim=dim), {"dim": -1})
case("linalg_matmul_broadcast_f64", "linalg.matmul", [u(-2, 2, 2, 3, 4, dtype=torch.float64), u(-2, 2, 4, 2, dtype=torch.float64)], L.matmul)
case("index_fill_inplace", "index_fill_", [u(-2, 2, 3, 4), torch.tensor([1])], lambda x, i, dim, value: x.clone().index_fill_(dim, i, value), {"dim": -1, "value": 0.5})
case("index_copy_inplace_f64", "index_copy_", [u(-2, 2, 4, 3, dtype=torch.float64), torch.tensor([3, 0]), u(-2, 2, 2, 3, dtype=torch.float64)],
     lambda x, i, src, dim: x.clone().index_copy_(dim, i, src), {"dim": 0})
case("index_add_inplace", "index_add_", [u(-2, 2, 4, 3), torch.tensor([3, 3, 0]), u(-2, 2, 3, 3)], lambda x, i, src, dim: x.clone().index_add_(dim, i, src), {"dim": 0})
case("index_put_inplace_accumulate", "index_put_", [u(-2, 2, 4, 3), u(-2, 2, 3), torch.tensor([1, 1, 3])],
     lambda x, v, *idx, accumulate: x.clone().index_put_(tuple(idx), v, accumulate=accumulate), {"accumulate": True})
case("masked_scatter_inplace", "masked_scatter_", [u(-2, 2, 3, 4), u(-1, 1, 4) > 0, u(-2, 2, 12)], lambda x, m, src: x.clone().masked_scatter_(m, src))
case("scatter_reduce_inplace_amin_f64", "scatter_reduce_", [u(-2, 2, 3, 4, dtype=torch.float64), SR_INDEX, u(-2, 2, 2, 5, dtype=torch.float64)],
     lambda x, i, src, dim, reduce, include_self: x.clone().scatter_reduce_(dim, i, src, reduce, include_self=include_self),
     {"dim": 1, "reduce": "amin", "include_self": False})

case("linalg_tensorinv", "linalg.tensorinv", [wellcond(6, 6).reshape(2, 3, 6)], lambda a, ind: L.tensorinv(a, ind=ind), {"ind": 2})
case("linalg_tensorinv_f64", "linalg.tensorinv", [wellcond(4, 4, dtype=torch.float64).reshape(4, 2, 2)], lambda a, ind: L.tensorinv(a, ind=ind), {"ind": 1})
case("linalg_tensorsolve", "linalg.tensorsolve", [wellcond(6, 6).reshape(2, 3, 6), u(-2, 2, 2, 3)], L.tensorsolve)
case("linalg_tensorsolve_f64", "linalg.tensorsolve", [wellcond(4, 4, dtype=torch.float64).reshape(4, 2, 2), u(-2, 2, 4, dtype=torch.float64)], L.tensorsolve)
case("linalg_vander", "linalg.vander", [u(-2, 2, 4)], L.vander)
case("linalg_vander_N_batched_with_zero_f64", "linalg.vander", [torch.tensor([[0.0, 1.5, -2.0], [0.5, 0.0, 3.0]], dtype=torch.float64)], lambda x, N: L.vander(x, N=N), {"N": 5})
lnorm = lambda x, **kw: L.norm(x, **{k: (L_norm_ord(v) if k == "ord" else v) for k, v in kw.items()})
case("linalg_norm_flat", "linalg.norm", [u(-2, 2, 2, 3, 4)], lnorm)
case("linalg_norm_vector_ord3_f64", "linalg.norm", [u(-2, 2, 3, 4, dtype=torch.float64)], lnorm, {"ord": 3.0, "dim": [-1]})
case("linalg_norm_matrix_ord_inf", "linalg.norm", [u(-2, 2, 3, 4)], lnorm, {"ord": "inf"})
case("linalg_norm_nuc_keepdim_f64", "linalg.norm", [u(-2, 2, 2, 3, 4, dtype=torch.float64)], lnorm, {"ord": "nuc", "dim": [0, 2], "keepdim": True})
case("linalg_matrix_exp", "linalg.matrix_exp", [u(-1, 1, 3, 3)], L.matrix_exp)
case("linalg_matrix_exp_large_batched_f64", "linalg.matrix_exp", [u(-3, 3, 2, 4, 4, dtype=torch.float64)], L.matrix_exp)
case("linalg_matrix_exp_empty", "linalg.matrix_exp", [u(-1, 1, 0, 0)], L.matrix_exp)
lstsq = lambda a, b: tuple(L.lstsq(a, b))
case("linalg_lstsq_tall", "linalg.lstsq", [u(-2, 2, 5, 3), u(-2, 2, 5, 2)], lstsq)
case("linalg_lstsq_batched_f64", "linalg.lstsq", [u(-2, 2, 2, 4, 2, dtype=torch.float64), u(-2, 2, 2, 4, 1, dtype=torch.float64)], lstsq)

# PyTorch's own float64 gradients of two activations are only float32-accurate; the exact
# derivative is the standard, so these cases carry a looser tolerance and say why.
LOOSE = {
    "hardsigmoid": "PyTorch's hardsigmoid_backward multiplies by the float constant 1.0f/6.0f "
                   "(0.1666666716...) even for float64",
    "celu": "PyTorch 1.13's float64 celu gradient differs from the exact exp(x/alpha) by ~1e-8 "
            "relative (at x=-0.3, alpha=0.7: 0.65143906387 vs 0.65143905753)",
}
for c in CASES:
    if c["op"] in LOOSE and c["inputs"][0]["dtype"] == "float64":
        c["tolerance"] = {"rtol": 1e-7, "atol": 1e-10, "why": LOOSE[c["op"]]}

with open("ops_extra.json", "w") as f:
    json.dump({"generator": f"PyTorch {torch.__version__} (torch.__version__), seed 16, gen_ops_extra.py",
               "cases": CASES}, f)
print(len(CASES), "cases")
