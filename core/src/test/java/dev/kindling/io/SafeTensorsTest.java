package dev.kindling.io;

import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.Adam;
import dev.kindling.optim.StepLR;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.kindling.tensor.TestSupport.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTensorsTest {
    @TempDir
    Path dir;

    @Test
    void everyDtypeRoundTrips() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("f32", Tensors.randn(new Generator(1), 3, 4));
        t.put("f64", Tensors.randn(new Generator(2), DType.FLOAT64, 5));
        t.put("i64", Tensors.tensor(Long.MIN_VALUE, 0L, Long.MAX_VALUE));
        t.put("i32", Tensors.fromArray(new int[] {-7, 8}));
        t.put("u8", Tensors.fromArray(new byte[] {0, (byte) 255}, DType.UINT8));
        t.put("bool", Tensors.tensor(true, false, true));
        t.put("scalar", Tensors.scalar(2.5));
        t.put("empty", Tensors.zeros(0, 3));
        t.put("transposed", Tensors.arange(0, 6, 1.0, DType.FLOAT32).view(2, 3).t());
        Path f = dir.resolve("all.safetensors");
        SafeTensors.save(t, f, Map.of("author", "kindling"));
        Map<String, Tensor> back = SafeTensors.load(f);
        assertEquals(List.copyOf(t.keySet()), List.copyOf(back.keySet()));
        for (String k : t.keySet()) {
            assertEquals(t.get(k).dtype(), back.get(k).dtype(), k);
            assertArrayEquals(t.get(k).shape(), back.get(k).shape(), k);
            assertArrayEquals(t.get(k).toDoubleArray(), back.get(k).toDoubleArray(), k);
        }
        try (SafeTensorsFile sf = SafeTensors.open(f)) {
            assertEquals("kindling", sf.metadata().get("author"));
        }
        // Data starts 8-byte aligned; the header is JSON with PyTorch's dtype codes.
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.contains("\"i64\":{\"dtype\":\"I64\",\"shape\":[3],\"data_offsets\":["), header);
    }

    @Test
    void readsPyTorchsFileAndWritesAnEquivalentOne() throws IOException {
        Path ref = Path.of(System.getProperty("kindling.shared", "../../shared"), "reference", "digits_mlp_sgd_init.safetensors");
        Map<String, Tensor> t = SafeTensors.load(ref);
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(t.keySet()));
        assertArrayEquals(new int[] {32, 64}, t.get("0.weight").shape());
        Sequential model = new Sequential(new Linear(64, 32), new ReLU(), new Linear(32, 10));
        model.loadStateDict(t, true);
        Path out = dir.resolve("model.safetensors");
        Checkpoint.saveModel(model, out);
        Map<String, Tensor> again = SafeTensors.load(out);
        for (String k : t.keySet()) assertArrayEquals(t.get(k).toFloatArray(), again.get(k).toFloatArray(), k);
    }

    @Test
    void mappedViewsShareTheFileAndFailAfterClose() throws IOException {
        Path f = dir.resolve("big.safetensors");
        SafeTensors.save(Map.of("x", Tensors.arange(0, 1000, 1.0, DType.FLOAT32)), f);
        SafeTensorsFile sf = SafeTensors.open(f);
        Tensor x = sf.tensor("x");
        assertFalse(x.storage().isArrayBacked(), "a view of the mapping, not a copy");
        assertEquals(499500.0, x.sum().item());
        sf.close();
        assertThrows(IllegalStateException.class, x::sum);
    }

    private Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    @Test
    void corruptFilesGiveClearErrors() throws IOException {
        Path shortFile = write("short", new byte[] {1, 2, 3});
        byte[] huge = new byte[16];
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(5L << 30);
        Path hugeHeader = write("huge", huge);
        byte[] past = file("{}", 0);
        ByteBuffer.wrap(past).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1000);
        Path pastEnd = write("past", past);
        Path badJson = write("json", file("{not json", 0));
        Path badDtype = write("dtype", file("{\"a\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8));
        Path outOfRange = write("range", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8));
        Path wrongSpan = write("span", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8));
        Path overlap = write("overlap", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12));
        assertBadInput(() -> load(shortFile), "truncated");
        assertBadInput(() -> load(hugeHeader), "header length 5368709120 is invalid");
        assertBadInput(() -> load(pastEnd), "goes past the end");
        assertBadInput(() -> load(badJson), "not valid JSON");
        assertBadInput(() -> load(badDtype), "unknown dtype 'C64'", "'a'");
        assertBadInput(() -> load(outOfRange), "outside the data section");
        assertBadInput(() -> load(wrongSpan), "needs 12 bytes");
        assertBadInput(() -> load(overlap), "overlap");
    }

    @Test
    void theFormatIsFollowedStrictly() throws IOException {
        String w = "\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}";
        Path good = write("good.safetensors", file("{" + w + "}", 16));
        assertEquals(4, SafeTensors.load(good).get("w").numel());
        byte[] longer = file("{" + w + "}", 16);
        ByteBuffer.wrap(longer).order(ByteOrder.LITTLE_ENDIAN).putLong(0, longer.length - 8 - 16 + 1);
        Path offByOne = write("offbyone.safetensors", longer);
        Path trailing = write("trailing.safetensors", file("{" + w + "}", 17));
        Path gap = write("gap.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[4,20]}}", 20));
        Path fractional = write("frac.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2.9,2],\"data_offsets\":[0,16]}}", 16));
        Path negative = write("neg.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", 0));
        Path text = write("text.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[\"4\"],\"data_offsets\":[0,16]}}", 16));
        Path overflow = write("overflow.safetensors", file("{\"w\":{\"dtype\":\"F64\",\"shape\":[2147483647,2147483647,2147483647],"
                + "\"data_offsets\":[0,8]}}", 8));
        Path shortSpan = write("model.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", 12));
        byte[] bools = file("{\"b\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[0,3]}}", 3);
        bools[bools.length - 2] = 9;
        Path nine = write("bool9.safetensors", bools);
        bools[bools.length - 2] = (byte) 255;
        Path all = write("bool255.safetensors", bools);
        Path meta = write("meta.safetensors", file("{\"__metadata__\":{\"step\":3}," + w + "}", 16));
        Path extra = write("extra.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16],\"x\":1}}", 16));
        Path twice = write("twice.safetensors", file("{" + w + "," + w + "}", 16));

        assertBadInput(() -> load(offByOne), offByOne.toString(), "header is not valid JSON");
        assertBadInput(() -> load(trailing), trailing.toString(), "cover 16 bytes but the data section after the header has 17");
        assertBadInput(() -> load(gap), "tensor 'w' data_offsets begin at 4", "a gap of 4 bytes");
        assertBadInput(() -> load(fractional), "tensor 'w' shape [2.9,2]: dim 0 is 2.9");
        assertBadInput(() -> load(negative), "dim 0 is -1");
        assertBadInput(() -> load(text), "dim 0 is \"4\"");
        assertBadInput(() -> load(overflow), "more than 2147483647 elements");
        assertBadInput(() -> load(shortSpan), shortSpan + ": tensor 'w' data_offsets [0, 12] span 12 bytes but shape [2, 2] F32 needs 16 bytes");
        assertBadInput(() -> load(nine), "tensor 'b' is BOOL but element 1 is byte 9");
        assertBadInput(() -> load(all), "element 1 is byte 255");
        assertBadInput(() -> load(meta), "__metadata__ 'step' must be a string");
        assertBadInput(() -> load(extra), "unknown field 'x'");
        assertBadInput(() -> load(twice), "header is not valid JSON", "Duplicate field 'w'");
    }

    @Test
    void checkpointMetadataThatDoesNotParseNamesTheFileAndEntry() throws IOException {
        Sequential m = new Sequential(new Linear(2, 1));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> tensors.put("model." + k, v));
        Path badStep = dir.resolve("step.safetensors");
        SafeTensors.save(tensors, badStep, Map.of("format", "kindling-checkpoint-1", "step", "three"));
        Path badGroups = dir.resolve("groups.safetensors");
        SafeTensors.save(tensors, badGroups, Map.of("format", "kindling-checkpoint-1", "optimizer.class", Adam.class.getName(),
                "optimizer.param_groups", "[{\"lr\":1}]", "optimizer.state_scalars", "{}"));
        Path badScalars = dir.resolve("scalars.safetensors");
        SafeTensors.save(tensors, badScalars, Map.of("format", "kindling-checkpoint-1", "optimizer.class", Adam.class.getName(),
                "optimizer.param_groups", "[]", "optimizer.state_scalars", "{\"x\":{}}"));
        Adam opt = new Adam(m.parameters(), 0.1);
        assertBadInput(() -> restore(badStep, m, null), "checkpoint " + badStep + ": metadata 'step' is 'three'");
        assertBadInput(() -> restore(badGroups, m, opt), "checkpoint " + badGroups + ": metadata 'optimizer.param_groups' has a group without a params list");
        assertBadInput(() -> restore(badScalars, m, opt), "optimizer.state_scalars key has parameter index 'x'");
    }

    private static void restore(Path p, Sequential m, Adam opt) {
        try {
            Checkpoint.restore(p, m, opt, null);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static void load(Path p) {
        try {
            SafeTensors.load(p);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void checkpointRestoresModelOptimizerSchedulerAndStep() throws IOException {
        Generator.seedDefault(5);
        Sequential m = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 1));
        Adam opt = new Adam(m.parameters(), 0.01);
        StepLR sched = new StepLR(opt, 2, 0.5);
        Tensor x = Tensors.randn(new Generator(6), 10, 3);
        for (int i = 0; i < 3; i++) {
            opt.zeroGrad();
            m.forward(x).square().mean().backward();
            opt.step();
            sched.step();
        }
        Path f = dir.resolve("ckpt.safetensors");
        Checkpoint.save(f, m, opt, sched, 3, Map.of("note", "test"));
        assertTrue(Files.list(dir).noneMatch(p -> p.toString().endsWith(".tmp")), "no temporary file is left behind");

        Generator.seedDefault(99);
        Sequential m2 = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 1));
        Adam opt2 = new Adam(m2.parameters(), 0.01);
        StepLR sched2 = new StepLR(opt2, 2, 0.5);
        Checkpoint.Restored r = Checkpoint.restore(f, m2, opt2, sched2);
        assertEquals(3, r.step());
        assertEquals("test", r.metadata().get("note"));
        assertEquals(opt.paramGroups().get(0).lr(), opt2.paramGroups().get(0).lr());
        for (int i = 0; i < 2; i++) {
            for (Object[] run : new Object[][] {{m, opt, sched}, {m2, opt2, sched2}}) {
                Sequential mm = (Sequential) run[0];
                Adam oo = (Adam) run[1];
                oo.zeroGrad();
                mm.forward(x).square().mean().backward();
                oo.step();
                ((StepLR) run[2]).step();
            }
        }
        assertTrue(m.stateDict().get("2.weight").equal(m2.stateDict().get("2.weight")), "resumed training matches exactly");
        assertBadInput(() -> {
            try {
                Checkpoint.restore(dir.resolve("model-only.safetensors"), m2, null, null);
            } catch (IOException e) {
                throw new IllegalArgumentException(e);
            }
        });
    }
}
