package dev.kindling.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kindling.tensor.Shapes;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed and validated JSON header of a safetensors file. Parsing follows the format strictly,
 * before any tensor byte is read: the header is UTF-8 JSON that starts with an object and ends
 * with nothing but whitespace after it, has no duplicate keys, and maps each tensor name to an
 * object of exactly {@code dtype} (a known code), {@code shape} (a list of non-negative integers)
 * and {@code data_offsets} (two non-negative integers, begin &lt;= end), plus an optional
 * {@code __metadata__} object of string values. The tensors' spans, taken in order of offset,
 * must tile the data section exactly: the first starts at 0, each starts where the previous one
 * ends, the last ends at the end of the file, and each spans product(shape) times the dtype size.
 * A violation is an {@link IllegalArgumentException} naming the file and the field.
 */
record SafeTensorsHeader(Map<String, Entry> entries, Map<String, String> metadata) {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Set<String> TENSOR_KEYS = Set.of("dtype", "shape", "data_offsets");

    /** Where one tensor lives in the data section, in bytes from the data section's start. */
    record Entry(String name, String dtype, int[] shape, long begin, long end) {}

    /** Parses {@code header} for a file whose data section (after the header) has {@code dataSize} bytes. */
    static SafeTensorsHeader parse(String where, byte[] header, long dataSize) {
        JsonNode root = readJson(where, header);
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("__metadata__")) metadata.putAll(metadata(where, f.getValue()));
            else entries.put(f.getKey(), entry(where, f.getKey(), f.getValue()));
        }
        checkTiling(where, entries.values(), dataSize);
        return new SafeTensorsHeader(entries, metadata);
    }

    private static JsonNode readJson(String where, byte[] header) {
        if (header.length == 0 || header[0] != '{') {
            throw new IllegalArgumentException(where + ": header must start with '{' (a JSON object) but starts with byte "
                    + (header.length == 0 ? "none" : String.format("0x%02x", header[0] & 0xFF)));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(header)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(where + ": header is not valid UTF-8: " + e.getMessage());
        }
        try {
            JsonNode root = JSON.readTree(text);
            if (root == null || !root.isObject()) throw new IllegalArgumentException(where + ": header must be a JSON object");
            return root;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": header is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static Map<String, String> metadata(String where, JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": __metadata__ must be an object of strings but is " + node.getNodeType());
        }
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(m -> {
            if (!m.getValue().isTextual()) {
                throw new IllegalArgumentException(where + ": __metadata__ '" + m.getKey() + "' must be a string but is "
                        + m.getValue().getNodeType() + " " + m.getValue());
            }
            out.put(m.getKey(), m.getValue().textValue());
        });
        return out;
    }

    private static Entry entry(String where, String name, JsonNode t) {
        String tensor = where + ": tensor '" + name + "'";
        if (!t.isObject()) throw new IllegalArgumentException(tensor + " must be an object but is " + t.getNodeType());
        t.fieldNames().forEachRemaining(k -> {
            if (!TENSOR_KEYS.contains(k)) {
                throw new IllegalArgumentException(tensor + " has an unknown field '" + k + "' (expected dtype, shape, data_offsets)");
            }
        });
        JsonNode dtypeNode = t.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) throw new IllegalArgumentException(tensor + " needs a string dtype but has " + dtypeNode);
        String dtype = dtypeNode.textValue();
        int item = SafeTensorsFile.itemSize(dtype);
        if (item < 0) {
            throw new IllegalArgumentException(tensor + " has unknown dtype '" + dtype
                    + "' (expected one of F64, F32, F16, BF16, I64, I32, U8, BOOL)");
        }
        int[] shape = shape(tensor, t.get("shape"));
        long[] offsets = offsets(tensor, t.get("data_offsets"));
        long begin = offsets[0];
        long end = offsets[1];
        long needed = byteLength(tensor, shape, dtype, item);
        if (end - begin != needed) {
            throw new IllegalArgumentException(tensor + " data_offsets [" + begin + ", " + end + "] span " + (end - begin)
                    + " bytes but shape " + Shapes.str(shape) + " " + dtype + " needs " + needed + " bytes");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static int[] shape(String tensor, JsonNode node) {
        if (node == null || !node.isArray()) throw new IllegalArgumentException(tensor + " needs a shape list but has " + node);
        int[] shape = new int[node.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode s = node.get(i);
            if (!s.isIntegralNumber() || !s.canConvertToLong() || s.longValue() < 0 || s.longValue() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(tensor + " shape " + node + ": dim " + i + " is " + s
                        + ", expected an integer in 0.." + Integer.MAX_VALUE);
            }
            shape[i] = s.intValue();
        }
        return shape;
    }

    private static long[] offsets(String tensor, JsonNode node) {
        if (node == null || !node.isArray() || node.size() != 2) {
            throw new IllegalArgumentException(tensor + " needs data_offsets [begin, end] but has " + node);
        }
        long[] out = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode o = node.get(i);
            if (!o.isIntegralNumber() || !o.canConvertToLong() || o.longValue() < 0) {
                throw new IllegalArgumentException(tensor + " data_offsets " + node + ": expected two non-negative integers");
            }
            out[i] = o.longValue();
        }
        if (out[1] < out[0]) throw new IllegalArgumentException(tensor + " data_offsets " + node + " end before they begin");
        return out;
    }

    /** product(shape) * item, or an exception when that overflows a long or a Kindling tensor's element count. */
    private static long byteLength(String tensor, int[] shape, String dtype, int item) {
        long numel = 1;
        for (int s : shape) if (s == 0) return 0;
        for (int s : shape) {
            if (numel > Integer.MAX_VALUE / s) {
                throw new IllegalArgumentException(tensor + " shape " + Shapes.str(shape) + " " + dtype + " has more than "
                        + Integer.MAX_VALUE + " elements, more than a tensor holds");
            }
            numel *= s;
        }
        return numel * item;
    }

    /** The spans, sorted by offset, must tile [0, dataSize) with no gap, overlap or trailing byte. */
    private static void checkTiling(String where, Iterable<Entry> entries, long dataSize) {
        List<Entry> sorted = new ArrayList<>();
        entries.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        Entry prev = null;
        for (Entry e : sorted) {
            if (e.begin() < expected) {
                throw new IllegalArgumentException(where + ": tensors '" + prev.name() + "' [" + prev.begin() + ", " + prev.end()
                        + ") and '" + e.name() + "' [" + e.begin() + ", " + e.end() + ") overlap");
            }
            if (e.begin() > expected) {
                throw new IllegalArgumentException(where + ": tensor '" + e.name() + "' data_offsets begin at " + e.begin()
                        + " but the previous tensor" + (prev == null ? "s end" : " '" + prev.name() + "' ends") + " at " + expected
                        + " (a gap of " + (e.begin() - expected) + " bytes)");
            }
            if (e.end() > dataSize) {
                throw new IllegalArgumentException(where + ": tensor '" + e.name() + "' data_offsets [" + e.begin() + ", " + e.end()
                        + "] go outside the data section of " + dataSize + " bytes");
            }
            expected = e.end();
            prev = e;
        }
        if (expected != dataSize) {
            throw new IllegalArgumentException(where + ": the tensors cover " + expected + " bytes but the data section after the "
                    + "header has " + dataSize + " (" + (dataSize - expected) + " trailing bytes; is the header length right?)");
        }
    }
}
