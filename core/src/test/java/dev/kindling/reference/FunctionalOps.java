package dev.kindling.reference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.nn.functional.F;
import dev.kindling.nn.functional.Reduction;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.List;
import java.util.Map;

import static dev.kindling.reference.ReferenceFile.ints;

/** Reference entries for {@code torch.nn.functional}: the PyTorch call, ported to {@link F}. */
final class FunctionalOps {
    private FunctionalOps() {}

    private static double dbl(JsonNode kw, String key, double dflt) {
        JsonNode v = kw.get(key);
        return v == null || v.isNull() ? dflt : v.asDouble();
    }

    private static int[] pair(JsonNode kw, String key, int dflt) {
        JsonNode v = kw.get(key);
        if (v == null || v.isNull()) return new int[] {dflt, dflt};
        int[] a = ints(v);
        return a.length == 1 ? new int[] {a[0], a[0]} : a;
    }

    private static Reduction reduction(JsonNode kw) {
        return Reduction.parse(kw.path("reduction").asText("mean"));
    }

    private static Tensor opt(List<Tensor> in, int i) {
        return in.size() > i ? in.get(i) : null;
    }

    private static Tensor floats(JsonNode kw, String key) {
        JsonNode v = kw.get(key);
        if (v == null || v.isNull()) return null;
        double[] d = new double[v.size()];
        for (int i = 0; i < d.length; i++) d[i] = v.get(i).asDouble();
        return Tensors.fromArray(d).to(dev.kindling.tensor.DType.FLOAT32);
    }

