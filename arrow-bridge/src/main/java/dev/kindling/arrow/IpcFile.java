package dev.kindling.arrow;

import org.apache.arrow.flatbuf.Field;
import org.apache.arrow.flatbuf.Footer;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowFooter;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

import static dev.kindling.arrow.IpcMessage.guard;

/**
 * Reads the record batches of an Arrow IPC file or stream file, checking the framing against the
 * file's size before Arrow sees it. Arrow's own readers trust the file: a corrupt message length
 * becomes a heap array of that length, a corrupt body length an allocation of it, and a failure
 * after the body is allocated leaks it. Here every message and body length must fit in the bytes
 * that remain, every buffer must lie inside its body, every field node must be no longer than the
 * body could describe, compressed buffers are checked by {@link IpcDecompression}, and each batch
 * is read with the allocator's limit set to what that batch can need, so no length in the file
 * can make the reader allocate more than the file justifies. Everything allocated for a batch
 * that fails is released before the {@link IllegalArgumentException} (a malformed file, message
 * naming the byte offset and the field) leaves.
 */
final class IpcFile implements BatchSource {
    static final int MAGIC_LENGTH = 6;
    private static final long SLACK = 1 << 20;
    /** Deeper nesting than any tensor column needs, shallow enough for Arrow's recursive conversion. */
    private static final int MAX_DEPTH = 64;

    private final FileChannel channel;
    private final long end;
    private final BufferAllocator allocator;
    private final VectorSchemaRoot root;
    /** File form: the record batch blocks from the footer; null for a stream. */
    private final List<ArrowBlock> blocks;
    private int nextBlock;
    private long streamPosition;

    private IpcFile(FileChannel channel, long end, BufferAllocator allocator, VectorSchemaRoot root, List<ArrowBlock> blocks,
                    long streamPosition) {
        this.channel = channel;
        this.end = end;
        this.allocator = allocator;
        this.root = root;
        this.blocks = blocks;
        this.streamPosition = streamPosition;
    }

    /**
     * Reads the schema of an IPC file ({@code file} true, magic ARROW1) or stream. On success the
     * result owns {@code channel} and {@code allocator} and closes them; on failure the caller does.
     */
    static IpcFile open(FileChannel channel, BufferAllocator allocator, boolean file) throws IOException {
        long size = channel.size();
        Schema schema;
        List<ArrowBlock> blocks = null;
        long end = size;
        long position = 0;
        if (file) {
            int footerLength = footerLength(channel, size);
            ArrowFooter footer = footer(channel, size, footerLength);
            end = size - MAGIC_LENGTH - 4 - footerLength;
            blocks = footer.getRecordBatches();
            for (int i = 0; i < blocks.size(); i++) checkBlock(blocks.get(i), i, end);
            if (!footer.getDictionaries().isEmpty()) throw dictionariesUnsupported();
            schema = footer.getSchema();
        } else {
            IpcMessage m = IpcMessage.read(channel, 0, size);
            if (m == null || m.type() != MessageHeader.Schema) {
                throw new IllegalArgumentException("the stream's first message is " + (m == null ? "the end of stream" : "a "
                        + typeName(m.type())) + ", expected the Schema");
            }
            schema = guard("schema message", () -> {
                checkFieldTree((org.apache.arrow.flatbuf.Schema) m.message().header(new org.apache.arrow.flatbuf.Schema()), m.bodyStart() - m.position());
                return MessageSerializer.deserializeSchema(m.message());
            });
            position = m.bodyStart() + m.bodyLength();
        }
        VectorSchemaRoot root = guard("schema", () -> VectorSchemaRoot.create(schema, allocator));
        return new IpcFile(channel, end, allocator, root, blocks, position);
    }

    @Override
    public VectorSchemaRoot root() { return root; }

    @Override
    public boolean loadNext() throws IOException {
        IpcMessage m;
        if (blocks != null) {
            if (nextBlock >= blocks.size()) return false;
            ArrowBlock b = blocks.get(nextBlock++);
            m = IpcMessage.read(channel, b.getOffset(), end);
            if (m == null || m.bodyStart() != b.getOffset() + b.getMetadataLength() || m.bodyLength() != b.getBodyLength()) {
                throw new IllegalArgumentException("the message at byte " + b.getOffset() + " does not match its footer block "
                        + "(metadata " + b.getMetadataLength() + " bytes, body " + b.getBodyLength() + " bytes)");
            }
        } else {
            m = IpcMessage.read(channel, streamPosition, end);
            if (m == null) return false;
            streamPosition = m.bodyStart() + m.bodyLength();
        }
        if (m.type() == MessageHeader.DictionaryBatch) throw dictionariesUnsupported();
        if (m.type() != MessageHeader.RecordBatch) {
            throw new IllegalArgumentException("the message at byte " + m.position() + " is a " + typeName(m.type())
                    + ", expected a RecordBatch");
        }
        load(m);
        return true;
    }

