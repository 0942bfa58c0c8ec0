package dev.kindling.arrow;

import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
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
 */
public final class TensorBatchReader implements AutoCloseable {
    private static final byte[] FILE_MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FEATHER_V1_MAGIC = "FEA1".getBytes(StandardCharsets.US_ASCII);

    private final ArrowReader reader;
    private final ViewOptions options;
    private final String source;

    private TensorBatchReader(ArrowReader reader, ViewOptions options, String source) {
        this.reader = reader;
        this.options = options;
        this.source = source;
    }

    /** Opens an IPC file or stream file (the form is recognised from its first bytes), default options. */
    public static TensorBatchReader open(Path path, BufferAllocator allocator) {
        return open(path, allocator, ViewOptions.defaults());
    }

    /** Opens an IPC file or stream file (the form is recognised from its first bytes). */
    public static TensorBatchReader open(Path path, BufferAllocator allocator, ViewOptions options) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
            ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            int n = Math.max(0, channel.read(head, 0));
            byte[] b = Arrays.copyOf(head.array(), n);
            ArrowReader reader;
            if (n >= FILE_MAGIC.length && Arrays.equals(b, 0, FILE_MAGIC.length, FILE_MAGIC, 0, FILE_MAGIC.length)) {
                reader = new ArrowFileReader(channel, allocator, CommonsCompressionFactory.INSTANCE);
            } else if (n >= FEATHER_V1_MAGIC.length && Arrays.equals(b, 0, 4, FEATHER_V1_MAGIC, 0, 4)) {
                throw new IllegalArgumentException("open: " + path + " is Feather V1 (magic FEA1); expected Arrow IPC "
                        + "(Feather V2, magic ARROW1, or an IPC stream). Rewrite it with pyarrow.feather.write_feather(version=2)");
            } else {
                checkStreamHeader(path, head, n, channel.size());
                reader = new ArrowStreamReader(channel, allocator, CommonsCompressionFactory.INSTANCE);
            }
            try {
                // Read the header now, so a file that is not Arrow fails here, naming itself.
                reader.getVectorSchemaRoot();
            } catch (IOException | RuntimeException e) {
                closeQuietly(reader);
                throw new IllegalArgumentException("open: expected an Arrow IPC file or stream but cannot read the header of "
                        + path + ": " + e.getMessage(), e);
            }
            return new TensorBatchReader(reader, options, path.toString());
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("open: cannot read Arrow IPC from " + path, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
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
        return new TensorBatchReader(new ArrowStreamReader(in, allocator, CommonsCompressionFactory.INSTANCE), options, "stream");
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
            return reader.getVectorSchemaRoot().getSchema();
        } catch (IOException e) {
            throw new UncheckedIOException("schema: cannot read the Arrow IPC header of " + source, e);
        }
    }

    /** The next record batch as tensors, or null after the last one. */
    public TensorBatch next() {
        try {
            if (!reader.loadNextBatch()) return null;
            return ArrowViews.batch(reader.getVectorSchemaRoot(), options);
        } catch (IOException e) {
            throw new UncheckedIOException("next: cannot read a record batch from " + source, e);
        }
    }

    /** Closes the reader and its input; batches already returned stay valid. */
    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException("close: " + source, e);
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
