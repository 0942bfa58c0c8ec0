package dev.kindling.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.kindling.linalg.Linalg;
import dev.kindling.nn.Init;
import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Generates the PyTorch coverage tables (docs/ops.md and the README's summary) from Kindling's
 * public API by reflection: a public method of {@code Tensor}, {@code Tensors}, {@code F},
 * {@code Linalg} or {@code Init}, or a public class of {@code nn} or {@code optim}, covers a PyTorch name when its
 * Java name in snake_case ({@code indexSelect} -> {@code index_select}, {@code requiresGrad_} ->
 * {@code requires_grad_}) or its class name is that name. PyTorch's names come from
 * {@code torch_api.json} (written by {@code gen_torch_api.py} from PyTorch itself), so the table
 * never lists a name PyTorch does not have. {@code main} prints the counts, for comparing builds.
 */
public final class OpsTable {
    private OpsTable() {}

    /** The generated docs/ops.md and the text between the README's ops-table markers. */
    public record Generated(String opsMarkdown, String readmeBlock, Map<String, int[]> counts) {}

    /** {@code indexSelect} -> {@code index_select}; digits stay attached ({@code conv2d}, {@code l1Loss} -> {@code l1_loss}). */
    static String snake(String javaName) {
        StringBuilder sb = new StringBuilder();
        for (char ch : javaName.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != '_') sb.append('_');
                sb.append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** snake_case name -> the Kindling entry points ("Tensor.indexSelect") that carry it. */
    private static Map<String, Set<String>> methods(Class<?> type, boolean statics, String label) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (Method m : type.getMethods()) {
            if (m.getDeclaringClass() == Object.class || m.isSynthetic()) continue;
            if (Modifier.isStatic(m.getModifiers()) != statics) continue;
            out.computeIfAbsent(snake(m.getName()), k -> new TreeSet<>()).add(label + "." + m.getName());
        }
        return out;
    }

    private static void merge(Map<String, Set<String>> into, Map<String, Set<String>> from) {
        from.forEach((k, v) -> into.computeIfAbsent(k, x -> new TreeSet<>()).addAll(v));
    }

    /** Public concrete top-level classes of a package, by simple name. */
    private static Set<String> classes(String pkg) {
        Set<String> out = new TreeSet<>();
        for (JavaClass c : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(pkg)) {
            if (!c.getPackageName().equals(pkg) || !c.isTopLevelClass()) continue;
            if (!c.getModifiers().contains(JavaModifier.PUBLIC) || c.getModifiers().contains(JavaModifier.ABSTRACT)) continue;
            if (c.isInterface() || c.isEnum() || c.isRecord()) continue;
            out.add(c.getSimpleName());
        }
        return out;
    }

    private static List<String> names(JsonNode api, String namespace) {
        List<String> out = new ArrayList<>();
        api.get(namespace).forEach(n -> out.add(n.asText()));
        return out;
    }

    public static Generated generate() throws IOException {
        JsonNode api;
        try (InputStream in = OpsTable.class.getResourceAsStream("/reference/torch_api.json")) {
            if (in == null) throw new IllegalStateException("torch_api.json is missing from the test resources");
            api = new ObjectMapper().readTree(in);
        }
        Map<String, Set<String>> tensorLevel = new TreeMap<>();
        merge(tensorLevel, methods(Tensor.class, false, "Tensor"));
        merge(tensorLevel, methods(Tensor.class, true, "Tensor"));
        merge(tensorLevel, methods(Tensors.class, true, "Tensors"));
        Map<String, Set<String>> functional = methods(F.class, true, "F");
        Map<String, Set<String>> init = methods(Init.class, true, "Init");
        Map<String, Set<String>> linalg = methods(Linalg.class, true, "Linalg");
        Set<String> nn = classes("dev.kindling.nn");
        Set<String> optim = classes("dev.kindling.optim");

        StringBuilder doc = new StringBuilder();
        Map<String, int[]> counts = new java.util.LinkedHashMap<>();
        doc.append("# PyTorch names in Kindling\n\n")
                .append("Generated from Kindling's public API by `OpsTableTest` (core tests) against the names of PyTorch ")
                .append(api.get("torch_version").asText()).append("\n(`core/src/test/resources/reference/torch_api.json`, ")
                .append("written by `gen_torch_api.py` beside it). A Kindling method\nor class covers a PyTorch name when its ")
                .append("Java name in snake_case is that name (`indexSelect` is `index_select`).\nA name says the entry point ")
                .append("exists, not that every PyTorch argument does; the reference tests\n(`core/src/test/java/dev/kindling/")
                .append("reference`) say which semantics are checked against PyTorch's values.\nRegenerate after changing the API: ")
                .append("`mvn -pl core test -Dtest=OpsTableTest -Dkindling.updateReadmeOpsTable=true`.\n");

        // torch.* and Tensor.*: only the covered names are listed (PyTorch has ~1,000, many sparse,
        // quantized or device-specific); the heading says how many there are in all.
        Set<String> torchNames = new TreeSet<>(names(api, "torch"));
        Set<String> tensorNames = new TreeSet<>(names(api, "Tensor"));
        Set<String> union = new TreeSet<>(torchNames);
        union.addAll(tensorNames);
        List<String[]> rows = new ArrayList<>();
        for (String name : union) {
            Set<String> kindling = new TreeSet<>();
            if (tensorLevel.containsKey(name)) kindling.addAll(tensorLevel.get(name));
            if (torchNames.contains(name) && functional.containsKey(name)) kindling.addAll(functional.get(name));
            if (kindling.isEmpty()) continue;
            String where = (torchNames.contains(name) ? "torch" : "") + (torchNames.contains(name) && tensorNames.contains(name) ? ", " : "")
                    + (tensorNames.contains(name) ? "Tensor" : "");
            rows.add(new String[] {"`" + name + "` (" + where + ")", code(kindling)});
        }
        counts.put("`torch.*` functions and `Tensor` methods", new int[] {rows.size(), union.size()});
        section(doc, "torch functions and Tensor methods", rows.size(), union.size(), rows, false);

        rows = allRows(names(api, "linalg"), n -> linalg.get(n));
        counts.put("`torch.linalg`", new int[] {covered(rows), rows.size()});
        section(doc, "torch.linalg (as `Linalg`)", covered(rows), rows.size(), rows, true);

        rows = allRows(names(api, "nn.functional"), n -> functional.get(n));
        counts.put("`torch.nn.functional`", new int[] {covered(rows), rows.size()});
        section(doc, "torch.nn.functional (as `F`)", covered(rows), rows.size(), rows, true);

        rows = allRows(names(api, "nn"), n -> nn.contains(n) ? Set.of("nn." + n) : null);
        counts.put("`torch.nn` modules", new int[] {covered(rows), rows.size()});
        section(doc, "torch.nn modules", covered(rows), rows.size(), rows, true);

        rows = allRows(names(api, "nn.init"), n -> init.get(n));
        counts.put("`torch.nn.init`", new int[] {covered(rows), rows.size()});
        section(doc, "torch.nn.init (as `Init`)", covered(rows), rows.size(), rows, true);

        rows = allRows(names(api, "optim"), n -> optim.contains(n) ? Set.of("optim." + n) : null);
        counts.put("`torch.optim`", new int[] {covered(rows), rows.size()});
        section(doc, "torch.optim", covered(rows), rows.size(), rows, true);

        rows = allRows(names(api, "optim.lr_scheduler"), n -> optim.contains(n) ? Set.of("optim." + n) : null);
        counts.put("`torch.optim.lr_scheduler`", new int[] {covered(rows), rows.size()});
        section(doc, "torch.optim.lr_scheduler", covered(rows), rows.size(), rows, true);

        StringBuilder readme = new StringBuilder();
        readme.append("**PyTorch coverage**, generated from the code (`OpsTableTest` fails when it drifts); ")
                .append("name by name in [docs/ops.md](docs/ops.md):\n\n")
                .append("| PyTorch ").append(api.get("torch_version").asText())
                .append(" | names Kindling has | of PyTorch's |\n|---|---:|---:|\n");
        counts.forEach((k, v) -> readme.append("| ").append(k).append(" | ").append(v[0]).append(" | ").append(v[1]).append(" |\n"));
        return new Generated(doc.toString(), readme.toString(), counts);
    }

    private static List<String[]> allRows(List<String> names, java.util.function.Function<String, Set<String>> kindling) {
        List<String[]> rows = new ArrayList<>();
        for (String n : names) {
            Set<String> k = kindling.apply(n);
            rows.add(new String[] {"`" + n + "`", k == null || k.isEmpty() ? "" : code(k)});
        }
        return rows;
    }

    private static int covered(List<String[]> rows) {
        int n = 0;
        for (String[] r : rows) if (!r[1].isEmpty()) n++;
        return n;
    }

    private static String code(Set<String> entries) {
        StringBuilder sb = new StringBuilder();
        for (String e : entries) sb.append(sb.isEmpty() ? "" : ", ").append('`').append(e).append('`');
        return sb.toString();
    }

    private static void section(StringBuilder doc, String title, int covered, int total, List<String[]> rows, boolean listsMissing) {
        doc.append("\n## ").append(title).append(": ").append(covered).append(" of ").append(total).append("\n\n");
        if (listsMissing) doc.append("An empty Kindling cell: not in Kindling yet.\n\n");
        else doc.append("Only the names Kindling has are listed.\n\n");
        doc.append("| PyTorch | Kindling |\n|---|---|\n");
        for (String[] r : rows) doc.append("| ").append(r[0]).append(" | ").append(r[1]).append(" |\n");
    }

    /** Prints the counts (covered / PyTorch's) per namespace, to compare two builds. */
    public static void main(String[] args) throws IOException {
        generate().counts().forEach((k, v) -> System.out.println(k + ": " + v[0] + " / " + v[1]));
    }
}
