package dev.kindling.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the safetensors format (Hugging Face's, also what PyTorch users save state dicts
 * in): an 8-byte little-endian header length, a JSON header of name to {dtype, shape,
 * data_offsets} plus optional {@code __metadata__} strings, then the raw little-endian bytes.
 *
 * <p>Reading validates everything against the file's actual size before mapping any data (see
 * {@link SafeTensorsHeader} for the rules): a truncated file, a header length past the end or above
 * 100 MB, a header that is not strict UTF-8 JSON, an unknown dtype or field, a shape that is not a
 * list of non-negative integers, data_offsets that leave a gap, overlap, or leave trailing bytes,
 * a byte span that does not match the shape, metadata that is not string to string, or a BOOL
 * byte other than 0 or 1, each give an {@link IllegalArgumentException}
 * naming the file and the tensor. Writing goes to a temporary file in the target's directory,
 * which is then renamed over the target, so a crash never leaves half a file.
 */
public final class SafeTensors {
    private SafeTensors() {}

    /** Memory-maps a file; see {@link SafeTensorsFile}. */
    public static SafeTensorsFile open(Path path) throws IOException {
        return SafeTensorsFile.open(path);
    }

    /** Reads every tensor into memory (copies), in header order. */
    public static Map<String, Tensor> load(Path path) throws IOException {
        try (SafeTensorsFile f = open(path)) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (String name : f.names()) out.put(name, f.copy(name));
            return out;
        }
    }

    public static void save(Map<String, Tensor> tensors, Path path) throws IOException {
        save(tensors, path, Map.of());
    }

    /** Writes tensors (any layout, any CPU-reachable device) and metadata, atomically. */
    public static void save(Map<String, Tensor> tensors, Path path, Map<String, String> metadata) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = Channels.newOutputStream(ch);
                write(tensors, metadata, out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Writes tensors and metadata in the safetensors format to out (which stays open): for
     * destinations that are not local files, such as a Hadoop file system's stream.
     */
    public static void write(Map<String, Tensor> tensors, Map<String, String> metadata, OutputStream out) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        Map<String, Tensor> contiguous = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) throw new IllegalArgumentException("safetensors: '__metadata__' is not a valid tensor name");
            Tensor t = e.getValue().detach().to(Device.CPU).contiguous();
            contiguous.put(e.getKey(), t);
            long bytes = (long) t.numel() * t.dtype().itemSize();
            ObjectNode node = header.putObject(e.getKey());
            node.put("dtype", SafeTensorsFile.codeOf(t.dtype()));
            var shape = node.putArray("shape");
            for (int s : t.shape()) shape.add(s);
            var offs = node.putArray("data_offsets");
            offs.add(offset);
            offs.add(offset + bytes);
            offset += bytes;
        }
        byte[] headerBytes = json.writeValueAsBytes(header);
        // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
        int padded = (headerBytes.length + 7) / 8 * 8;
        byte[] head = new byte[padded];
        System.arraycopy(headerBytes, 0, head, 0, headerBytes.length);
        for (int i = headerBytes.length; i < padded; i++) head[i] = ' ';
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, padded).array());
        out.write(head);
        byte[] chunk = new byte[1 << 20];
        MemorySegment chunkSegment = MemorySegment.ofArray(chunk);
        for (Tensor t : contiguous.values()) {
            if (t.numel() == 0) continue;
            // Heap segments of float[] etc. cannot be viewed as byte buffers: copy through a byte chunk
            // (native byte order, which is little-endian on every platform Kindling runs on).
            MemorySegment src = t.dataSegment();
            for (long off = 0; off < src.byteSize(); off += chunk.length) {
                int n = (int) Math.min(chunk.length, src.byteSize() - off);
                MemorySegment.copy(src, off, chunkSegment, 0, n);
                out.write(chunk, 0, n);
            }
        }
    }
}
