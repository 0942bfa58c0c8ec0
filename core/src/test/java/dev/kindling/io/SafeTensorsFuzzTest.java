package dev.kindling.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.FuzzTally;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded fuzzing of the safetensors reader: valid files are mutated at the byte level and at the
 * JSON level, and every result must either load (exactly when an independent checker of the
 * format, {@link Spec}, calls it valid, with the values the bytes say) or be rejected with an
 * {@link IllegalArgumentException} or {@link IOException}. Anything else fails the test.
 */
class SafeTensorsFuzzTest {
    private static final int INPUTS = 3_600;
    private static final long SEED = 0x5AFE_7E45L;

    @TempDir
    Path dir;

    @Test
    void mutatedFilesLoadExactlyWhenTheSpecAllowsThem() throws IOException {
        List<byte[]> seeds = List.of(seedFile("all", true), seedFile("small", false));
        Random rng = new Random(SEED);
        List<Mutation> mutations = mutations();
        FuzzTally tally = new FuzzTally("safetensors");
        Path target = dir.resolve("model.safetensors");
        for (int i = 0; i < INPUTS; i++) {
            Mutation m = mutations.get(i % mutations.size());
            byte[] input = m.apply().apply(seeds.get(rng.nextInt(seeds.size())), rng);
            Files.write(target, input);
            String why = Spec.violation(input);
            String label = "input " + i + " (" + m.name() + ", seed " + SEED + ")";
            Map<String, Tensor> loaded;
            try {
                loaded = SafeTensors.load(target);
            } catch (IllegalArgumentException | IOException e) {
                assertTrue(e.getMessage() != null && e.getMessage().contains(target.toString()),
                        label + ": the message should name the file: " + e.getMessage());
                if (why == null) fail(label + ": a valid file was rejected: " + e.getMessage());
                tally.rejected(m.name());
                continue;
            } catch (Throwable t) {
                throw new AssertionError(label + ": only IllegalArgumentException or IOException may leave the reader", t);
            }
            if (why != null) fail(label + ": a malformed file loaded; the spec check says: " + why);
            assertValuesAreTheBytes(label, input, loaded);
            tally.loaded(m.name());
        }
        tally.assertBothOutcomes(INPUTS, "data");
        tally.reportIfAsked();
    }

