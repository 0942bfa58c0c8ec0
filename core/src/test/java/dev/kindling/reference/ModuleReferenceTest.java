package dev.kindling.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kindling.io.SafeTensors;
import dev.kindling.nn.Module;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compares RNN, LSTM, GRU (layers, directions, batch_first, initial states, proj_size, packed
 * sequences), MultiheadAttention (masks, per-head weights, kdim/vdim, bias_kv, zero_attn) and the
 * transformer modules with PyTorch (issue 16 item 3). For each case of {@code modules.json} and
 * each of float64 and float32, the module is built from PyTorch's constructor kwargs, PyTorch's
 * initial state_dict is loaded strictly by PyTorch's names, the forward runs on PyTorch's inputs and
 * L = sum_k sum(out_k * w_k) is backpropagated; outputs, input gradients and every parameter's
 * gradient must match PyTorch's within |a - b| <= tol (1 + |b|), tol 1e-5 for float64 and 1e-4 for
 * float32. A case whose kwargs or inputs the port ignores fails.
 */
class ModuleReferenceTest {

    /** The largest |a - b| / (1 + |b|) seen in a case, to report how close the match is. */
    private double worst;

    @Test
    void everyModuleCaseMatchesPyTorchInFloat64AndFloat32() throws Exception {
        var url = ModuleReferenceTest.class.getResource("/reference/modules.json");
        assertNotNull(url, "modules.json is missing from the test resources");
        Path dir = Path.of(url.toURI()).getParent();
        JsonNode manifest = new ObjectMapper().readTree(Files.readString(dir.resolve("modules.json")));
        List<String> failures = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        int passed = 0;
        StringBuilder report = new StringBuilder();
        for (String dtype : List.of("float64", "float32")) {
            Map<String, Tensor> file = SafeTensors.load(dir.resolve("modules_" + dtype + ".safetensors"));
            double tol = dtype.equals("float64") ? 1e-5 : 1e-4;
            double worstOfFile = 0;
            for (JsonNode c : manifest.get("cases")) {
                String name = c.get("name").asText() + " [" + dtype + "]";
                if (c.hasNonNull("skip")) {
                    skipped.add(name + " (" + c.get("skip").asText() + ")");
                    continue;
                }
                worst = 0;
                String problem;
                try {
                    problem = runCase(c, file, DType.parse(dtype), tol);
                } catch (ReferenceRunner.Skip s) {
                    problem = "cannot run: " + s.getMessage();
                } catch (RuntimeException | AssertionError e) {
                    problem = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
                if (problem == null) passed++;
                else failures.add(name + ": " + problem);
                worstOfFile = Math.max(worstOfFile, worst);
            }
            report.append(String.format("%n  %s: worst |a-b|/(1+|b|) over passing values %.3g", dtype, worstOfFile));
        }
        String summary = "modules: " + passed + " passed, " + failures.size() + " failed, " + skipped.size() + " skipped" + report
                + (skipped.isEmpty() ? "" : "\n  skipped: " + String.join(", ", skipped))
                + (failures.isEmpty() ? "" : "\n  FAILED " + String.join("\n  FAILED ", failures));
        System.out.println(summary);
        assertTrue(passed > 0, summary);
        assertEquals(0, failures.size(), summary);
    }

    private String runCase(JsonNode c, Map<String, Tensor> file, DType dtype, double tol) {
        String prefix = c.get("name").asText() + "/";
        UsedKwargs args = UsedKwargs.of(c.get("args"));
        Module m = ModuleCases.build(c.get("module").asText(), args);
        ModuleCases.requireAllRead(args);
        m.to(dtype);
        m.loadStateDict(section(file, prefix + "state/"), true);
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        Map<String, Tensor> leaves = new LinkedHashMap<>();
        for (JsonNode n : c.get("inputs")) {
            String in = n.asText();
            Tensor t = require(file, prefix + "in/" + in);
            if (t.dtype().isFloatingPoint() && !in.endsWith("mask")) {
                t = t.clone().requiresGrad_(true);
                leaves.put(in, t);
            }
            inputs.put(in, t);
        }
        ModuleCases.Inputs taken = new ModuleCases.Inputs(inputs);
        UsedKwargs fw = UsedKwargs.of(c.get("forward"));
        List<Tensor> outs = ModuleCases.call(m, taken, fw);
        ModuleCases.requireAllRead(fw);
        if (!taken.untaken().isEmpty()) return "inputs the port does not pass: " + taken.untaken();
        JsonNode names = c.get("outputs");
        if (outs.size() != names.size()) return "expected " + names.size() + " outputs but got " + outs.size();
        Tensor loss = null;
        for (int k = 0; k < outs.size(); k++) {
            String out = names.get(k).asText();
            String d = compare("output " + out, outs.get(k), require(file, prefix + "out/" + out), tol);
            if (d != null) return d;
            Tensor term = outs.get(k).mul(require(file, prefix + "w/" + out)).sum();
            loss = loss == null ? term : loss.add(term);
        }
        loss.backward();
        for (Map.Entry<String, Tensor> e : leaves.entrySet()) {
            String d = compare("grad of input " + e.getKey(), e.getValue().grad(), require(file, prefix + "grad/in/" + e.getKey()), tol);
            if (d != null) return d;
        }
        for (Map.Entry<String, Tensor> p : m.namedParameters().entrySet()) {
            String d = compare("grad of " + p.getKey(), p.getValue().grad(), require(file, prefix + "grad/state/" + p.getKey()), tol);
            if (d != null) return d;
        }
        return null;
    }

    private static Map<String, Tensor> section(Map<String, Tensor> file, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        file.forEach((k, v) -> { if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v); });
        return out;
    }

    private static Tensor require(Map<String, Tensor> file, String key) {
        Tensor t = file.get(key);
        if (t == null) throw new IllegalArgumentException("modules safetensors file has no tensor '" + key + "'");
        return t;
    }

    private String compare(String what, Tensor actual, Tensor expected, double tol) {
        if (actual == null) return what + ": none was computed";
        if (!java.util.Arrays.equals(actual.shape(), expected.shape())) {
            return what + ": shape " + java.util.Arrays.toString(actual.shape()) + " but expected "
                    + java.util.Arrays.toString(expected.shape());
        }
        if (actual.dtype() != expected.dtype()) return what + ": dtype " + actual.dtype() + " but expected " + expected.dtype();
        double[] a = actual.toDoubleArray();
        double[] e = expected.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (Double.isNaN(a[i]) || Double.isNaN(e[i])) {
                if (Double.isNaN(a[i]) && Double.isNaN(e[i])) continue;
                return what + ": element " + i + " is " + a[i] + " but expected " + e[i];
            }
            double err = Math.abs(a[i] - e[i]) / (1 + Math.abs(e[i]));
            if (!(err <= tol)) return what + ": element " + i + " is " + a[i] + " but expected " + e[i];
            worst = Math.max(worst, err);
        }
        return null;
    }
}
