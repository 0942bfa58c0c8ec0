package dev.kindling.io;

import dev.kindling.io.SafeTensorsHeader.Entry;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Storage;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
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
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            String where = "safetensors file " + path;
            if (size < 8) throw new IllegalArgumentException(where + ": truncated: " + size + " bytes, expected at least the 8-byte header length");
            long headerLen = readFully(ch, where, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            if (headerLen < 2 || headerLen > MAX_HEADER_BYTES) {
                throw new IllegalArgumentException(where + ": header length " + headerLen + " is invalid (expected 2.."
                        + MAX_HEADER_BYTES + " bytes)");
            }
            if (headerLen > size - 8) {
                throw new IllegalArgumentException(where + ": header length " + headerLen + " goes past the end of the file ("
                        + size + " bytes)");
            }
            // The header is validated against the file's size before anything is mapped.
            byte[] header = readFully(ch, where, 8, (int) headerLen).array();
            SafeTensorsHeader parsed = SafeTensorsHeader.parse(where, header, size - 8 - headerLen);
            Arena arena = Arena.ofShared();
            try {
                MemorySegment data = ch.map(FileChannel.MapMode.READ_ONLY, 8 + headerLen, size - 8 - headerLen, arena);
                for (Entry e : parsed.entries().values()) {
                    if (e.dtype().equals("BOOL")) checkBools(where, e, data);
                }
                return new SafeTensorsFile(path.toString(), arena, data, parsed.entries(), parsed.metadata());
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
        }
    }

    /**
     * Validates safetensors bytes already in memory (read from a remote file system, say) as
     * strictly as {@link #open} and copies their data section off-heap; source names them in every
     * error (a file's path or URI).
     */
    public static SafeTensorsFile of(byte[] bytes, String source) throws IOException {
        checkByteOrder();
        String where = "safetensors file " + source;
        long size = bytes.length;
        if (size < 8) throw new IllegalArgumentException(where + ": truncated: " + size + " bytes, expected at least the 8-byte header length");
        long headerLen = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (headerLen < 2 || headerLen > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException(where + ": header length " + headerLen + " is invalid (expected 2.."
                    + MAX_HEADER_BYTES + " bytes)");
        }
        if (headerLen > size - 8) {
            throw new IllegalArgumentException(where + ": header length " + headerLen + " goes past the end of the file ("
                    + size + " bytes)");
        }
        byte[] header = java.util.Arrays.copyOfRange(bytes, 8, 8 + (int) headerLen);
        long dataSize = size - 8 - headerLen;
        SafeTensorsHeader parsed = SafeTensorsHeader.parse(where, header, dataSize);
        Arena arena = Arena.ofShared();
        try {
            MemorySegment data = arena.allocate(Math.max(1, dataSize), 8).asSlice(0, dataSize);
            MemorySegment.copy(MemorySegment.ofArray(bytes), 8 + headerLen, data, 0, dataSize);
            for (Entry e : parsed.entries().values()) {
                if (e.dtype().equals("BOOL")) checkBools(where, e, data);
            }
            return new SafeTensorsFile(source, arena, data, parsed.entries(), parsed.metadata());
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

    /** The file's path (or the name the bytes were given), as errors name it. */
    public String source() { return source; }

    private static ByteBuffer readFully(FileChannel ch, String where, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                throw new IOException(where + ": unexpected end of file at byte " + (position + buf.position()) + " (did it shrink?)");
            }
        }
        return buf;
    }

    /** A bool is stored as one byte that must be 0 or 1; anything else is corruption, not "true". */
    private static void checkBools(String where, Entry e, MemorySegment data) {
        for (long i = e.begin(); i < e.end(); i++) {
            byte b = data.get(ValueLayout.JAVA_BYTE, i);
            if (b != 0 && b != 1) {
                throw new IllegalArgumentException(where + ": tensor '" + e.name() + "' is BOOL but element " + (i - e.begin())
                        + " is byte " + (b & 0xFF) + " (expected 0 or 1)");
            }
        }
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
