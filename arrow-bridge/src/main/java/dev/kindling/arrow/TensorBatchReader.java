package dev.kindling.arrow;

import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads Arrow IPC data, the format PyArrow, pandas ({@code to_feather}), Polars and Spark write,
 * as {@link TensorBatch}es: one per record batch. Both IPC forms are read: the random-access
 * <em>file</em> (magic {@code ARROW1}; Feather V2 is this) and the <em>stream</em>. LZ4-frame and
 * ZSTD compressed bodies (pandas compresses feather with LZ4 by default) are decompressed.
 * Feather V1 (magic {@code FEA1}) is an older, different format and is rejected.
 *
 * <p>Reading necessarily moves the bytes from the file into Arrow memory (and decompresses them);
 * the tensors then view that Arrow memory without a further copy. Each batch holds its own lease
 * on its buffers, so batches stay valid after the next batch is read and after this reader is
 * closed; close each batch when done with it. Arrow's IPC reader keeps a record batch's buffers
 * in one allocation, so a batch keeps all its columns' memory until it is closed.
 *
 * <p>Files are read by {@link IpcFile}, which checks every message, body and buffer length against
 * the file's size and every compressed buffer's stated size before allocating, so a corrupt file
 * is an {@link IllegalArgumentException} naming it (and the batch), never an
 * {@code IndexOutOfBoundsException} or an {@code OutOfMemoryError}, and leaves no Arrow memory
 * allocated once the reader is closed. {@link #stream} reads an {@code InputStream}, whose length
 * is unknown, with Arrow's stream reader.
 */
public final class TensorBatchReader implements AutoCloseable {
    private static final byte[] FILE_MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FEATHER_V1_MAGIC = "FEA1".getBytes(StandardCharsets.US_ASCII);

    /** What the reader may hold before a batch asks for more (schema, empty vectors); raised per batch. */
    private static final long INITIAL_LIMIT = 1 << 20;

    private final BatchSource source;
    private final ViewOptions options;
    private final String name;
    private int batchIndex;

    private TensorBatchReader(BatchSource source, ViewOptions options, String name) {
        this.source = source;
        this.options = options;
        this.name = name;
    }

    /** Opens an IPC file or stream file (the form is recognised from its first bytes), default options. */
    public static TensorBatchReader open(Path path, BufferAllocator allocator) {
        return open(path, allocator, ViewOptions.defaults());
    }

    /**
     * Opens an IPC file or stream file (the form is recognised from its first bytes). The reader
     * allocates from a child of {@code allocator} whose limit each batch sets to what the batch,
     * checked against the file's size, can need; a file that is not Arrow IPC, or is malformed,
     * is an {@link IllegalArgumentException} naming it.
     */
    public static TensorBatchReader open(Path path, BufferAllocator allocator, ViewOptions options) {
        FileChannel channel = null;
        BufferAllocator mine = null;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
            ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            int n = Math.max(0, channel.read(head, 0));
            byte[] b = Arrays.copyOf(head.array(), n);
            boolean file = n >= FILE_MAGIC.length && Arrays.equals(b, 0, FILE_MAGIC.length, FILE_MAGIC, 0, FILE_MAGIC.length);
            if (!file && n >= FEATHER_V1_MAGIC.length && Arrays.equals(b, 0, 4, FEATHER_V1_MAGIC, 0, 4)) {
                throw new IllegalArgumentException("open: " + path + " is Feather V1 (magic FEA1); expected Arrow IPC "
                        + "(Feather V2, magic ARROW1, or an IPC stream). Rewrite it with pyarrow.feather.write_feather(version=2)");
            }
            if (!file) checkStreamHeader(path, head, n, channel.size());
            mine = allocator.newChildAllocator("TensorBatchReader " + path.getFileName(), 0, INITIAL_LIMIT);
            try {
                // Read the header now, so a file that is not Arrow fails here, naming itself.
                return new TensorBatchReader(IpcFile.open(channel, mine, file), options, path.toString());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("open: expected an Arrow IPC file or stream but cannot read the header of "
                        + path + ": " + e.getMessage(), e);
            }
        } catch (IOException e) {
            closeQuietly(channel);
            closeQuietly(mine);
            throw new UncheckedIOException("open: cannot read Arrow IPC from " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            closeQuietly(mine);
            throw e;
        }
    }

    /**
     * An IPC stream starts with the continuation marker 0xFFFFFFFF and the length of the first
     * (schema) message; streams from before Arrow 0.15 start with the length alone. Checking that
     * the length fits in the file keeps a file that is not Arrow at all from being read as a
     * message of gigabytes (the first four bytes of a text file are a large number).
     */
    private static void checkStreamHeader(Path path, ByteBuffer head, int n, long size) {
        boolean marker = n >= 8 && head.getInt(0) == -1;
        long length = marker ? head.getInt(4) : n >= 4 ? head.getInt(0) : -1;
        long start = marker ? 8 : 4;
        if (length <= 0 || start + length > size) {
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < n; i++) hex.append(String.format("%02x ", head.get(i)));
            throw new IllegalArgumentException("open: expected an Arrow IPC file (magic ARROW1) or stream (0xFFFFFFFF and a "
                    + "message length) in " + path + " but its first bytes are [" + hex.toString().trim() + "] in a file of "
                    + size + " bytes");
        }
    }

    /** Reads an IPC stream (e.g. from a socket or {@code pyarrow.ipc.new_stream}). Closing the reader closes {@code in}. */
    public static TensorBatchReader stream(InputStream in, BufferAllocator allocator, ViewOptions options) {
        ArrowStreamReader reader = new ArrowStreamReader(in, allocator, CommonsCompressionFactory.INSTANCE);
        return new TensorBatchReader(new BatchSource() {
            @Override
            public VectorSchemaRoot root() throws IOException { return reader.getVectorSchemaRoot(); }

            @Override
            public boolean loadNext() throws IOException { return reader.loadNextBatch(); }

            @Override
            public void close() throws IOException { reader.close(); }
        }, options, "stream");
    }

    /** Reads every batch of a file. On failure the batches read so far are closed. */
    public static List<TensorBatch> readAll(Path path, BufferAllocator allocator, ViewOptions options) {
        List<TensorBatch> batches = new ArrayList<>();
        try (TensorBatchReader r = open(path, allocator, options)) {
            for (TensorBatch b = r.next(); b != null; b = r.next()) batches.add(b);
            return batches;
        } catch (RuntimeException e) {
            batches.forEach(TensorBatch::close);
            throw e;
        }
    }

    /** The Arrow schema of the data. */
    public Schema schema() {
        try {
            return source.root().getSchema();
        } catch (IOException e) {
            throw new UncheckedIOException("schema: cannot read the Arrow IPC header of " + name, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("schema: cannot read the Arrow IPC header of " + name + ": " + e, e);
        }
    }

    /**
     * The next record batch as tensors, or null after the last. A malformed batch, or one whose
     * columns cannot be tensors, is an {@link IllegalArgumentException} naming the source and the
     * batch; what was loaded of it is released when the reader is closed.
     */
    public TensorBatch next() {
        int index = batchIndex++;
        try {
            if (!source.loadNext()) return null;
            return ArrowViews.batch(source.root(), options);
        } catch (IOException e) {
            throw new UncheckedIOException("next: cannot read record batch " + index + " of " + name + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            String why = e instanceof IllegalArgumentException ? e.getMessage() : e.toString();
            throw new IllegalArgumentException("next: " + name + ", record batch " + index + ": " + why, e);
        }
    }

    /** Closes the reader and its input; batches already returned stay valid. */
    @Override
    public void close() {
        try {
            source.close();
        } catch (IOException e) {
            throw new UncheckedIOException("close: " + name, e);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception ignored) {
            // Already failing; the original exception is the one worth reporting.
        }
    }
}