    static void register(Map<String, ReferenceOps.Op> ops) {
        registerMore(ops);
        put(ops, "linear", (in, kw) -> F.linear(in.get(0), in.get(1), opt(in, 2)));
        put(ops, "softmax", (in, kw) -> F.softmax(in.get(0), kw.get("dim").asInt(), ReferenceOps.dtype(kw, in.get(0))));
        put(ops, "log_softmax", (in, kw) -> F.logSoftmax(in.get(0), kw.get("dim").asInt(), ReferenceOps.dtype(kw, in.get(0))));
        put(ops, "relu6", (in, kw) -> F.relu6(in.get(0)));
        put(ops, "hardtanh", (in, kw) -> F.hardtanh(in.get(0), dbl(kw, "min_val", -1.0), dbl(kw, "max_val", 1.0)));
        put(ops, "selu", (in, kw) -> F.selu(in.get(0)));
        put(ops, "celu", (in, kw) -> F.celu(in.get(0), dbl(kw, "alpha", 1.0)));
        put(ops, "mish", (in, kw) -> F.mish(in.get(0)));
        put(ops, "hardswish", (in, kw) -> F.hardswish(in.get(0)));
        put(ops, "hardsigmoid", (in, kw) -> F.hardsigmoid(in.get(0)));
        put(ops, "logsigmoid", (in, kw) -> F.logsigmoid(in.get(0)));
        put(ops, "softsign", (in, kw) -> F.softsign(in.get(0)));
        put(ops, "tanhshrink", (in, kw) -> F.tanhshrink(in.get(0)));
        put(ops, "threshold", (in, kw) -> F.threshold(in.get(0), kw.get("threshold").asDouble(), kw.get("value").asDouble()));
        put(ops, "glu", (in, kw) -> F.glu(in.get(0), kw.path("dim").asInt(-1)));
        put(ops, "softmin", (in, kw) -> F.softmin(in.get(0), kw.get("dim").asInt()));
        put(ops, "cross_entropy", (in, kw) -> F.crossEntropy(in.get(0), in.get(1), opt(in, 2),
                kw.path("ignore_index").asInt(-100), reduction(kw), dbl(kw, "label_smoothing", 0.0)));
        put(ops, "nll_loss", (in, kw) -> F.nllLoss(in.get(0), in.get(1), opt(in, 2), kw.path("ignore_index").asInt(-100), reduction(kw)));
        put(ops, "mse_loss", (in, kw) -> F.mseLoss(in.get(0), in.get(1), reduction(kw)));
        put(ops, "l1_loss", (in, kw) -> F.l1Loss(in.get(0), in.get(1), reduction(kw)));
        put(ops, "smooth_l1_loss", (in, kw) -> F.smoothL1Loss(in.get(0), in.get(1), reduction(kw), dbl(kw, "beta", 1.0)));
        put(ops, "huber_loss", (in, kw) -> F.huberLoss(in.get(0), in.get(1), reduction(kw), dbl(kw, "delta", 1.0)));
        put(ops, "binary_cross_entropy", (in, kw) -> F.binaryCrossEntropy(in.get(0), in.get(1), opt(in, 2), reduction(kw)));
        put(ops, "binary_cross_entropy_with_logits", (in, kw) -> F.binaryCrossEntropyWithLogits(in.get(0), in.get(1),
                opt(in, 2), reduction(kw), opt(in, 3)));
        put(ops, "conv1d", (in, kw) -> F.conv1d(in.get(0), in.get(1), opt(in, 2), kw.path("stride").asInt(1),
                kw.path("padding").asInt(0), kw.path("dilation").asInt(1), kw.path("groups").asInt(1)));
        put(ops, "conv2d", (in, kw) -> F.conv2d(in.get(0), in.get(1), opt(in, 2), pair(kw, "stride", 1), pair(kw, "padding", 0),
                pair(kw, "dilation", 1), kw.path("groups").asInt(1)));
        ops.put("max_pool2d", (in, kw) -> {
            int[] k = pair(kw, "kernel_size", 1);
            int[] s = kw.hasNonNull("stride") ? pair(kw, "stride", 1) : k;
            var r = F.maxPool2dWithIndices(in.get(0), k, s, pair(kw, "padding", 0), pair(kw, "dilation", 1),
                    kw.path("ceil_mode").asBoolean(false));
            return kw.path("return_indices").asBoolean(false) ? List.of(r.values(), r.indices()) : List.of(r.values());
        });
        put(ops, "avg_pool2d", (in, kw) -> {
            int[] k = pair(kw, "kernel_size", 1);
            int[] s = kw.hasNonNull("stride") ? pair(kw, "stride", 1) : k;
            return F.avgPool2d(in.get(0), k, s, pair(kw, "padding", 0), kw.path("ceil_mode").asBoolean(false),
                    kw.path("count_include_pad").asBoolean(true), kw.hasNonNull("divisor_override") ? kw.get("divisor_override").asInt() : null);
        });
        put(ops, "adaptive_avg_pool2d", (in, kw) -> {
            int[] o = pair(kw, "output_size", 1);
            return F.adaptiveAvgPool2d(in.get(0), o[0], o[1]);
        });
        put(ops, "layer_norm", (in, kw) -> F.layerNorm(in.get(0), ints(kw.get("normalized_shape")), opt(in, 1), opt(in, 2),
                dbl(kw, "eps", 1e-5)));
        put(ops, "batch_norm", (in, kw) -> F.batchNorm(in.get(0), floats(kw, "running_mean"), floats(kw, "running_var"),
                opt(in, 1), opt(in, 2), kw.path("training").asBoolean(false), dbl(kw, "momentum", 0.1), dbl(kw, "eps", 1e-5)));
        put(ops, "embedding", (in, kw) -> F.embedding(in.get(0), in.get(1),
                kw.hasNonNull("padding_idx") ? kw.get("padding_idx").asInt() : null));
        put(ops, "cosine_similarity", (in, kw) -> F.cosineSimilarity(in.get(0), in.get(1), kw.path("dim").asInt(1), dbl(kw, "eps", 1e-8)));
        put(ops, "scaled_dot_product_attention", (in, kw) -> F.scaledDotProductAttention(in.get(0), in.get(1), in.get(2),
                opt(in, 3), dbl(kw, "dropout_p", 0.0), kw.path("is_causal").asBoolean(false),
                kw.hasNonNull("scale") ? kw.get("scale").asDouble() : null, null));
    }

    private static double[] doubles(JsonNode kw, String key) {
        JsonNode v = kw.get(key);
        if (v == null || v.isNull()) return null;
        if (v.isNumber()) return new double[] {v.asDouble()};
        double[] d = new double[v.size()];
        for (int i = 0; i < d.length; i++) d[i] = v.get(i).asDouble();
        return d;
    }

