package dev.kindling.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Storage;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An open safetensors file, memory-mapped: {@link #tensor(String)} returns a read-only view of the
 * mapped bytes without copying, so a file larger than memory costs only what is touched. Closing
 * the file unmaps it; a view used afterwards throws {@link IllegalStateException} rather than
 * reading freed memory. The header is validated when the file is opened (see {@link SafeTensors}).
 */
public final class SafeTensorsFile implements AutoCloseable {
    /** Headers above this size are rejected, as Hugging Face's reader does (100 MB). */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private final String source;
    private final Arena arena;
    private final MemorySegment data;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    /** Where one tensor lives in the data section. */
    record Entry(String name, String dtype, int[] shape, long begin, long end) {}

    private SafeTensorsFile(String source, Arena arena, MemorySegment data, Map<String, Entry> entries, Map<String, String> metadata) {
        this.source = source;
        this.arena = arena;
        this.data = data;
        this.entries = entries;
        this.metadata = metadata;
    }

    /** Maps and validates a safetensors file. */
    public static SafeTensorsFile open(Path path) throws IOException {
        checkByteOrder();
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return parse(path.toString(), arena, ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena));
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Validates safetensors bytes already in memory (read from a remote file system, say) and
     * copies them off-heap; source names them in every error (a file's path or URI).
     */
    public static SafeTensorsFile of(byte[] bytes, String source) throws IOException {
        checkByteOrder();
        Arena arena = Arena.ofShared();
        try {
            MemorySegment all = arena.allocate(Math.max(1, bytes.length), 8).asSlice(0, bytes.length);
            MemorySegment.copy(MemorySegment.ofArray(bytes), 0, all, 0, bytes.length);
            return parse(source, arena, all);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static void checkByteOrder() throws IOException {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IOException("safetensors needs a little-endian platform to map files without conversion");
        }
    }

    private static SafeTensorsFile parse(String source, Arena arena, MemorySegment all) {
        long size = all.byteSize();
        String where = "safetensors file " + source;
        if (size < 8) throw new IllegalArgumentException(where + ": truncated: " + size + " bytes, expected at least the 8-byte header length");
        long headerLen = all.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (headerLen < 2 || headerLen > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException(where + ": header length " + headerLen + " is invalid (expected 2.."
                    + MAX_HEADER_BYTES + " bytes)");
        }
        if (8 + headerLen > size) {
            throw new IllegalArgumentException(where + ": header length " + headerLen + " goes past the end of the file ("
                    + size + " bytes)");
        }
        byte[] header = all.asSlice(8, headerLen).toArray(ValueLayout.JAVA_BYTE);
        MemorySegment data = all.asSlice(8 + headerLen);
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Entry> entries = parseHeader(where, header, data.byteSize(), metadata);
        return new SafeTensorsFile(source, arena, data, entries, metadata);
    }

    private static Map<String, Entry> parseHeader(String where, byte[] header, long dataSize, Map<String, String> metadata) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(new String(header, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": header is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException(where + ": header must be a JSON object");
        Map<String, Entry> entries = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("__metadata__")) {
                f.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            entries.put(f.getKey(), entry(where, f.getKey(), f.getValue(), dataSize));
        }
        List<Entry> sorted = new ArrayList<>(entries.values());
        sorted.sort((a, b) -> Long.compare(a.begin(), b.begin()));
        for (int i = 1; i < sorted.size(); i++) {
            Entry prev = sorted.get(i - 1);
            Entry cur = sorted.get(i);
            if (cur.begin() < prev.end()) {
                throw new IllegalArgumentException(where + ": tensors '" + prev.name() + "' [" + prev.begin() + ", " + prev.end()
                        + ") and '" + cur.name() + "' [" + cur.begin() + ", " + cur.end() + ") overlap");
            }
        }
        return entries;
    }

    private static Entry entry(String where, String name, JsonNode t, long dataSize) {
        String dtype = t.path("dtype").asText(null);
        if (dtype == null) throw new IllegalArgumentException(where + ": tensor '" + name + "' has no dtype");
        int item = itemSize(dtype);
        if (item < 0) {
            throw new IllegalArgumentException(where + ": tensor '" + name + "' has unknown dtype '" + dtype
                    + "' (expected one of F64, F32, F16, BF16, I64, I32, U8, BOOL)");
        }
        JsonNode shapeNode = t.get("shape");
        JsonNode offsets = t.get("data_offsets");
        if (shapeNode == null || !shapeNode.isArray() || offsets == null || !offsets.isArray() || offsets.size() != 2) {
            throw new IllegalArgumentException(where + ": tensor '" + name + "' needs a shape array and two data_offsets");
        }
        int[] shape = new int[shapeNode.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            long s = shapeNode.get(i).asLong(-1);
            if (s < 0 || s > Integer.MAX_VALUE) throw new IllegalArgumentException(where + ": tensor '" + name + "' has an invalid size " + shapeNode.get(i));
            shape[i] = (int) s;
            numel = Math.multiplyExact(numel, s);
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin || end > dataSize) {
            throw new IllegalArgumentException(where + ": tensor '" + name + "' has data_offsets [" + begin + ", " + end
                    + "] outside the data section of " + dataSize + " bytes");
        }
        if (end - begin != numel * item) {
            throw new IllegalArgumentException(where + ": tensor '" + name + "' of shape " + Shapes.str(shape) + " and dtype " + dtype
                    + " needs " + numel * item + " bytes but data_offsets span " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    static int itemSize(String dtype) {
        return switch (dtype) {
            case "F64", "I64" -> 8;
            case "F32", "I32" -> 4;
            case "F16", "BF16" -> 2;
            case "U8", "BOOL" -> 1;
            default -> -1;
        };
    }

    /** The file's path (or the name the bytes were given), as errors name it. */
    public String source() { return source; }

    /** Tensor names in header order. */
    public List<String> names() { return List.copyOf(entries.keySet()); }

    /** The {@code __metadata__} strings. */
    public Map<String, String> metadata() { return Collections.unmodifiableMap(metadata); }

    public int[] shape(String name) { return entry(name).shape().clone(); }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) throw new IllegalArgumentException("safetensors file " + source + " has no tensor '" + name + "'; it has " + entries.keySet());
        return e;
    }

    /**
     * The tensor as a read-only view of the mapped file (F16 and BF16, which Kindling has no dtype
     * for, are converted to a float32 copy). Valid until the file is closed.
     */
    public Tensor tensor(String name) {
        Entry e = entry(name);
        MemorySegment seg = data.asSlice(e.begin(), e.end() - e.begin());
        return switch (e.dtype()) {
            case "F16", "BF16" -> halfToFloat(seg, e);
            default -> {
                DType dt = dtypeOf(e.dtype());
                Storage s = Storage.ofSegment(seg, dt, this);
                yield Tensor.of(s, e.shape());
            }
        };
    }

    /** A heap copy of the tensor, independent of the file. */
    public Tensor copy(String name) {
        return tensor(name).clone();
    }

    private static Tensor halfToFloat(MemorySegment seg, Entry e) {
        int n = (int) (seg.byteSize() / 2);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            short bits = seg.get(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * i);
            out[i] = e.dtype().equals("F16") ? Float.float16ToFloat(bits) : Float.intBitsToFloat((bits & 0xFFFF) << 16);
        }
        return Tensors.fromArray(out).reshape(e.shape());
    }

    static DType dtypeOf(String code) {
        return switch (code) {
            case "F64" -> DType.FLOAT64;
            case "F32" -> DType.FLOAT32;
            case "I64" -> DType.INT64;
            case "I32" -> DType.INT32;
            case "U8" -> DType.UINT8;
            case "BOOL" -> DType.BOOL;
            default -> throw new IllegalArgumentException("no Kindling dtype for safetensors dtype " + code);
        };
    }

    static String codeOf(DType dtype) {
        return switch (dtype) {
            case FLOAT64 -> "F64";
            case FLOAT32 -> "F32";
            case INT64 -> "I64";
            case INT32 -> "I32";
            case UINT8 -> "U8";
            case BOOL -> "BOOL";
        };
    }

    /** Unmaps the file; views taken from it fail on their next access. */
    @Override
    public void close() { arena.close(); }
}