    private void load(IpcMessage m) throws IOException {
        RecordBatch fb = guard("record batch at byte " + m.position(), () -> (RecordBatch) m.message().header(new RecordBatch()));
        IpcBatchLoader.checkLayout(fb, m);
        allocator.setLimit(allocator.getAllocatedMemory() + m.bodyLength() + SLACK);
        ArrowBuf body = allocator.buffer(m.bodyLength());
        ArrowRecordBatch batch;
        try {
            readFully(body, m.bodyStart(), m.bodyLength());
            batch = MessageSerializer.deserializeRecordBatch(fb, body); // releases our reference to body
        } catch (IOException e) {
            body.close();
            throw e;
        } catch (RuntimeException e) {
            body.close();
            throw badBatch(m, e);
        }
        long[] lengths;
        byte codec = batch.getBodyCompression().getCodec();
        boolean compressed = codec != NoCompressionCodec.COMPRESSION_TYPE;
        try {
            lengths = compressed ? IpcDecompression.declaredLengths(batch, codec) : batch.getBuffers().stream().mapToLong(ArrowBuf::writerIndex).toArray();
            IpcBatchLoader.checkNodes(batch, root.getSchema(), Arrays.stream(lengths).sum(), m);
        } catch (RuntimeException e) {
            batch.close();
            throw e;
        }
        // Decompressed buffers, and the validity buffers Arrow makes for columns without nulls, need at most as much again.
        allocator.setLimit(allocator.getAllocatedMemory() + 2 * Arrays.stream(lengths).sum() + SLACK);
        ArrowRecordBatch plain = compressed ? IpcDecompression.decompress(batch, codec, lengths, allocator) : batch;
        try {
            IpcBatchLoader.loadInto(root, plain);
        } catch (RuntimeException e) {
            throw badBatch(m, e);
        } finally {
            plain.close();
        }
    }

    private void readFully(ArrowBuf buf, long position, long length) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(length, 1 << 16));
        for (long done = 0; done < length; ) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), length - done));
            int n = channel.read(chunk, position + done);
            if (n < 0) throw new IOException("unexpected end of file at byte " + (position + done) + " (did it shrink?)");
            buf.setBytes(done, chunk.flip());
            done += n;
        }
        buf.writerIndex(length);
    }

    private static ArrowFooter footer(FileChannel ch, long size, int length) throws IOException {
        ByteBuffer fb = IpcMessage.readBytes(ch, size - MAGIC_LENGTH - 4 - length, length);
        return guard("footer", () -> {
            Footer parsed = Footer.getRootAsFooter(fb);
            checkFieldTree(parsed.schema(), length);
            ArrowFooter footer = new ArrowFooter(parsed);
            footer.getSchema().getFields().forEach(f -> f.getChildren()); // parse it all now
            return footer;
        });
    }

    /**
     * Arrow converts a schema's fields recursively, so a children reference that loops back (one
     * corrupt offset) overflows the stack. Each field takes bytes of metadata, so a tree with more
     * fields than {@code metadataBytes}, or deeper than {@value #MAX_DEPTH}, is malformed.
     */
    private static void checkFieldTree(org.apache.arrow.flatbuf.Schema schema, long metadataBytes) {
        if (schema == null) throw new IllegalArgumentException("there is no schema");
        ArrayDeque<Field> pending = new ArrayDeque<>();
        ArrayDeque<Integer> depths = new ArrayDeque<>();
        for (int i = 0; i < schema.fieldsLength(); i++) {
            pending.push(schema.fields(i));
            depths.push(1);
        }
        long seen = 0;
        while (!pending.isEmpty()) {
            Field f = pending.pop();
            int depth = depths.pop();
            if (++seen > metadataBytes || depth > MAX_DEPTH) {
                throw new IllegalArgumentException("the schema's fields nest deeper than " + MAX_DEPTH + " levels or number more than its "
                        + metadataBytes + " bytes of metadata can hold (a children reference that loops?)");
            }
            for (int i = 0; i < f.childrenLength(); i++) {
                pending.push(f.children(i));
                depths.push(depth + 1);
            }
        }
    }

    private static int footerLength(FileChannel ch, long size) throws IOException {
        if (size < 2L * MAGIC_LENGTH + 2 + 4) throw new IllegalArgumentException("file of " + size + " bytes is too short for an Arrow IPC file");
        ByteBuffer tail = IpcMessage.readBytes(ch, size - MAGIC_LENGTH, MAGIC_LENGTH);
        if (!new String(tail.array(), StandardCharsets.US_ASCII).equals("ARROW1")) {
            throw new IllegalArgumentException("the file does not end with the ARROW1 magic (truncated?)");
        }
        int length = IpcMessage.readBytes(ch, size - MAGIC_LENGTH - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        // After the leading magic and its 2 padding bytes, before the length and the trailing magic.
        if (length <= 0 || length > size - 2L * MAGIC_LENGTH - 2 - 4) {
            throw new IllegalArgumentException("footer length " + length + " does not fit in a file of " + size + " bytes");
        }
        return length;
    }

    private static void checkBlock(ArrowBlock b, int index, long end) {
        if (b.getOffset() < MAGIC_LENGTH + 2 || b.getMetadataLength() <= 0 || b.getBodyLength() < 0
                || b.getBodyLength() > end - b.getOffset() - b.getMetadataLength()) {
            throw new IllegalArgumentException("footer block " + index + " (offset " + b.getOffset() + ", metadata " + b.getMetadataLength()
                    + " bytes, body " + b.getBodyLength() + " bytes) does not lie inside the " + end + " bytes before the footer");
        }
    }

    private static String typeName(byte type) {
        return type >= 0 && type < MessageHeader.names.length ? MessageHeader.names[type] : "message of unknown type " + type;
    }

    private static IllegalArgumentException dictionariesUnsupported() {
        return new IllegalArgumentException("dictionary batches are not supported (decode dictionary columns before writing)");
    }

    private static IllegalArgumentException badBatch(IpcMessage m, RuntimeException e) {
        if (e instanceof IllegalArgumentException iae && iae.getMessage() != null && iae.getMessage().startsWith("compressed buffer")) {
            return new IllegalArgumentException("the record batch at byte " + m.position() + ": " + e.getMessage(), e);
        }
        return new IllegalArgumentException("the record batch at byte " + m.position() + " is malformed: " + e, e);
    }

    /** Closes the vectors and the channel and gives the reader's allocator back. */
    @Override
    public void close() throws IOException {
        try {
            root.close();
        } finally {
            try {
                channel.close();
            } finally {
                allocator.close();
            }
        }
    }

}