    private static void registerPoolingAndResampling(Map<String, ReferenceOps.Op> ops) {
        ops.put("max_pool1d", (in, kw) -> {
            int k = kw.get("kernel_size").asInt();
            var r = F.maxPool1dWithIndices(in.get(0), k, kw.hasNonNull("stride") ? kw.get("stride").asInt() : k,
                    kw.path("padding").asInt(0), kw.path("dilation").asInt(1), kw.path("ceil_mode").asBoolean(false));
            return kw.path("return_indices").asBoolean(false) ? List.of(r.values(), r.indices()) : List.of(r.values());
        });
        put(ops, "avg_pool1d", (in, kw) -> {
            int k = kw.get("kernel_size").asInt();
            return F.avgPool1d(in.get(0), k, kw.hasNonNull("stride") ? kw.get("stride").asInt() : k, kw.path("padding").asInt(0),
                    kw.path("ceil_mode").asBoolean(false), kw.path("count_include_pad").asBoolean(true));
        });
        put(ops, "instance_norm", (in, kw) -> F.instanceNorm(in.get(0), opt(in, 1), opt(in, 2), dbl(kw, "eps", 1e-5)));
        put(ops, "interpolate", (in, kw) -> F.interpolate(in.get(0), ints(kw.get("size")), doubles(kw, "scale_factor"),
                kw.path("mode").asText("nearest"), kw.hasNonNull("align_corners") ? kw.get("align_corners").asBoolean() : null));
        put(ops, "triplet_margin_loss", (in, kw) -> F.tripletMarginLoss(in.get(0), in.get(1), in.get(2), dbl(kw, "margin", 1.0),
                dbl(kw, "p", 2.0), dbl(kw, "eps", 1e-6), kw.path("swap").asBoolean(false), reduction(kw)));
        put(ops, "multilabel_soft_margin_loss", (in, kw) -> F.multilabelSoftMarginLoss(in.get(0), in.get(1), opt(in, 2), reduction(kw)));
    }

    private static void registerMore(Map<String, ReferenceOps.Op> ops) {
        registerPoolingAndResampling(ops);
        put(ops, "hardshrink", (in, kw) -> F.hardshrink(in.get(0), dbl(kw, "lambd", 0.5)));
        put(ops, "softshrink", (in, kw) -> F.softshrink(in.get(0), dbl(kw, "lambd", 0.5)));
        put(ops, "prelu", (in, kw) -> F.prelu(in.get(0), in.get(1)));
        put(ops, "normalize", (in, kw) -> F.normalize(in.get(0), dbl(kw, "p", 2.0), kw.path("dim").asInt(1), dbl(kw, "eps", 1e-12)));
        put(ops, "pairwise_distance", (in, kw) -> F.pairwiseDistance(in.get(0), in.get(1), dbl(kw, "p", 2.0), dbl(kw, "eps", 1e-6),
                kw.path("keepdim").asBoolean(false)));
        put(ops, "pixel_shuffle", (in, kw) -> F.pixelShuffle(in.get(0), kw.get("upscale_factor").asInt()));
        put(ops, "pixel_unshuffle", (in, kw) -> F.pixelUnshuffle(in.get(0), kw.get("downscale_factor").asInt()));
        put(ops, "group_norm", (in, kw) -> F.groupNorm(in.get(0), kw.get("num_groups").asInt(), opt(in, 1), opt(in, 2), dbl(kw, "eps", 1e-5)));
        put(ops, "kl_div", (in, kw) -> F.klDiv(in.get(0), in.get(1), kw.path("reduction").asText("mean"), kw.path("log_target").asBoolean(false)));
        put(ops, "margin_ranking_loss", (in, kw) -> F.marginRankingLoss(in.get(0), in.get(1), in.get(2), dbl(kw, "margin", 0.0), reduction(kw)));
        put(ops, "soft_margin_loss", (in, kw) -> F.softMarginLoss(in.get(0), in.get(1), reduction(kw)));
        put(ops, "hinge_embedding_loss", (in, kw) -> F.hingeEmbeddingLoss(in.get(0), in.get(1), dbl(kw, "margin", 1.0), reduction(kw)));
        put(ops, "cosine_embedding_loss", (in, kw) -> F.cosineEmbeddingLoss(in.get(0), in.get(1), in.get(2), dbl(kw, "margin", 0.0), reduction(kw)));
        put(ops, "poisson_nll_loss", (in, kw) -> F.poissonNllLoss(in.get(0), in.get(1), kw.path("log_input").asBoolean(true),
                kw.path("full").asBoolean(false), dbl(kw, "eps", 1e-8), reduction(kw)));
        put(ops, "gaussian_nll_loss", (in, kw) -> F.gaussianNllLoss(in.get(0), in.get(1), in.get(2), kw.path("full").asBoolean(false),
                dbl(kw, "eps", 1e-6), reduction(kw)));
    }

    private static void put(Map<String, ReferenceOps.Op> ops, String name, java.util.function.BiFunction<List<Tensor>, JsonNode, Tensor> f) {
        ops.put(name, (in, kw) -> List.of(f.apply(in, kw)));
    }
}
