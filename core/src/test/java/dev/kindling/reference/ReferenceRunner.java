package dev.kindling.reference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Replays reference cases against Kindling and compares every output and gradient with the
 * tolerance of the reference README: |a - b| <= 1e-5 + 1e-4 |b| for float32, ~1e-10 for float64,
 * exact for integers and bools, and the dtype must be PyTorch's. Prints
 * {@code reference: N passed, M failed, K skipped}. The run is strict: a case whose op Kindling
 * lacks, or whose kwargs include one the port does not read, fails; a case is skipped only when
 * the file itself says why ({@code "skip": reason}), and the reasons are listed. A case with
 * PyTorch's {@code "error"} passes only if Kindling rejects the call with an
 * IllegalArgumentException.
 */
public final class ReferenceRunner {
    private ReferenceRunner() {}

    /** The outcome of a run. */
    public record Summary(int passed, int failed, int skipped, List<String> failures, List<String> skippedCases) {
        public String line() {
            return "reference: " + passed + " passed, " + failed + " failed, " + skipped + " skipped";
        }

        public String details() {
            StringBuilder sb = new StringBuilder(line());
            if (!skippedCases.isEmpty()) sb.append("\n  skipped: ").append(String.join(", ", skippedCases));
            for (String f : failures) sb.append("\n  FAILED ").append(f);
            return sb.toString();
        }
    }

    public static Summary run(Path file) throws java.io.IOException {
        return run(ReferenceFile.read(file));
    }

