package dev.kindling.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kindling.data.Csv;
import dev.kindling.io.SafeTensors;
import dev.kindling.nn.Conv2d;
import dev.kindling.nn.Flatten;
import dev.kindling.nn.GELU;
import dev.kindling.nn.Linear;
import dev.kindling.nn.MaxPool2d;
import dev.kindling.nn.Module;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.nn.Sigmoid;
import dev.kindling.nn.Tanh;
import dev.kindling.nn.functional.F;
import dev.kindling.optim.Optimizer;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replays a PyTorch training run recorded in the trajectory format of
 * {@code ../shared/reference/README.md}: builds the Sequential from {@code layers}, loads the
 * initial state dict from the safetensors file, reads the data rows, trains with the recorded
 * optimizer and batch order, and compares every step's loss (1e-4 relative) and the final
 * parameters (1e-4) with PyTorch's.
 */
public final class TrajectoryReplay {
    private TrajectoryReplay() {}

    /** The outcome of a replay. */
    public record Result(String name, int steps, int withinTolerance, String firstMismatch, double finalParamMaxDiff,
                         Double heldoutAccuracy, Double expectedHeldoutAccuracy) {
        public String line() {
            return "trajectory " + name + ": " + withinTolerance + "/" + steps + " steps within tolerance";
        }
    }

