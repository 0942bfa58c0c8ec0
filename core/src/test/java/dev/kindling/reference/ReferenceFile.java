package dev.kindling.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a PyTorch reference file ({@code ../shared/reference/ops.json} format, described in its
 * README): a list of cases, each an op name, PyTorch kwargs, input tensors, expected outputs, and
 * where gradients exist the upstream gradient and the expected input gradients.
 */
public final class ReferenceFile {
    private ReferenceFile() {}

    /**
     * One case of the file; tensors are converted to Kindling tensors of the stated dtype.
     * {@code permutes.get(i)} is non-null when input i is the permuted view of its stored tensor (a
     * non-contiguous input); {@code skip} is the file's stated reason for not running the case;
     * {@code error} is PyTorch's error where PyTorch rejects the call (Kindling must reject it too).
     */
    public record Case(String name, String op, JsonNode kwargs, List<Tensor> inputs, List<int[]> permutes,
                       List<Tensor> outputs, Tensor gradOutput, List<Tensor> grads, String skip, String error,
                       JsonNode raw) {}

    public static List<Case> read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(Files.readString(file));
        JsonNode cases = root.get("cases");
        if (cases == null || !cases.isArray()) {
            throw new IllegalArgumentException("reference file " + file + ": expected a top-level \"cases\" array");
        }
        List<Case> out = new ArrayList<>();
        for (JsonNode c : cases) {
            String name = c.path("name").asText(c.path("op").asText());
            List<int[]> permutes = new ArrayList<>();
            for (JsonNode in : c.path("inputs")) permutes.add(ints(in.get("permute")));
            out.add(new Case(name, c.path("op").asText(), c.path("kwargs"), tensors(c.get("inputs")), permutes,
                    tensors(c.get("outputs")), c.hasNonNull("grad_output") ? tensor(c.get("grad_output")) : null,
                    c.hasNonNull("grads") ? tensors(c.get("grads")) : null,
                    c.hasNonNull("skip") ? c.get("skip").asText() : null,
                    c.hasNonNull("error") ? c.get("error").asText() : null, c));
        }
        return out;
    }

    static List<Tensor> tensors(JsonNode node) {
        List<Tensor> out = new ArrayList<>();
        if (node == null || node.isNull()) return out;
        if (node.isObject()) {
            out.add(tensor(node));
            return out;
        }
        for (JsonNode t : node) out.add(t == null || t.isNull() ? null : tensor(t));
        return out;
    }

    /** {"shape": [...], "dtype": "...", "data": [...]} as a tensor. */
    public static Tensor tensor(JsonNode node) {
        JsonNode shapeNode = node.get("shape");
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = shapeNode.get(i).asInt();
        // no default dtype: a tensor whose dtype the file does not state cannot be checked against PyTorch's
        if (!node.hasNonNull("dtype")) throw new IllegalArgumentException("reference tensor without a dtype: " + node);
        DType dtype = DType.parse(node.get("dtype").asText());
        JsonNode data = node.get("data");
        int n = data.size();
        switch (dtype) {
            case BOOL -> {
                byte[] b = new byte[n];
                for (int i = 0; i < n; i++) b[i] = (byte) (data.get(i).asBoolean() || data.get(i).asDouble() != 0 ? 1 : 0);
                return Tensors.fromArray(b, DType.BOOL, shape.length == 0 ? new int[] {1} : shape).reshape(shape);
            }
            case INT64, INT32, UINT8 -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) v[i] = data.get(i).asLong();
                return Tensors.fromArray(v, shape.length == 0 ? new int[] {1} : shape).reshape(shape).to(dtype);
            }
            default -> {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) v[i] = number(data.get(i));
                return Tensors.fromArray(v, shape.length == 0 ? new int[] {1} : shape).reshape(shape).to(dtype);
            }
        }
    }

    private static double number(JsonNode v) {
        if (v.isNumber()) return v.asDouble();
        String s = v.asText().toLowerCase();
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf", "infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    public static int[] ints(JsonNode node) {
        if (node == null || node.isNull()) return null;
        if (node.isNumber()) return new int[] {node.asInt()};
        int[] out = new int[node.size()];
        for (int i = 0; i < out.length; i++) out[i] = node.get(i).asInt();
        return out;
    }
}
