package dev.kindling.io;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kindling.nn.Module;
import dev.kindling.optim.LRScheduler;
import dev.kindling.optim.Optimizer;
import dev.kindling.tensor.Tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saving and restoring training state in safetensors files.
 *
 * <p>{@link #saveModel}/{@link #loadModel} write a module's state dict under its PyTorch keys, so
 * the file loads in PyTorch with {@code model.load_state_dict(safetensors.torch.load_file(f))} and
 * vice versa. {@link #save}/{@link #restore} write a whole training checkpoint in one file: model
 * tensors under {@code model.}, optimizer state tensors under {@code optimizer.state.<i>.}, and the
 * optimizer's param groups, its scalar state, the scheduler and the step as JSON metadata.
 */
public final class Checkpoint {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORMAT = "kindling-checkpoint-1";

    private Checkpoint() {}

    public static void saveModel(Module module, Path path) throws IOException {
        SafeTensors.save(module.stateDict(), path, Map.of("format", "pt"));
    }

    public static Module.LoadResult loadModel(Module module, Path path, boolean strict) throws IOException {
        return module.loadStateDict(SafeTensors.load(path), strict);
    }

    /** What {@link #restore} read besides the tensors it loaded in place. */
    public record Restored(long step, Map<String, String> metadata) {}

    /** Writes model, optimizer (may be null), scheduler (may be null), step and extra metadata atomically. */
    public static void save(Path path, Module model, Optimizer optimizer, LRScheduler scheduler, long step,
                            Map<String, String> extra) throws IOException {
        Contents c = contents(model, optimizer, scheduler, step, extra);
        SafeTensors.save(c.tensors(), path, c.metadata());
    }

    /** As {@link #save(Path, Module, Optimizer, LRScheduler, long, Map)}, to a stream (left open). */
    public static void write(OutputStream out, Module model, Optimizer optimizer, LRScheduler scheduler, long step,
                             Map<String, String> extra) throws IOException {
        Contents c = contents(model, optimizer, scheduler, step, extra);
        SafeTensors.write(c.tensors(), c.metadata(), out);
    }

    private record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    private static Contents contents(Module model, Optimizer optimizer, LRScheduler scheduler, long step,
                                     Map<String, String> extra) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> tensors.put("model." + k, v));
        Map<String, String> meta = new LinkedHashMap<>(extra);
        meta.put("format", FORMAT);
        meta.put("step", Long.toString(step));
        if (optimizer != null) {
            Map<String, Object> sd = optimizer.stateDict();
            @SuppressWarnings("unchecked")
            Map<Integer, Map<String, Object>> state = (Map<Integer, Map<String, Object>>) sd.get("state");
            Map<String, Map<String, Object>> scalars = new LinkedHashMap<>();
            for (Map.Entry<Integer, Map<String, Object>> e : state.entrySet()) {
                for (Map.Entry<String, Object> v : e.getValue().entrySet()) {
                    if (v.getValue() instanceof Tensor t) tensors.put("optimizer.state." + e.getKey() + "." + v.getKey(), t);
                    else scalars.computeIfAbsent(Integer.toString(e.getKey()), k -> new LinkedHashMap<>()).put(v.getKey(), v.getValue());
                }
            }
            meta.put("optimizer.class", optimizer.getClass().getName());
            meta.put("optimizer.param_groups", JSON.writeValueAsString(sd.get("param_groups")));
            meta.put("optimizer.state_scalars", JSON.writeValueAsString(scalars));
        }
        if (scheduler != null) meta.put("scheduler", JSON.writeValueAsString(scheduler.stateDict()));
        return new Contents(tensors, meta);
    }

    /**
     * Loads a checkpoint written by {@link #save} into the given objects (in place). Metadata that
     * does not parse (a step that is not a number, optimizer state that is not the JSON
     * {@link #save} writes, a tensor key without a parameter index) is an
     * {@link IllegalArgumentException} naming the file and the entry.
     */
    public static Restored restore(Path path, Module model, Optimizer optimizer, LRScheduler scheduler) throws IOException {
        try (SafeTensorsFile f = SafeTensors.open(path)) {
            return restore(f, model, optimizer, scheduler);
        }
    }

    /** As {@link #restore(Path, Module, Optimizer, LRScheduler)}, from an open file; errors name its source. */
    public static Restored restore(SafeTensorsFile file, Module model, Optimizer optimizer, LRScheduler scheduler) throws IOException {
        String path = file.source();
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (String name : file.names()) all.put(name, file.copy(name));
        Map<String, String> meta = file.metadata();
        String where = "checkpoint " + path;
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IllegalArgumentException(where + ": expected format " + FORMAT + " but the file says "
                    + meta.get("format") + " (use loadModel for plain state dicts)");
        }
        long step = parseStep(where, meta.getOrDefault("step", "0"));
        Map<String, Tensor> modelState = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith("model.")) modelState.put(k.substring(6), v);
        });
        model.loadStateDict(modelState, true);
        if (optimizer != null) optimizer.loadStateDict(optimizerState(where, meta, all, optimizer));
        if (scheduler != null) {
            if (!meta.containsKey("scheduler")) throw new IllegalArgumentException(where + " has no scheduler state");
            scheduler.loadStateDict(json(where, meta, "scheduler", new TypeReference<Map<String, Object>>() {}));
        }
        return new Restored(step, meta);
    }

    private static long parseStep(String where, String step) {
        try {
            return Long.parseLong(step);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": metadata 'step' is '" + step + "', expected an integer");
        }
    }

    private static Map<String, Object> optimizerState(String where, Map<String, String> meta, Map<String, Tensor> all, Optimizer optimizer) {
        if (!meta.containsKey("optimizer.param_groups")) throw new IllegalArgumentException(where + " has no optimizer state");
        if (!optimizer.getClass().getName().equals(meta.get("optimizer.class"))) {
            throw new IllegalArgumentException(where + " holds " + meta.get("optimizer.class")
                    + " state, not " + optimizer.getClass().getName());
        }
        List<Map<String, Object>> groups = json(where, meta, "optimizer.param_groups", new TypeReference<>() {});
        Map<String, Map<String, Object>> scalars = json(where, meta, "optimizer.state_scalars", new TypeReference<>() {});
        Map<Integer, Map<String, Object>> state = new LinkedHashMap<>();
        scalars.forEach((k, v) -> state.computeIfAbsent(paramIndex(where, "optimizer.state_scalars key", k), i -> new LinkedHashMap<>()).putAll(v));
        all.forEach((k, v) -> {
            if (!k.startsWith("optimizer.state.")) return;
            String rest = k.substring("optimizer.state.".length());
            int dot = rest.indexOf('.');
            if (dot < 0) throw new IllegalArgumentException(where + ": tensor '" + k + "' should be optimizer.state.<index>.<name>");
            state.computeIfAbsent(paramIndex(where, "tensor '" + k + "'", rest.substring(0, dot)), i -> new LinkedHashMap<>())
                    .put(rest.substring(dot + 1), v);
        });
        for (Map<String, Object> g : groups) {
            if (g == null || !(g.get("params") instanceof List<?> params)) {
                throw new IllegalArgumentException(where + ": metadata 'optimizer.param_groups' has a group without a params list: " + g);
            }
            g.put("params", new ArrayList<>(params));
        }
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("state", state);
        sd.put("param_groups", groups);
        return sd;
    }

    private static int paramIndex(String where, String what, String index) {
        try {
            return Integer.parseInt(index);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": " + what + " has parameter index '" + index + "', expected an integer");
        }
    }

    private static <T> T json(String where, Map<String, String> meta, String key, TypeReference<T> type) {
        String text = meta.get(key);
        if (text == null) throw new IllegalArgumentException(where + ": metadata '" + key + "' is missing");
        try {
            T value = JSON.readValue(text, type);
            if (value == null) throw new IllegalArgumentException(where + ": metadata '" + key + "' is null");
            return value;
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": metadata '" + key + "' is not the JSON Checkpoint.save writes: "
                    + e.getMessage(), e);
        }
    }
}
