package dev.kindling.arrow;

import org.apache.arrow.flatbuf.Footer;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseVariableWidthViewVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowFooter;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.ValueVectorUtility;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

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

    /** Reads the schema of an IPC file ({@code file} true, magic ARROW1) or stream; takes ownership of {@code channel} and {@code allocator}. */
    static IpcFile open(FileChannel channel, BufferAllocator allocator, boolean file) throws IOException {
        long size = channel.size();
        Schema schema;
        List<ArrowBlock> blocks = null;
        long end = size;
        long position = 0;
        if (file) {
            ArrowFooter footer = footer(channel, size);
            end = size - MAGIC_LENGTH - 4 - footerLength(channel, size);
            blocks = footer.getRecordBatches();
            for (int i = 0; i < blocks.size(); i++) checkBlock(blocks.get(i), i, end);
            if (!footer.getDictionaries().isEmpty()) throw dictionariesUnsupported();
            schema = footer.getSchema();
        } else {
            MessageAt m = MessageAt.read(channel, 0, size);
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
        MessageAt m;
        if (blocks != null) {
            if (nextBlock >= blocks.size()) return false;
            ArrowBlock b = blocks.get(nextBlock++);
            m = MessageAt.read(channel, b.getOffset(), end);
            if (m == null || m.bodyStart() != b.getOffset() + b.getMetadataLength() || m.bodyLength() != b.getBodyLength()) {
                throw new IllegalArgumentException("the message at byte " + b.getOffset() + " does not match its footer block "
                        + "(metadata " + b.getMetadataLength() + " bytes, body " + b.getBodyLength() + " bytes)");
            }
        } else {
            m = MessageAt.read(channel, streamPosition, end);
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

    private void load(MessageAt m) throws IOException {
        RecordBatch fb = guard("record batch at byte " + m.position(), () -> (RecordBatch) m.message().header(new RecordBatch()));
        checkLayout(fb, m);
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
        boolean compressed = codec != NoCompression.CODEC;
        try {
            lengths = compressed ? IpcDecompression.declaredLengths(batch, codec) : batch.getBuffers().stream().mapToLong(ArrowBuf::writerIndex).toArray();
            checkNodes(batch, root.getSchema(), java.util.Arrays.stream(lengths).sum(), m);
        } catch (RuntimeException e) {
            batch.close();
            throw e;
        }
        // Decompressed buffers, and the validity buffers Arrow makes for columns without nulls, need at most as much again.
        allocator.setLimit(allocator.getAllocatedMemory() + 2 * java.util.Arrays.stream(lengths).sum() + SLACK);
        ArrowRecordBatch plain = compressed ? IpcDecompression.decompress(batch, codec, lengths, allocator) : batch;
        try {
            loadInto(plain);
        } catch (RuntimeException e) {
            throw badBatch(m, e);
        } finally {
            plain.close();
        }
    }

    /**
     * Loads the (uncompressed) buffers into the vectors as Arrow's VectorLoader does, but checks
     * every vector's buffers against its length before setting the row count: Arrow would grow a
     * too-small buffer there, and leak the new one when the copy into it fails.
     */
    private void loadInto(ArrowRecordBatch batch) {
        Iterator<ArrowBuf> buffers = batch.getBuffers().iterator();
        Iterator<ArrowFieldNode> nodes = batch.getNodes().iterator();
        for (FieldVector v : root.getFieldVectors()) loadVector(v, buffers, nodes);
        if (nodes.hasNext() || buffers.hasNext()) {
            throw new IllegalArgumentException("it has more field nodes or buffers than the schema's fields use");
        }
        for (FieldVector v : root.getFieldVectors()) {
            validate(v);
            if (v.getValueCount() != batch.getLength()) {
                throw new IllegalArgumentException("column '" + v.getName() + "' has " + v.getValueCount() + " rows but the batch "
                        + batch.getLength());
            }
        }
        root.setRowCount(batch.getLength());
    }

    /**
     * Arrow's full validation (buffer sizes, then offsets) of {@code v}; Arrow 19's data check
     * throws UnsupportedOperationException on any FixedSizeList, so a subtree holding one gets the
     * buffer check, its own list offsets checked here, and its children validated in turn.
     */
    private static void validate(FieldVector v) {
        if (!holdsFixedSizeList(v)) {
            ValueVectorUtility.validateFull(v);
            return;
        }
        ValueVectorUtility.validate(v);
        if (v instanceof ListVector list) {
            int previous = list.getOffsetBuffer().getInt(0);
            for (int i = 1; i <= list.getValueCount(); i++) {
                int offset = list.getOffsetBuffer().getInt(4L * i);
                if (offset < previous) throw new IllegalArgumentException("column '" + v.getName() + "' has decreasing list offsets at row " + i);
                previous = offset;
            }
            if (list.getValueCount() > 0 && previous > list.getDataVector().getValueCount()) {
                throw new IllegalArgumentException("column '" + v.getName() + "' has list offsets past its " + list.getDataVector().getValueCount() + " values");
            }
        } else if (!(v instanceof FixedSizeListVector)) {
            throw new IllegalArgumentException("column '" + v.getName() + "' nests a fixed-size list in " + v.getField().getType() + ", not supported");
        }
        for (FieldVector c : v.getChildrenFromFields()) validate(c);
    }

    private static boolean holdsFixedSizeList(FieldVector v) {
        return v instanceof FixedSizeListVector || v.getChildrenFromFields().stream().anyMatch(IpcFile::holdsFixedSizeList);
    }

    private static void loadVector(FieldVector v, Iterator<ArrowBuf> buffers, Iterator<ArrowFieldNode> nodes) {
        if (v instanceof BaseVariableWidthViewVector) {
            throw new IllegalArgumentException("column '" + v.getName() + "' has view type " + v.getField().getType() + ", not supported");
        }
        if (!nodes.hasNext()) throw new IllegalArgumentException("it has fewer field nodes than the schema has fields");
        ArrowFieldNode node = nodes.next();
        int count = TypeLayout.getTypeBufferCount(v.getField().getType());
        List<ArrowBuf> own = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (!buffers.hasNext()) throw new IllegalArgumentException("it has too few buffers for field '" + v.getName() + "'");
            own.add(buffers.next());
        }
        v.loadFieldBuffers(node, own);
        for (FieldVector child : v.getChildrenFromFields()) loadVector(child, buffers, nodes);
    }

    /** Node and buffer counts and sizes in the metadata, before anything is allocated for the body. */
    private static void checkLayout(RecordBatch fb, MessageAt m) {
        guard("record batch at byte " + m.position(), () -> {
            if (fb.length() < 0 || fb.length() > Integer.MAX_VALUE) throw new IllegalArgumentException("row count " + fb.length());
            for (int i = 0; i < fb.nodesLength(); i++) {
                long length = fb.nodes(i).length();
                long nulls = fb.nodes(i).nullCount();
                if (length < 0 || length > Integer.MAX_VALUE || nulls < 0 || nulls > length) {
                    throw new IllegalArgumentException("field node " + i + " has length " + length + " and null count " + nulls);
                }
            }
            for (int i = 0; i < fb.buffersLength(); i++) {
                long offset = fb.buffers(i).offset();
                long length = fb.buffers(i).length();
                if (offset < 0 || length < 0 || offset > m.bodyLength() - length) {
                    throw new IllegalArgumentException("buffer " + i + " [" + offset + ", +" + length + ") lies outside the body of "
                            + m.bodyLength() + " bytes");
                }
            }
            if (fb.compression() != null && fb.compression().method() != 0) {
                throw new IllegalArgumentException("body compression method " + fb.compression().method() + " (expected BUFFER, 0)");
            }
            return null;
        });
    }

    /**
     * Arrow gives a column without nulls a validity buffer of one bit per row, so a node length
     * the data cannot back would be an allocation the file does not justify; every field but the
     * Null type needs at least one bit per row of body.
     */
    private static void checkNodes(ArrowRecordBatch batch, Schema schema, long dataBytes, MessageAt m) {
        List<Field> flat = new ArrayList<>();
        schema.getFields().forEach(f -> flatten(f, flat));
        if (batch.getNodes().size() != flat.size()) {
            throw new IllegalArgumentException("the record batch at byte " + m.position() + " has " + batch.getNodes().size()
                    + " field nodes but the schema has " + flat.size() + " fields");
        }
        for (int i = 0; i < flat.size(); i++) {
            long length = batch.getNodes().get(i).getLength();
            if (!(flat.get(i).getType() instanceof ArrowType.Null) && length > 8 * dataBytes + 64) {
                throw new IllegalArgumentException("the record batch at byte " + m.position() + ": field '" + flat.get(i).getName()
                        + "' has " + length + " rows but the batch holds only " + dataBytes + " bytes of data");
            }
        }
    }

    private static void flatten(Field f, List<Field> out) {
        out.add(f);
        f.getChildren().forEach(c -> flatten(c, out));
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

    private static ArrowFooter footer(FileChannel ch, long size) throws IOException {
        if (size < 2L * MAGIC_LENGTH + 2 + 4) throw new IllegalArgumentException("file of " + size + " bytes is too short for an Arrow IPC file");
        ByteBuffer tail = read(ch, size - MAGIC_LENGTH, MAGIC_LENGTH);
        if (!new String(tail.array(), java.nio.charset.StandardCharsets.US_ASCII).equals("ARROW1")) {
            throw new IllegalArgumentException("the file does not end with the ARROW1 magic (truncated?)");
        }
        int length = footerLength(ch, size);
        ByteBuffer fb = read(ch, size - MAGIC_LENGTH - 4 - length, length);
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
        java.util.ArrayDeque<org.apache.arrow.flatbuf.Field> pending = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<Integer> depths = new java.util.ArrayDeque<>();
        for (int i = 0; i < schema.fieldsLength(); i++) {
            pending.push(schema.fields(i));
            depths.push(1);
        }
        long seen = 0;
        while (!pending.isEmpty()) {
            org.apache.arrow.flatbuf.Field f = pending.pop();
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
        int length = read(ch, size - MAGIC_LENGTH - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
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

    static ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buf.position()) + " (did it shrink?)");
            }
        }
        return buf.flip();
    }

    private static String typeName(byte type) {
        return type >= 0 && type < MessageHeader.names.length ? MessageHeader.names[type] : "message of unknown type " + type;
    }

    private static IllegalArgumentException dictionariesUnsupported() {
        return new IllegalArgumentException("dictionary batches are not supported (decode dictionary columns before writing)");
    }

    private static IllegalArgumentException badBatch(MessageAt m, RuntimeException e) {
        if (e instanceof IllegalArgumentException iae && iae.getMessage() != null && iae.getMessage().startsWith("compressed buffer")) {
            return new IllegalArgumentException("the record batch at byte " + m.position() + ": " + e.getMessage(), e);
        }
        return new IllegalArgumentException("the record batch at byte " + m.position() + " is malformed: " + e, e);
    }

    /** What a parse of the file's metadata may throw on garbage (flatbuffers index past their buffer) as a named error. */
    static <T> T guard(String what, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(what + " is malformed: " + e, e);
        }
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

    /** The codec byte Arrow uses for an uncompressed body. */
    private static final class NoCompression {
        static final byte CODEC = org.apache.arrow.vector.compression.NoCompressionCodec.COMPRESSION_TYPE;
    }

    /** One IPC message: where it starts, its parsed metadata, and where its body lies. */
    record MessageAt(long position, Message message, byte type, long bodyStart, long bodyLength) {
        /** The message at {@code position}, or null at the end of the stream (an end marker or the end of the bytes). */
        static MessageAt read(FileChannel ch, long position, long end) throws IOException {
            if (position == end) return null;
            if (end - position < 4) throw truncated(position, 4, end);
            int first = IpcFile.read(ch, position, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            int prefix = 4;
            int length = first;
            if (first == -1) {
                if (end - position < 8) throw truncated(position, 8, end);
                length = IpcFile.read(ch, position + 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
                prefix = 8;
            }
            if (length == 0) return null;
            if (length < 0 || length > end - position - prefix) {
                throw new IllegalArgumentException("the message at byte " + position + " declares " + length
                        + " bytes of metadata but " + (end - position - prefix) + " remain");
            }
            ByteBuffer bytes = IpcFile.read(ch, position + prefix, length);
            long bodyStart = position + prefix + length;
            return guard("the message at byte " + position, () -> {
                Message message = Message.getRootAsMessage(bytes);
                long body = message.bodyLength();
                if (body < 0 || body > end - bodyStart) {
                    throw new IllegalArgumentException("declares a body of " + body + " bytes but " + (end - bodyStart) + " remain");
                }
                return new MessageAt(position, message, message.headerType(), bodyStart, body);
            });
        }

        private static IllegalArgumentException truncated(long position, int need, long end) {
            return new IllegalArgumentException("truncated: the message at byte " + position + " needs " + need
                    + " bytes of length prefix but " + (end - position) + " remain");
        }
    }
}
