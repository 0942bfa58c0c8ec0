package dev.kindling.reference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.kindling.reference.ReferenceFile.ints;

/**
 * Maps PyTorch op names and keyword arguments from the reference file to Kindling calls. Each
 * entry is the line a PyTorch user would write, ported.
 */
final class ReferenceOps {
    private ReferenceOps() {}

    /** An op under test: inputs in PyTorch's positional order plus kwargs, returning its outputs. */
    interface Op {
        List<Tensor> apply(List<Tensor> in, JsonNode kw);
    }

    private static final Map<String, Op> OPS = new HashMap<>();

    static Op get(String name) { return OPS.get(name); }

    private static void one(String name, java.util.function.BiFunction<List<Tensor>, JsonNode, Tensor> f) {
        OPS.put(name, (in, kw) -> List.of(f.apply(in, kw)));
    }

    private static double dbl(JsonNode kw, String key, double dflt) {
        JsonNode v = kw.get(key);
        return v == null || v.isNull() ? dflt : v.asDouble();
    }

    private static boolean bool(JsonNode kw, String key, boolean dflt) {
        JsonNode v = kw.get(key);
        return v == null || v.isNull() ? dflt : v.asBoolean();
    }

    private static Double boxed(JsonNode kw, String key) {
        JsonNode v = kw.get(key);
        return v == null || v.isNull() ? null : v.asDouble();
    }

    /** The dtype kwarg, or the input's own dtype when absent. */
    static dev.kindling.tensor.DType dtype(JsonNode kw, Tensor input) {
        JsonNode v = kw.get("dtype");
        return v == null || v.isNull() ? input.dtype() : dev.kindling.tensor.DType.parse(v.asText());
    }

    /** dims from an int or list kwarg; empty when absent (all dims). */
    private static int[] dims(JsonNode kw, String key) {
        int[] d = ints(kw.get(key));
        return d == null ? new int[0] : d;
    }