    public static Result replay(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(Files.readString(file));
        Path dir = file.toAbsolutePath().getParent();
        Sequential model = buildModel(root.get("layers"));
        Map<String, Tensor> init = SafeTensors.load(dir.resolve(root.get("init").asText()));
        model.loadStateDict(init, true);

        JsonNode data = root.get("data");
        Path dataFile = dir.resolve("..").resolve("data").resolve(data.get("file").asText()).normalize();
        // The reference runs were generated with pandas.read_csv's default header=0, which takes the
        // first line of the (header-less) file as column names: row 0 of a trajectory is the file's
        // second line. Verified: rows 1..64 of the file reproduce the recorded first loss to 6e-8.
        Tensor table = Csv.readNumeric(dataFile, true);
        int[] rows = ReferenceFile.ints(data.get("rows"));
        int[] inputShape = ReferenceFile.ints(root.get("input_shape"));
        Tensor[] xy = features(table, data, rows[0], rows[1], inputShape);
        int batchSize = data.get("batch_size").asInt();
        int epochs = data.get("epochs").asInt();
        if (!data.path("order").asText("sequential").startsWith("sequential")) {
            throw new IllegalArgumentException("trajectory " + file + ": only sequential batch order can be replayed, got "
                    + data.get("order"));
        }

        UsedKwargs opt = UsedKwargs.of(root.get("optimizer"));
        Optimizer optimizer = OptimCases.build(opt, model.parameters());
        if (!opt.unread().isEmpty()) {
            // an optimizer option replayed with its default would make the comparison meaningless
            throw new IllegalArgumentException("trajectory " + file + ": optimizer kwargs the port does not read: " + opt.unread());
        }
        JsonNode losses = root.get("losses");
        int n = xy[0].size(0);
        int step = 0;
        int ok = 0;
        String firstMismatch = null;
        for (int e = 0; e < epochs; e++) {
            for (int start = 0; start < n; start += batchSize) {
                int len = Math.min(batchSize, n - start);
                Tensor x = xy[0].narrow(0, start, len);
                Tensor y = xy[1].narrow(0, start, len);
                optimizer.zeroGrad();
                Tensor loss = F.crossEntropy(model.forward(x), y);
                loss.backward();
                optimizer.step();
                double actual = loss.item();
                double expected = losses.get(step).asDouble();
                if (Math.abs(actual - expected) <= 1e-4 * Math.abs(expected)) ok++;
                else if (firstMismatch == null) firstMismatch = "step " + step + ": loss " + actual + " vs PyTorch " + expected;
                step++;
            }
        }
        if (step != losses.size()) {
            firstMismatch = (firstMismatch == null ? "" : firstMismatch + "; ") + "replayed " + step + " steps but the file has "
                    + losses.size() + " losses";
        }
        double maxDiff = 0;
        JsonNode finalState = root.get("final_state");
        Map<String, Tensor> state = model.stateDict();
        for (var it = finalState.fields(); it.hasNext(); ) {
            var f = it.next();
            Tensor mine = state.get(f.getKey());
            if (mine == null) throw new IllegalArgumentException("trajectory " + file + ": final_state has unknown key " + f.getKey());
            double[] a = mine.toDoubleArray();
            JsonNode v = f.getValue();
            if (v.size() != a.length) throw new IllegalArgumentException("final_state " + f.getKey() + " has " + v.size() + " values, model has " + a.length);
            for (int i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - v.get(i).asDouble()));
        }
        Double heldout = null;
        Double expectedHeldout = root.hasNonNull("heldout_accuracy_next_300_rows") ? root.get("heldout_accuracy_next_300_rows").asDouble() : null;
        if (expectedHeldout != null && rows[1] + 300 <= table.size(0)) {
            Tensor[] test = features(table, data, rows[1], rows[1] + 300, inputShape);
            try (var g = dev.kindling.autograd.GradMode.noGrad()) {
                heldout = model.forward(test[0]).argmax(1).eq(test[1]).to(DType.FLOAT64).mean().item();
            }
        }
        return new Result(root.path("name").asText(file.getFileName().toString()), losses.size(), ok, firstMismatch, maxDiff,
                heldout, expectedHeldout);
    }

    private static final Pattern FIRST_N = Pattern.compile("first (\\d+) columns(?: divided by ([0-9.eE+-]+))?");
    private static final Pattern COLUMN = Pattern.compile("column (\\d+)");

    /** Features and labels of rows [from, to) as the file's "features" and "label" sentences describe them. */
    private static Tensor[] features(Tensor table, JsonNode data, int from, int to, int[] inputShape) {
        Matcher f = FIRST_N.matcher(data.get("features").asText());
        Matcher l = COLUMN.matcher(data.get("label").asText());
        if (!f.find() || !l.find()) {
            throw new IllegalArgumentException("trajectory data: cannot understand features '" + data.get("features")
                    + "' or label '" + data.get("label") + "'");
        }
        int cols = Integer.parseInt(f.group(1));
        double divisor = f.group(2) == null ? 1.0 : Double.parseDouble(f.group(2));
        int labelColumn = Integer.parseInt(l.group(1)) - 1;
        Tensor rows = table.narrow(0, from, to - from);
        Tensor x = rows.narrow(1, 0, cols).div(divisor).to(DType.FLOAT32);
        int[] shape = new int[inputShape.length + 1];
        shape[0] = to - from;
        System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
        return new Tensor[] {x.reshape(shape), Csv.labels(rows, labelColumn)};
    }

    static Sequential buildModel(JsonNode layers) {
        List<Module> modules = new ArrayList<>();
        for (JsonNode l : layers) {
            String name = l.get(0).asText();
            modules.add(switch (name) {
                case "Linear" -> new Linear(l.get(1).asInt(), l.get(2).asInt());
                case "Conv2d" -> new Conv2d(l.get(1).asInt(), l.get(2).asInt(), l.get(3).asInt(),
                        l.size() > 4 ? l.get(4).asInt() : 1, l.size() > 5 ? l.get(5).asInt() : 0);
                case "MaxPool2d" -> new MaxPool2d(l.get(1).asInt());
                case "Flatten" -> new Flatten();
                case "ReLU" -> new ReLU();
                case "Tanh" -> new Tanh();
                case "GELU" -> new GELU();
                case "Sigmoid" -> new Sigmoid();
                default -> throw new IllegalArgumentException("trajectory: unknown layer " + l);
            });
        }
        return new Sequential(modules.toArray(new Module[0]));
    }
}
