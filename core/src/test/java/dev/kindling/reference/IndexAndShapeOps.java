package dev.kindling.reference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.ops.Moments;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import static dev.kindling.reference.ReferenceFile.ints;

/**
 * Reference entries for the fifth batch of issue 16: special functions, index updates,
 * splitting/stacking, diagonals, fused products and the two-result reductions, each the PyTorch
 * call ported.
 */
final class IndexAndShapeOps {
    private IndexAndShapeOps() {}

    private static void one(Map<String, ReferenceOps.Op> ops, String name, BiFunction<List<Tensor>, JsonNode, Tensor> f) {
        ops.put(name, (in, kw) -> List.of(f.apply(in, kw)));
    }

    private static double dbl(JsonNode kw, String key, double dflt) {
        JsonNode v = kw.get(key);
        return v == null || v.isNull() ? dflt : v.asDouble();
    }

    private static int[] dims(JsonNode kw) {
        int[] d = ints(kw.get("dim"));
        return d == null ? new int[0] : d;
    }

    /** correction wins over unbiased, as PyTorch (both absent: 1). */
    private static int correction(JsonNode kw) {
        if (kw.hasNonNull("correction")) return kw.get("correction").asInt();
        return kw.path("unbiased").asBoolean(true) ? 1 : 0;
    }

    private static List<Tensor> pieces(JsonNode kw, java.util.function.IntFunction<List<Tensor>> bySections,
                                       java.util.function.Function<int[], List<Tensor>> byIndices) {
        return kw.has("sections") ? bySections.apply(kw.get("sections").asInt()) : byIndices.apply(ints(kw.get("indices")));
    }