    static {
        // arithmetic and math
        one("add", (in, kw) -> in.get(0).add(in.get(1), dbl(kw, "alpha", 1.0)));
        one("sub", (in, kw) -> in.get(0).sub(in.get(1), dbl(kw, "alpha", 1.0)));
        one("mul", (in, kw) -> in.get(0).mul(in.get(1)));
        one("div", (in, kw) -> in.get(0).div(in.get(1)));
        one("maximum", (in, kw) -> in.get(0).maximum(in.get(1)));
        one("minimum", (in, kw) -> in.get(0).minimum(in.get(1)));
        one("pow", (in, kw) -> kw.has("exponent") ? in.get(0).pow(kw.get("exponent").asDouble()) : in.get(0).pow(in.get(1)));
        one("neg", (in, kw) -> in.get(0).neg());
        one("exp", (in, kw) -> in.get(0).exp());
        one("log", (in, kw) -> in.get(0).log());
        one("sqrt", (in, kw) -> in.get(0).sqrt());
        one("rsqrt", (in, kw) -> in.get(0).rsqrt());
        one("abs", (in, kw) -> in.get(0).abs());
        one("sin", (in, kw) -> in.get(0).sin());
        one("cos", (in, kw) -> in.get(0).cos());
        one("tanh", (in, kw) -> in.get(0).tanh());
        one("sigmoid", (in, kw) -> in.get(0).sigmoid());
        one("relu", (in, kw) -> in.get(0).relu());
        one("reciprocal", (in, kw) -> in.get(0).reciprocal());
        one("square", (in, kw) -> in.get(0).square());
        one("log1p", (in, kw) -> in.get(0).log1p());
        one("expm1", (in, kw) -> in.get(0).expm1());
        one("erf", (in, kw) -> in.get(0).erf());
        one("gelu", (in, kw) -> in.get(0).gelu("tanh".equals(kw.path("approximate").asText("none"))));
        one("silu", (in, kw) -> in.get(0).silu());
        one("softplus", (in, kw) -> in.get(0).softplus(dbl(kw, "beta", 1.0), dbl(kw, "threshold", 20.0)));
        one("leaky_relu", (in, kw) -> in.get(0).leakyRelu(dbl(kw, "negative_slope", 0.01)));
        one("elu", (in, kw) -> in.get(0).elu(dbl(kw, "alpha", 1.0)));
        one("clamp", (in, kw) -> in.size() > 1 ? in.get(0).clamp(in.get(1), in.size() > 2 ? in.get(2) : null)
                : in.get(0).clamp(dbl(kw, "min", Double.NaN), dbl(kw, "max", Double.NaN)));
        one("where", (in, kw) -> Tensors.where(in.get(0), in.get(1), in.get(2)));

        // reductions
        one("sum", (in, kw) -> in.get(0).sum(dims(kw, "dim"), bool(kw, "keepdim", false), dtype(kw, in.get(0))));
        one("mean", (in, kw) -> in.get(0).mean(dims(kw, "dim"), bool(kw, "keepdim", false), dtype(kw, in.get(0))));
        one("amax", (in, kw) -> in.get(0).amax(dims(kw, "dim"), bool(kw, "keepdim", false)));
        one("amin", (in, kw) -> in.get(0).amin(dims(kw, "dim"), bool(kw, "keepdim", false)));
        OPS.put("max", (in, kw) -> {
            if (!kw.has("dim")) return List.of(in.get(0).max());
            var r = in.get(0).max(kw.get("dim").asInt(), bool(kw, "keepdim", false));
            return List.of(r.values(), r.indices());
        });
        OPS.put("min", (in, kw) -> {
            if (!kw.has("dim")) return List.of(in.get(0).min());
            var r = in.get(0).min(kw.get("dim").asInt(), bool(kw, "keepdim", false));
            return List.of(r.values(), r.indices());
        });
        one("argmax", (in, kw) -> kw.has("dim") ? in.get(0).argmax(kw.get("dim").asInt(), bool(kw, "keepdim", false)) : in.get(0).argmax());
        one("argmin", (in, kw) -> kw.has("dim") ? in.get(0).argmin(kw.get("dim").asInt(), bool(kw, "keepdim", false)) : in.get(0).argmin());
        one("var", (in, kw) -> in.get(0).var(dims(kw, "dim"), bool(kw, "unbiased", true), bool(kw, "keepdim", false)));
        one("std", (in, kw) -> in.get(0).std(dims(kw, "dim"), bool(kw, "unbiased", true), bool(kw, "keepdim", false)));
        one("logsumexp", (in, kw) -> in.get(0).logsumexp(dims(kw, "dim"), bool(kw, "keepdim", false)));
        one("norm", (in, kw) -> in.get(0).norm(dbl(kw, "ord", dbl(kw, "p", 2.0)), dims(kw, "dim"), bool(kw, "keepdim", false)));
        one("prod", (in, kw) -> kw.has("dim") ? in.get(0).prod(kw.get("dim").asInt(), bool(kw, "keepdim", false)) : in.get(0).prod());
        one("vector_norm", (in, kw) -> in.get(0).norm(dbl(kw, "ord", 2.0), dims(kw, "dim"), bool(kw, "keepdim", false)));
        one("cumsum", (in, kw) -> in.get(0).cumsum(kw.get("dim").asInt()));

        // linear algebra
        one("matmul", (in, kw) -> in.get(0).matmul(in.get(1)));
        one("bmm", (in, kw) -> in.get(0).bmm(in.get(1)));
        one("mm", (in, kw) -> in.get(0).mm(in.get(1)));

        // views and joining
        one("reshape", (in, kw) -> in.get(0).reshape(ints(kw.get("shape"))));
        one("view", (in, kw) -> in.get(0).view(ints(kw.get("shape"))));
        one("permute", (in, kw) -> in.get(0).permute(ints(kw.get("dims"))));
        one("transpose", (in, kw) -> in.get(0).transpose(kw.get("dim0").asInt(), kw.get("dim1").asInt()));
        one("expand", (in, kw) -> in.get(0).expand(ints(kw.get("size"))));
        one("narrow", (in, kw) -> in.get(0).narrow(kw.get("dim").asInt(), kw.get("start").asInt(), kw.get("length").asInt()));
        one("slice", (in, kw) -> {
            Tensor t = in.get(0);
            JsonNode slices = kw.get("slices");
            for (int d = 0; d < slices.size(); d++) {
                int[] s = ints(slices.get(d));
                t = t.slice(d, s[0], s[1], s.length > 2 ? s[2] : 1);
            }
            return t;
        });
        one("select", (in, kw) -> in.get(0).select(kw.get("dim").asInt(), kw.get("index").asInt()));
        one("cat", (in, kw) -> Tensors.cat(in, kw.path("dim").asInt(0)));
        one("stack", (in, kw) -> Tensors.stack(in, kw.path("dim").asInt(0)));
        one("index_select", (in, kw) -> in.get(0).indexSelect(kw.get("dim").asInt(), in.get(1)));
        one("gather", (in, kw) -> in.get(0).gather(kw.get("dim").asInt(), in.get(1)));
        one("flip", (in, kw) -> in.get(0).flip(ints(kw.get("dims"))));
        one("pad", (in, kw) -> in.get(0).pad(ints(kw.get("pad")), kw.path("mode").asText("constant"), dbl(kw, "value", 0.0)));
        one("unsqueeze", (in, kw) -> in.get(0).unsqueeze(kw.get("dim").asInt()));
        one("squeeze", (in, kw) -> kw.has("dim") ? in.get(0).squeeze(kw.get("dim").asInt()) : in.get(0).squeeze());
        one("masked_fill", (in, kw) -> in.get(0).maskedFill(in.get(1), kw.get("value").asDouble()));

        // issue 16: the rest of torch's pointwise math
        one("tan", (in, kw) -> in.get(0).tan());
        one("asin", (in, kw) -> in.get(0).asin());
        one("acos", (in, kw) -> in.get(0).acos());
        one("atan", (in, kw) -> in.get(0).atan());
        one("sinh", (in, kw) -> in.get(0).sinh());
        one("cosh", (in, kw) -> in.get(0).cosh());
        one("asinh", (in, kw) -> in.get(0).asinh());
        one("acosh", (in, kw) -> in.get(0).acosh());
        one("atanh", (in, kw) -> in.get(0).atanh());
        one("log2", (in, kw) -> in.get(0).log2());
        one("log10", (in, kw) -> in.get(0).log10());
        one("exp2", (in, kw) -> in.get(0).exp2());
        one("erfc", (in, kw) -> in.get(0).erfc());
        one("trunc", (in, kw) -> in.get(0).trunc());
        one("frac", (in, kw) -> in.get(0).frac());
        one("nan_to_num", (in, kw) -> in.get(0).nanToNum(dbl(kw, "nan", 0.0), boxed(kw, "posinf"), boxed(kw, "neginf")));
        one("atan2", (in, kw) -> in.get(0).atan2(in.get(1)));
        one("hypot", (in, kw) -> in.get(0).hypot(in.get(1)));
        one("logaddexp", (in, kw) -> in.get(0).logaddexp(in.get(1)));
        one("logaddexp2", (in, kw) -> in.get(0).logaddexp2(in.get(1)));
        one("xlogy", (in, kw) -> in.get(0).xlogy(in.get(1)));
        one("copysign", (in, kw) -> in.get(0).copysign(in.get(1)));
        one("fmod", (in, kw) -> kw.has("other") ? in.get(0).fmod(kw.get("other").asDouble()) : in.get(0).fmod(in.get(1)));
        one("remainder", (in, kw) -> in.get(0).remainder(in.get(1)));
        one("lerp", (in, kw) -> kw.has("weight") ? in.get(0).lerp(in.get(1), kw.get("weight").asDouble()) : in.get(0).lerp(in.get(1), in.get(2)));
        one("addcmul", (in, kw) -> in.get(0).addcmul(in.get(1), in.get(2), dbl(kw, "value", 1.0)));
        one("addcdiv", (in, kw) -> in.get(0).addcdiv(in.get(1), in.get(2), dbl(kw, "value", 1.0)));
        one("float_power", (in, kw) -> kw.has("exponent") ? in.get(0).floatPower(kw.get("exponent").asDouble()) : in.get(0).floatPower(in.get(1)));

        one("cumprod", (in, kw) -> in.get(0).cumprod(kw.get("dim").asInt()));
        one("logcumsumexp", (in, kw) -> in.get(0).logcumsumexp(kw.get("dim").asInt()));
        OPS.put("sort", (in, kw) -> {
            var r = in.get(0).sort(kw.path("dim").asInt(-1), bool(kw, "descending", false));
            return List.of(r.values(), r.indices());
        });
        one("argsort", (in, kw) -> in.get(0).argsort(kw.path("dim").asInt(-1), bool(kw, "descending", false)));
        OPS.put("topk", (in, kw) -> {
            if (!bool(kw, "sorted", true)) throw new ReferenceRunner.Skip("topk(sorted=False): Kindling always sorts");
            var r = in.get(0).topk(kw.get("k").asInt(), kw.path("dim").asInt(-1), bool(kw, "largest", true));
            return List.of(r.values(), r.indices());
        });
        one("tril", (in, kw) -> in.get(0).tril(kw.path("diagonal").asInt(0)));
        one("triu", (in, kw) -> in.get(0).triu(kw.path("diagonal").asInt(0)));
        one("diag", (in, kw) -> in.get(0).diag(kw.path("diagonal").asInt(0)));
        one("trace", (in, kw) -> in.get(0).trace());
        one("outer", (in, kw) -> in.get(0).outer(in.get(1)));
        one("repeat", (in, kw) -> in.get(0).repeat(ints(kw.get("repeats"))));
        one("tile", (in, kw) -> in.get(0).tile(ints(kw.get("dims"))));
        one("roll", (in, kw) -> in.get(0).roll(ints(kw.get("shifts")), dims(kw, "dims")));

        one("logit", (in, kw) -> in.get(0).logit(boxed(kw, "eps")));
        one("sinc", (in, kw) -> in.get(0).sinc());
        one("deg2rad", (in, kw) -> in.get(0).deg2rad());
        one("rad2deg", (in, kw) -> in.get(0).rad2deg());
        one("diff", (in, kw) -> in.get(0).diff(kw.path("n").asInt(1), kw.path("dim").asInt(-1)));
        one("nansum", (in, kw) -> in.get(0).nansum(dims(kw, "dim"), bool(kw, "keepdim", false)));
        one("nanmean", (in, kw) -> in.get(0).nanmean(dims(kw, "dim"), bool(kw, "keepdim", false)));
        OPS.put("median", (in, kw) -> {
            if (!kw.has("dim")) return List.of(in.get(0).median());
            var r = in.get(0).median(kw.get("dim").asInt(), bool(kw, "keepdim", false));
            return List.of(r.values(), r.indices());
        });
        OPS.put("kthvalue", (in, kw) -> {
            var r = in.get(0).kthvalue(kw.get("k").asInt(), kw.path("dim").asInt(-1), bool(kw, "keepdim", false));
            return List.of(r.values(), r.indices());
        });
        one("take_along_dim", (in, kw) -> in.get(0).takeAlongDim(in.get(1), kw.hasNonNull("dim") ? kw.get("dim").asInt() : null));

        OPS.put("cummax", (in, kw) -> {
            var r = in.get(0).cummax(kw.get("dim").asInt());
            return List.of(r.values(), r.indices());
        });
        OPS.put("cummin", (in, kw) -> {
            var r = in.get(0).cummin(kw.get("dim").asInt());
            return List.of(r.values(), r.indices());
        });
        one("kron", (in, kw) -> in.get(0).kron(in.get(1)));
        one("rot90", (in, kw) -> in.get(0).rot90(kw.path("k").asInt(1), kw.has("dims") ? ints(kw.get("dims")) : new int[] {0, 1}));
        one("cdist", (in, kw) -> Tensors.cdist(in.get(0), in.get(1), dbl(kw, "p", 2.0)));
        one("bucketize", (in, kw) -> Tensors.bucketize(in.get(0), in.get(1), bool(kw, "right", false)));
        one("searchsorted", (in, kw) -> Tensors.searchsorted(in.get(0), in.get(1), bool(kw, "right", false)));
        one("isclose", (in, kw) -> in.get(0).isclose(in.get(1), dbl(kw, "rtol", 1e-5), dbl(kw, "atol", 1e-8), bool(kw, "equal_nan", false)));
        one("count_nonzero", (in, kw) -> in.get(0).countNonzero(dims(kw, "dim")));

        FunctionalOps.register(OPS);
        IndexAndShapeOps.register(OPS);
        LinalgOps.register(OPS);
    }
}