    /** A file with every dtype (bool included), a scalar, an empty tensor and metadata; or a small plain one. */
    private byte[] seedFile(String name, boolean everything) throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("w", Tensors.randn(new Generator(3), 2, 3));
        if (everything) {
            t.put("f64", Tensors.randn(new Generator(4), DType.FLOAT64, 3));
            t.put("i64", Tensors.tensor(-5L, 7L));
            t.put("i32", Tensors.fromArray(new int[] {-7, 8, 9}));
            t.put("u8", Tensors.fromArray(new byte[] {0, (byte) 200, 17}, DType.UINT8));
            t.put("flags", Tensors.tensor(true, false, true, true));
            t.put("scalar", Tensors.scalar(2.5));
            t.put("empty", Tensors.zeros(0, 3));
        }
        t.put("b", Tensors.randn(new Generator(5), 4));
        Path p = dir.resolve(name + ".safetensors");
        SafeTensors.save(t, p, everything ? Map.of("format", "pt", "note", "fuzz") : Map.of());
        byte[] bytes = Files.readAllBytes(p);
        return everything ? withHalfTensors(bytes) : bytes;
    }

    /** Kindling never writes F16/BF16, but reads them: add one of each by rewriting the header. */
    private static byte[] withHalfTensors(byte[] file) {
        Parts p = Parts.of(file);
        ObjectNode header = p.header();
        long end = p.data().length;
        ObjectNode h = header.putObject("half");
        h.put("dtype", "F16");
        h.putArray("shape").add(3);
        h.putArray("data_offsets").add(end).add(end + 6);
        ObjectNode b = header.putObject("brain");
        b.put("dtype", "BF16");
        b.putArray("shape").add(2);
        b.putArray("data_offsets").add(end + 6).add(end + 10);
        byte[] data = Arrays.copyOf(p.data(), p.data().length + 10);
        short[] halves = {Float.floatToFloat16(1.5f), Float.floatToFloat16(-0.25f), Float.floatToFloat16(65504f),
            (short) (Float.floatToIntBits(3.0f) >>> 16), (short) (Float.floatToIntBits(-1e20f) >>> 16)};
        ByteBuffer.wrap(data, (int) end, 10).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(halves);
        return Parts.assemble(header.toString().getBytes(StandardCharsets.UTF_8), data, true);
    }

    private record Mutation(String name, BiFunction<byte[], Random, byte[]> apply) {}

    private static List<Mutation> mutations() {
        List<Mutation> m = new ArrayList<>();
        m.add(new Mutation("bit flip", (f, r) -> {
            byte[] c = f.clone();
            int at = r.nextBoolean() ? r.nextInt(Math.min(c.length, 8 + Parts.headerLength(f))) : r.nextInt(c.length);
            c[at] ^= (byte) (1 << r.nextInt(8));
            return c;
        }));
        m.add(new Mutation("byte set", (f, r) -> {
            byte[] c = f.clone();
            c[r.nextInt(c.length)] = (byte) r.nextInt(256);
            return c;
        }));
        m.add(new Mutation("truncate", (f, r) -> Arrays.copyOf(f, r.nextInt(f.length))));
        m.add(new Mutation("header length +-k", (f, r) -> {
            byte[] c = f.clone();
            int k = r.nextInt(4) + 1;
            ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Parts.headerLength(f) + (r.nextBoolean() ? k : -k));
            return c;
        }));
        m.add(new Mutation("header length high bits", (f, r) -> {
            byte[] c = f.clone();
            c[1 + r.nextInt(7)] = (byte) (1 + r.nextInt(255));
            return c;
        }));
        m.add(new Mutation("insert bytes", (f, r) -> {
            int at = r.nextInt(f.length + 1);
            byte[] extra = new byte[1 + r.nextInt(8)];
            r.nextBytes(extra);
            byte[] c = new byte[f.length + extra.length];
            System.arraycopy(f, 0, c, 0, at);
            System.arraycopy(extra, 0, c, at, extra.length);
            System.arraycopy(f, at, c, at + extra.length, f.length - at);
            return c;
        }));
        m.add(new Mutation("remove bytes", (f, r) -> {
            int at = r.nextInt(f.length);
            int n = Math.min(f.length - at, 1 + r.nextInt(8));
            byte[] c = new byte[f.length - n];
            System.arraycopy(f, 0, c, 0, at);
            System.arraycopy(f, at + n, c, at, f.length - at - n);
            return c;
        }));
        m.add(new Mutation("trailing bytes", (f, r) -> Arrays.copyOf(f, f.length + 1 + r.nextInt(16))));
        m.add(new Mutation("shape edit", (f, r) -> Parts.of(f).editTensor(r, (t, rr) -> {
            ArrayNode shape = (ArrayNode) t.get("shape");
            JsonNodeFactory j = JsonNodeFactory.instance;
            int dim = shape.isEmpty() ? 0 : rr.nextInt(shape.size());
            switch (rr.nextInt(8)) {
                case 0 -> { if (!shape.isEmpty()) shape.set(dim, j.numberNode(shape.get(dim).asDouble() + 0.9)); }
                case 1 -> { if (!shape.isEmpty()) shape.set(dim, j.numberNode(-1)); }
                case 2 -> { if (!shape.isEmpty()) shape.set(dim, j.textNode(shape.get(dim).asText())); }
                case 3 -> { if (!shape.isEmpty()) shape.set(dim, j.numberNode(shape.get(dim).asLong() + 1)); }
                case 4 -> shape.add(1);
                case 5 -> shape.add(rr.nextInt(3));
                case 6 -> { if (!shape.isEmpty()) shape.remove(dim); }
                default -> { if (!shape.isEmpty()) shape.set(dim, j.numberNode(Long.MAX_VALUE / 3)); }
            }
        })));
        m.add(new Mutation("offset edit", (f, r) -> Parts.of(f).editTensor(r, (t, rr) -> {
            ArrayNode offs = (ArrayNode) t.get("data_offsets");
            JsonNodeFactory j = JsonNodeFactory.instance;
            int which = rr.nextInt(2);
            switch (rr.nextInt(6)) {
                case 0 -> offs.set(which, j.numberNode(offs.get(which).asLong() + (rr.nextBoolean() ? 1 : -1)));
                case 1 -> { JsonNode a = offs.get(0); offs.set(0, offs.get(1)); offs.set(1, a); }
                case 2 -> offs.add(offs.get(1).asLong());
                case 3 -> offs.set(which, j.textNode(offs.get(which).asText()));
                case 4 -> offs.set(which, j.numberNode(offs.get(which).asLong() + 0.5));
                default -> { offs.set(0, j.numberNode(offs.get(0).asLong() + 4)); offs.set(1, j.numberNode(offs.get(1).asLong() + 4)); }
            }
        })));
        m.add(new Mutation("dtype edit", (f, r) -> Parts.of(f).editTensor(r, (t, rr) -> {
            String[] codes = {"F64", "F32", "F16", "BF16", "I64", "I32", "U8", "BOOL", "I8", "C64", "f32", ""};
            t.put("dtype", codes[rr.nextInt(codes.length)]);
        })));
        m.add(new Mutation("field edit", (f, r) -> Parts.of(f).editTensor(r, (t, rr) -> {
            switch (rr.nextInt(4)) {
                case 0 -> t.put("extra", 1);
                case 1 -> t.remove(List.of("dtype", "shape", "data_offsets").get(rr.nextInt(3)));
                case 2 -> t.putNull("shape");
                default -> t.put("dtype", 32);
            }
        })));
        m.add(new Mutation("metadata edit", (f, r) -> {
            Parts p = Parts.of(f);
            JsonNodeFactory j = JsonNodeFactory.instance;
            switch (r.nextInt(5)) {
                case 0 -> p.header().putObject("__metadata__").put("step", 3);
                case 1 -> p.header().putArray("__metadata__").add("x");
                case 2 -> p.header().putNull("__metadata__");
                case 3 -> p.header().putObject("__metadata__").put("ok", "fine");
                default -> p.header().set("__metadata__", j.textNode("flat"));
            }
            return p.reassemble(r.nextBoolean());
        }));
        m.add(new Mutation("swap offsets", (f, r) -> Parts.of(f).swapTwoTensorsOffsets(r)));
        m.add(new Mutation("json text", (f, r) -> {
            Parts p = Parts.of(f);
            String text = p.header().toString();
            String[] edits = {"\"w\":{", "\"w\":{\"dtype\":\"F32\",\"shape\":[6],\"data_offsets\":[0,24]},\"w\":{",
                "[", "{\"a\":1}", "}", ",", "\"b\"", " ", "\u00e9", "\n"};
            int at = 1 + r.nextInt(text.length() - 1);
            String mutated = r.nextBoolean() ? text.substring(0, at) + edits[r.nextInt(edits.length)] + text.substring(at)
                    : text.replaceFirst("\"w\":\\{", "\"w\":{\"dtype\":\"F32\",\"shape\":[6],\"data_offsets\":[0,24]},\"w\":{");
            byte[] header = mutated.getBytes(StandardCharsets.UTF_8);
            if (r.nextInt(4) == 0) header[r.nextInt(header.length)] = (byte) (0x80 + r.nextInt(64));
            return Parts.assemble(header, p.data(), r.nextBoolean());
        }));
        m.add(new Mutation("data", (f, r) -> {
            byte[] c = f.clone();
            int start = 8 + Parts.headerLength(f);
            for (int k = 0; k < 1 + r.nextInt(4); k++) c[start + r.nextInt(c.length - start)] = (byte) r.nextInt(256);
            return c;
        }));
        return m;
    }

    /** Loaded tensors hold exactly the bytes the header points at (halves widened to float32). */
    private static void assertValuesAreTheBytes(String label, byte[] file, Map<String, Tensor> loaded) {
        Parts p = Parts.of(file);
        Iterator<Map.Entry<String, JsonNode>> it = p.header().fields();
        List<String> names = new ArrayList<>();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) continue;
            names.add(e.getKey());
            JsonNode t = e.getValue();
            Tensor x = loaded.get(e.getKey());
            int[] shape = new int[t.get("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = t.get("shape").get(i).intValue();
            assertArrayEquals(shape, x.shape(), label + " " + e.getKey());
            int begin = t.get("data_offsets").get(0).intValue();
            int end = t.get("data_offsets").get(1).intValue();
            byte[] expected = Arrays.copyOfRange(p.data(), begin, end);
            String dtype = t.get("dtype").textValue();
            if (dtype.equals("F16") || dtype.equals("BF16")) {
                float[] got = x.toFloatArray();
                ByteBuffer b = ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < got.length; i++) {
                    short bits = b.getShort(2 * i);
                    float want = dtype.equals("F16") ? Float.float16ToFloat(bits) : Float.intBitsToFloat((bits & 0xFFFF) << 16);
                    assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got[i]), label + " " + e.getKey() + "[" + i + "]");
                }
            } else {
                assertEquals(dtype, SafeTensorsFile.codeOf(x.dtype()), label + " " + e.getKey());
                assertArrayEquals(expected, x.contiguous().dataSegment().toArray(ValueLayout.JAVA_BYTE), label + " " + e.getKey());
            }
        }
        assertEquals(names, List.copyOf(loaded.keySet()), label);
    }

    /** A file split into header JSON and data bytes, for JSON-level mutations that keep the framing right. */
    private record Parts(ObjectNode header, byte[] data) {
        private static final JsonMapper LENIENT = new JsonMapper();

        static int headerLength(byte[] f) {
            return (int) ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        }

        static Parts of(byte[] f) {
            int n = headerLength(f);
            try {
                ObjectNode h = (ObjectNode) LENIENT.readTree(new String(f, 8, n, StandardCharsets.UTF_8));
                return new Parts(h, Arrays.copyOfRange(f, 8 + n, f.length));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        byte[] editTensor(Random r, BiConsumer<ObjectNode, Random> edit) {
            List<String> names = tensorNames();
            edit.accept((ObjectNode) header.get(names.get(r.nextInt(names.size()))), r);
            return reassemble(r.nextBoolean());
        }

        byte[] swapTwoTensorsOffsets(Random r) {
            List<String> names = tensorNames();
            ObjectNode a = (ObjectNode) header.get(names.get(r.nextInt(names.size())));
            ObjectNode b = (ObjectNode) header.get(names.get(r.nextInt(names.size())));
            JsonNode offs = a.get("data_offsets");
            a.set("data_offsets", b.get("data_offsets"));
            b.set("data_offsets", offs);
            return reassemble(r.nextBoolean());
        }

        private List<String> tensorNames() {
            List<String> names = new ArrayList<>();
            header.fieldNames().forEachRemaining(k -> {
                if (!k.equals("__metadata__")) names.add(k);
            });
            return names;
        }

        byte[] reassemble(boolean pad) {
            return assemble(header.toString().getBytes(StandardCharsets.UTF_8), data, pad);
        }

        static byte[] assemble(byte[] header, byte[] data, boolean pad) {
            int n = pad ? (header.length + 7) / 8 * 8 : header.length;
            ByteBuffer b = ByteBuffer.allocate(8 + n + data.length).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(n).put(header);
            for (int i = header.length; i < n; i++) b.put((byte) ' ');
            return b.put(data).array();
        }
    }

    /**
     * The safetensors format, checked independently of the reader: returns why {@code file} is
     * malformed, or null when it is valid (and loadable by Kindling: known dtypes, int-sized shapes).
     */
    static final class Spec {
        private static final JsonMapper STRICT = JsonMapper.builder()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
        private static final Map<String, Integer> SIZES = Map.of("F64", 8, "F32", 4, "F16", 2, "BF16", 2,
                "I64", 8, "I32", 4, "U8", 1, "BOOL", 1);

        static String violation(byte[] file) {
            if (file.length < 8) return "shorter than the length prefix";
            long n = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            if (n < 0 || n > 100_000_000L || n > file.length - 8L) return "header length " + n;
            byte[] header = Arrays.copyOfRange(file, 8, 8 + (int) n);
            if (header.length == 0 || header[0] != '{') return "header does not start with {";
            JsonNode root;
            try {
                String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(header)).toString();
                root = STRICT.readTree(text);
            } catch (CharacterCodingException e) {
                return "not UTF-8";
            } catch (IOException e) {
                return "not JSON: " + e.getMessage();
            }
            if (!root.isObject()) return "not an object";
            long dataLength = file.length - 8L - n;
            List<long[]> spans = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode v = f.getValue();
                if (f.getKey().equals("__metadata__")) {
                    if (!v.isObject()) return "metadata not an object";
                    for (JsonNode s : v) if (!s.isTextual()) return "metadata value not a string";
                    continue;
                }
                if (!v.isObject() || v.size() != 3 || !v.has("dtype") || !v.has("shape") || !v.has("data_offsets")) {
                    return f.getKey() + ": not exactly {dtype, shape, data_offsets}";
                }
                JsonNode dtype = v.get("dtype");
                if (!dtype.isTextual() || !SIZES.containsKey(dtype.textValue())) return f.getKey() + ": dtype " + dtype;
                JsonNode shape = v.get("shape");
                if (!shape.isArray()) return f.getKey() + ": shape not a list";
                long elements = 1;
                for (JsonNode d : shape) {
                    if (!d.isInt() || d.intValue() < 0) return f.getKey() + ": dim " + d;
                    elements = Math.min(elements * d.intValue(), 1L << 40); // beyond any test file either way
                }
                JsonNode offs = v.get("data_offsets");
                if (!offs.isArray() || offs.size() != 2) return f.getKey() + ": offsets not a pair";
                for (JsonNode o : offs) if (!o.isIntegralNumber() || !o.canConvertToLong() || o.longValue() < 0) return f.getKey() + ": offset " + o;
                long begin = offs.get(0).longValue();
                long end = offs.get(1).longValue();
                if (end < begin || end - begin != elements * SIZES.get(dtype.textValue())) return f.getKey() + ": span vs shape";
                if (dtype.textValue().equals("BOOL")) {
                    for (long i = begin; i < Math.min(end, dataLength); i++) {
                        byte b = file[(int) (8 + n + i)];
                        if (b != 0 && b != 1) return f.getKey() + ": bool byte " + b;
                    }
                }
                spans.add(new long[] {begin, end});
            }
            spans.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
            long at = 0;
            for (long[] s : spans) {
                if (s[0] != at) return "span starts at " + s[0] + ", expected " + at;
                at = s[1];
            }
            return at == dataLength ? null : "spans cover " + at + " of " + dataLength + " data bytes";
        }
    }
}
