package dev.kindling.reference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.linalg.Linalg;
import dev.kindling.tensor.Tensor;

import java.util.List;
import java.util.Map;

import static dev.kindling.reference.ReferenceFile.ints;

/**
 * Reference entries for {@code torch.linalg}, ported to {@link Linalg}. Where the generator
 * compares a sign-ambiguous result in absolute value (singular and eigen vectors) or reorders
 * results so the gradient is taken of the differentiable one (slogdet), the port does the same.
 */
final class LinalgOps {
    private LinalgOps() {}

    private static void one(Map<String, ReferenceOps.Op> ops, String name, java.util.function.BiFunction<List<Tensor>, JsonNode, Tensor> f) {
        ops.put(name, (in, kw) -> List.of(f.apply(in, kw)));
    }

    static void register(Map<String, ReferenceOps.Op> ops) {
        one(ops, "linalg.inv", (in, kw) -> Linalg.inv(in.get(0)));
        one(ops, "linalg.det", (in, kw) -> Linalg.det(in.get(0)));
        ops.put("linalg.slogdet", (in, kw) -> {
            var r = Linalg.slogdet(in.get(0));
            return List.of(r.logabsdet(), r.sign());
        });
        one(ops, "linalg.solve", (in, kw) -> Linalg.solve(in.get(0), in.get(1)));
        one(ops, "linalg.cholesky", (in, kw) -> Linalg.cholesky(in.get(0)));
        ops.put("linalg.qr", (in, kw) -> {
            var r = Linalg.qr(in.get(0), kw.path("mode").asText("reduced"));
            return List.of(r.Q(), r.R());
        });
        ops.put("linalg.svd", (in, kw) -> {
            var r = Linalg.svd(in.get(0), kw.path("full_matrices").asBoolean(true));
            return List.of(r.S(), r.U().abs(), r.Vh().abs());
        });
        one(ops, "linalg.svdvals", (in, kw) -> Linalg.svdvals(in.get(0)));
        ops.put("linalg.eigh", (in, kw) -> {
            var r = Linalg.eigh(in.get(0));
            return List.of(r.eigenvalues(), r.eigenvectors().abs());
        });
        one(ops, "linalg.eigvalsh", (in, kw) -> Linalg.eigvalsh(in.get(0)));
        one(ops, "linalg.pinv", (in, kw) -> Linalg.pinv(in.get(0)));
        one(ops, "linalg.matrix_norm", (in, kw) -> {
            JsonNode ord = kw.get("ord");
            int[] dims = kw.hasNonNull("dim") ? ints(kw.get("dim")) : new int[] {-2, -1};
            boolean keepdim = kw.path("keepdim").asBoolean(false);
            if (ord == null || ord.isTextual() && (ord.asText().equals("fro") || ord.asText().equals("nuc"))) {
                return Linalg.matrixNorm(in.get(0), ord == null ? "fro" : ord.asText(), dims[0], dims[1], keepdim);
            }
            double o = ord.isTextual() ? Double.parseDouble(ord.asText().replace("inf", "Infinity")) : ord.asDouble();
            return Linalg.matrixNorm(in.get(0), o, dims[0], dims[1], keepdim);
        });
        one(ops, "linalg.matrix_power", (in, kw) -> Linalg.matrixPower(in.get(0), kw.get("n").asInt()));
        one(ops, "linalg.multi_dot", (in, kw) -> Linalg.multiDot(in));
        one(ops, "linalg.matrix_rank", (in, kw) -> Linalg.matrixRank(in.get(0), kw.hasNonNull("atol") ? kw.get("atol").asDouble() : null,
                kw.hasNonNull("rtol") ? kw.get("rtol").asDouble() : null));
        one(ops, "linalg.cond", (in, kw) -> Linalg.cond(in.get(0)));
        one(ops, "linalg.solve_triangular", (in, kw) -> Linalg.solveTriangular(in.get(0), in.get(1), kw.get("upper").asBoolean(),
                kw.path("left").asBoolean(true), kw.path("unitriangular").asBoolean(false)));
        one(ops, "linalg.vecdot", (in, kw) -> Linalg.vecdot(in.get(0), in.get(1), kw.path("dim").asInt(-1)));
        one(ops, "linalg.matmul", (in, kw) -> Linalg.matmul(in.get(0), in.get(1)));
        // in-place index updates, on a clone as the generator does (a leaf that requires grad cannot be written)
        one(ops, "index_fill_", (in, kw) -> in.get(0).clone().indexFill_(kw.get("dim").asInt(), in.get(1), kw.get("value").asDouble()));
        one(ops, "index_copy_", (in, kw) -> in.get(0).clone().indexCopy_(kw.get("dim").asInt(), in.get(1), in.get(2)));
        one(ops, "index_add_", (in, kw) -> in.get(0).clone().indexAdd_(kw.get("dim").asInt(), in.get(1), in.get(2)));
        one(ops, "index_put_", (in, kw) -> in.get(0).clone().indexPut_(in.subList(2, in.size()), in.get(1), kw.path("accumulate").asBoolean(false)));
        one(ops, "masked_scatter_", (in, kw) -> in.get(0).clone().maskedScatter_(in.get(1), in.get(2)));
        one(ops, "scatter_reduce_", (in, kw) -> in.get(0).clone().scatterReduce_(kw.get("dim").asInt(), in.get(1), in.get(2),
                kw.get("reduce").asText(), kw.path("include_self").asBoolean(true)));
        one(ops, "linalg.tensorinv", (in, kw) -> Linalg.tensorinv(in.get(0), kw.path("ind").asInt(2)));
        one(ops, "linalg.tensorsolve", (in, kw) -> Linalg.tensorsolve(in.get(0), in.get(1)));
        one(ops, "linalg.vander", (in, kw) -> Linalg.vander(in.get(0), kw.hasNonNull("N") ? kw.get("N").asInt() : null));
        one(ops, "linalg.norm", (in, kw) -> {
            JsonNode ord = kw.get("ord");
            int[] dims = kw.hasNonNull("dim") ? ints(kw.get("dim")) : null;
            boolean keepdim = kw.path("keepdim").asBoolean(false);
            if (ord == null) return dims == null ? Linalg.norm(in.get(0)) : Linalg.norm(in.get(0), 2.0, dims, keepdim);
            if (ord.isTextual() && (ord.asText().equals("fro") || ord.asText().equals("nuc"))) return Linalg.norm(in.get(0), ord.asText(), dims, keepdim);
            double o = ord.isTextual() ? Double.parseDouble(ord.asText().replace("inf", "Infinity")) : ord.asDouble();
            return Linalg.norm(in.get(0), o, dims, keepdim);
        });
        one(ops, "linalg.matrix_exp", (in, kw) -> Linalg.matrixExp(in.get(0)));
        ops.put("linalg.lstsq", (in, kw) -> {
            var r = Linalg.lstsq(in.get(0), in.get(1));
            return List.of(r.solution(), r.residuals(), r.rank(), r.singularValues());
        });
    }
}