    static void register(Map<String, ReferenceOps.Op> ops) {
        one(ops, "erfinv", (in, kw) -> in.get(0).erfinv());
        one(ops, "lgamma", (in, kw) -> in.get(0).lgamma());
        one(ops, "digamma", (in, kw) -> in.get(0).digamma());
        one(ops, "polygamma", (in, kw) -> Tensors.polygamma(kw.get("n").asInt(), in.get(0)));

        one(ops, "take", (in, kw) -> in.get(0).take(in.get(1)));
        one(ops, "index_fill", (in, kw) -> in.get(0).indexFill(kw.get("dim").asInt(), in.get(1), kw.get("value").asDouble()));
        one(ops, "index_copy", (in, kw) -> in.get(0).indexCopy(kw.get("dim").asInt(), in.get(1), in.get(2)));
        one(ops, "index_put", (in, kw) -> in.get(0).indexPut(in.subList(2, in.size()), in.get(1), kw.path("accumulate").asBoolean(false)));
        one(ops, "index", (in, kw) -> in.get(0).index(in.subList(1, in.size()).toArray(new Tensor[0])));
        one(ops, "masked_scatter", (in, kw) -> in.get(0).maskedScatter(in.get(1), in.get(2)));
        one(ops, "scatter_reduce", (in, kw) -> in.get(0).scatterReduce(kw.get("dim").asInt(), in.get(1), in.get(2),
                kw.get("reduce").asText(), kw.path("include_self").asBoolean(true)));
        one(ops, "bincount", (in, kw) -> in.get(0).bincount(in.size() > 1 ? in.get(1) : null, kw.path("minlength").asInt(0)));
        one(ops, "histc", (in, kw) -> in.get(0).histc(kw.path("bins").asInt(100), dbl(kw, "min", 0.0), dbl(kw, "max", 0.0)));

        ops.put("tensor_split", (in, kw) -> {
            int dim = kw.path("dim").asInt(0);
            return pieces(kw, s -> in.get(0).tensorSplit(s, dim), i -> in.get(0).tensorSplit(i, dim));
        });
        ops.put("hsplit", (in, kw) -> pieces(kw, in.get(0)::hsplit, in.get(0)::hsplit));
        ops.put("vsplit", (in, kw) -> pieces(kw, in.get(0)::vsplit, in.get(0)::vsplit));
        ops.put("dsplit", (in, kw) -> pieces(kw, in.get(0)::dsplit, in.get(0)::dsplit));
        one(ops, "hstack", (in, kw) -> Tensors.hstack(in));
        one(ops, "vstack", (in, kw) -> Tensors.vstack(in));
        one(ops, "dstack", (in, kw) -> Tensors.dstack(in));
        one(ops, "column_stack", (in, kw) -> Tensors.columnStack(in));
        ops.put("meshgrid", (in, kw) -> Tensors.meshgrid(in, kw.path("indexing").asText("ij")));
        one(ops, "swapaxes", (in, kw) -> in.get(0).swapaxes(kw.get("axis0").asInt(), kw.get("axis1").asInt()));

        one(ops, "diagonal", (in, kw) -> in.get(0).diagonal(kw.path("offset").asInt(0), kw.path("dim1").asInt(0), kw.path("dim2").asInt(1)));
        one(ops, "diag_embed", (in, kw) -> in.get(0).diagEmbed(kw.path("offset").asInt(0), kw.path("dim1").asInt(-2), kw.path("dim2").asInt(-1)));
        one(ops, "addmm", (in, kw) -> in.get(0).addmm(in.get(1), in.get(2), dbl(kw, "beta", 1.0), dbl(kw, "alpha", 1.0)));
        one(ops, "baddbmm", (in, kw) -> in.get(0).baddbmm(in.get(1), in.get(2), dbl(kw, "beta", 1.0), dbl(kw, "alpha", 1.0)));
        one(ops, "cross", (in, kw) -> kw.hasNonNull("dim") ? in.get(0).cross(in.get(1), kw.get("dim").asInt()) : in.get(0).cross(in.get(1)));

        ops.put("aminmax", (in, kw) -> {
            Moments.MinMax r = in.get(0).aminmax(kw.hasNonNull("dim") ? kw.get("dim").asInt() : null, kw.path("keepdim").asBoolean(false));
            return List.of(r.min(), r.max());
        });
        ops.put("var_mean", (in, kw) -> {
            Moments.SpreadMean r = in.get(0).varMean(dims(kw), correction(kw), kw.path("keepdim").asBoolean(false));
            return List.of(r.spread(), r.mean());
        });
        ops.put("std_mean", (in, kw) -> {
            Moments.SpreadMean r = in.get(0).stdMean(dims(kw), correction(kw), kw.path("keepdim").asBoolean(false));
            return List.of(r.spread(), r.mean());
        });

        one(ops, "einsum", (in, kw) -> Tensors.einsum(kw.get("equation").asText(), in));
        one(ops, "quantile", (in, kw) -> {
            Integer dim = kw.hasNonNull("dim") ? kw.get("dim").asInt() : null;
            boolean keepdim = kw.path("keepdim").asBoolean(false);
            String how = kw.path("interpolation").asText("linear");
            return kw.has("q") ? in.get(0).quantile(kw.get("q").asDouble(), dim, keepdim, how) : in.get(0).quantile(in.get(1), dim, keepdim, how);
        });
        one(ops, "nanquantile", (in, kw) -> {
            Integer dim = kw.hasNonNull("dim") ? kw.get("dim").asInt() : null;
            boolean keepdim = kw.path("keepdim").asBoolean(false);
            String how = kw.path("interpolation").asText("linear");
            return kw.has("q") ? in.get(0).nanquantile(kw.get("q").asDouble(), dim, keepdim, how) : in.get(0).nanquantile(in.get(1), dim, keepdim, how);
        });
        ops.put("nanmedian", (in, kw) -> {
            if (!kw.has("dim")) return List.of(in.get(0).nanmedian());
            var r = in.get(0).nanmedian(kw.get("dim").asInt(), kw.path("keepdim").asBoolean(false));
            return List.of(r.values(), r.indices());
        });
        ops.put("mode", (in, kw) -> {
            var r = in.get(0).mode(kw.path("dim").asInt(-1), kw.path("keepdim").asBoolean(false));
            return List.of(r.values(), r.indices());
        });
        ops.put("unique", (in, kw) -> {
            kw.path("sorted"); // always sorted: PyTorch's order for sorted=False is unspecified
            boolean inverse = kw.path("return_inverse").asBoolean(false);
            boolean counts = kw.path("return_counts").asBoolean(false);
            var r = in.get(0).unique(inverse, counts, kw.hasNonNull("dim") ? kw.get("dim").asInt() : null);
            List<Tensor> out = new java.util.ArrayList<>(List.of(r.values()));
            if (inverse) out.add(r.inverse());
            if (counts) out.add(r.counts());
            return out;
        });
    }
}