    public static Summary run(List<ReferenceFile.Case> cases) {
        int passed = 0;
        List<String> failures = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (ReferenceFile.Case c : cases) {
            if (c.skip() != null) {
                skipped.add(c.name() + " (" + c.skip() + ")");
                continue;
            }
            String problem = unknownFields(c);
            try {
                if (problem == null) problem = c.error() != null ? expectRejection(c) : runCase(c);
            } catch (Skip s) {
                problem = "cannot run: " + s.getMessage();
            } catch (RuntimeException | AssertionError e) {
                problem = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (problem == null) passed++;
            else failures.add(c.name() + ": " + problem);
        }
        return new Summary(passed, failures.size(), skipped.size(), failures, skipped);
    }

    /** The fields a case may have (see the reference README and gen_ops_extra.py's docstring). */
    private static final java.util.Set<String> CASE_FIELDS = java.util.Set.of("name", "op", "kwargs", "inputs", "outputs",
            "grad_output", "grads", "note", "tolerance", "error", "skip", "gradients", "trajectory", "lrs");

    /** A field the runner does not know would be silently ignored, so it fails the case; null when there is none. */
    static String unknownFields(ReferenceFile.Case c) {
        List<String> unknown = new ArrayList<>();
        c.raw().fieldNames().forEachRemaining(f -> { if (!CASE_FIELDS.contains(f)) unknown.add(f); });
        if (!unknown.isEmpty()) return "case fields the runner does not know: " + unknown;
        if ((c.gradOutput() == null) != (c.grads() == null)) return "a case needs both grad_output and grads, or neither";
        return null;
    }

    /** Thrown for a case Kindling cannot run (an op or option it does not implement); the case fails. */
    public static final class Skip extends RuntimeException {
        public Skip(String why) { super(why, null, false, false); }
    }

    /** A case PyTorch rejects: Kindling must throw IllegalArgumentException; null when it does. */
    static String expectRejection(ReferenceFile.Case c) {
        ReferenceOps.Op fn = ReferenceOps.get(c.op());
        if (fn == null) throw new Skip("no op '" + c.op() + "'");
        UsedKwargs kw = UsedKwargs.of(c.kwargs());
        List<Tensor> inputs = new ArrayList<>();
        for (int i = 0; i < c.inputs().size(); i++) {
            int[] perm = c.permutes().get(i);
            inputs.add(perm == null ? c.inputs().get(i) : c.inputs().get(i).permute(perm));
        }
        try {
            fn.apply(inputs, kw);
        } catch (IllegalArgumentException expected) {
            return kw.unread().isEmpty() ? null : "kwargs the port does not read: " + kw.unread();
        }
        return "PyTorch rejects this call (" + c.error() + ") but Kindling accepted it";
    }

    /** Runs one case; returns null when it matches, else what differs. */
    static String runCase(ReferenceFile.Case c) {
        if (c.op().equals("optimizer") || c.op().equals("lr_scheduler")) return OptimCases.run(c);
        ReferenceOps.Op fn = ReferenceOps.get(c.op());
        if (fn == null) throw new Skip("no op '" + c.op() + "'");
        List<Tensor> leaves = new ArrayList<>();
        List<Tensor> inputs = new ArrayList<>();
        for (int i = 0; i < c.inputs().size(); i++) {
            Tensor t = c.inputs().get(i);
            boolean wantsGrad = c.grads() != null && i < c.grads().size() && c.grads().get(i) != null
                    && t.dtype().isFloatingPoint();
            Tensor leaf = wantsGrad ? t.clone().requiresGrad_(true) : t;
            int[] perm = c.permutes().get(i);
            leaves.add(leaf);
            inputs.add(perm == null ? leaf : leaf.permute(perm));
        }
        UsedKwargs kw = UsedKwargs.of(c.kwargs());
        List<Tensor> outs = fn.apply(inputs, kw);
        if (!kw.unread().isEmpty()) return "kwargs the port does not read: " + kw.unread();
        if (outs.size() < c.outputs().size()) {
            return "expected " + c.outputs().size() + " outputs but got " + outs.size();
        }
        JsonNode tol = c.raw().path("tolerance");
        for (int i = 0; i < c.outputs().size(); i++) {
            String d = compare("output " + i, outs.get(i), c.outputs().get(i), tol);
            if (d != null) return d;
        }
        if (c.gradOutput() != null && c.grads() != null) {
            outs.get(0).backward(c.gradOutput());
            for (int i = 0; i < c.grads().size(); i++) {
                Tensor expected = c.grads().get(i);
                if (expected == null) continue;
                Tensor actual = leaves.get(i).grad();
                if (actual == null) {
                    // The generator writes zeros where PyTorch's .grad stayed None (an input that the
                    // first output does not depend on, as meshgrid's other inputs); no gradient matches only that.
                    if (allZero(expected)) continue;
                    return "grad " + i + ": no gradient was computed";
                }
                int[] perm = c.permutes().get(i);
                if (perm != null) actual = actual.permute(perm);
                String d = compare("grad " + i, actual, expected, tol);
                if (d != null) return d;
            }
        }
        return null;
    }

    private static boolean allZero(Tensor t) {
        for (double v : t.toDoubleArray()) if (v != 0.0) return false;
        return true;
    }

    /** null when actual matches expected within tolerance, else a description of the first difference. */
    public static String compare(String what, Tensor actual, Tensor expected) {
        return compare(what, actual, expected, com.fasterxml.jackson.databind.node.MissingNode.getInstance());
    }

    /** As {@link #compare(String, Tensor, Tensor)}, with a case's own {@code tolerance} (rtol, atol) where it has one. */
    static String compare(String what, Tensor actual, Tensor expected, JsonNode tolerance) {
        if (!Arrays.equals(actual.shape(), expected.shape())) {
            return what + ": shape " + Shapes.str(actual.shape()) + " but expected " + Shapes.str(expected.shape());
        }
        if (actual.dtype() != expected.dtype()) {
            return what + ": dtype " + actual.dtype() + " but expected " + expected.dtype();
        }
        if (expected.dtype().isIntegral()) {
            long[] a = actual.toLongArray();
            long[] e = expected.toLongArray();
            for (int i = 0; i < e.length; i++) {
                if (a[i] != e[i]) return what + ": element " + i + " is " + a[i] + " but expected " + e[i];
            }
            return null;
        }
        double atol = tolerance.path("atol").asDouble(expected.dtype() == DType.FLOAT64 ? 1e-10 : 1e-5);
        double rtol = tolerance.path("rtol").asDouble(expected.dtype() == DType.FLOAT64 ? 1e-9 : 1e-4);
        double[] a = actual.toDoubleArray();
        double[] e = expected.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (Double.isNaN(e[i]) && Double.isNaN(a[i])) continue;
            if (a[i] == e[i]) continue;
            if (!(Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]))) {
                return what + ": element " + i + " is " + a[i] + " but expected " + e[i] + " (|diff| "
                        + Math.abs(a[i] - e[i]) + ")";
            }
        }
        return null;
    }
}
