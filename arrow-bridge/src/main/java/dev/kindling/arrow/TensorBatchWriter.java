package dev.kindling.arrow;

import dev.kindling.tensor.Tensor;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil.CodecType;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ArrowWriter;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes {@link TensorBatch}es as Arrow IPC, readable by PyArrow ({@code pyarrow.ipc.open_file},
 * {@code pyarrow.feather.read_table}), pandas ({@code read_feather}) and {@link TensorBatchReader}:
 * an IPC <em>file</em> (Feather V2) to a path, or an IPC <em>stream</em> to an output stream, each
 * batch one record batch, optionally LZ4-frame or ZSTD compressed. The schema is that of the first
 * batch (see {@link TensorToArrow} for how dtypes and shapes map); later batches must match it.
 *
 * <p>A file is written under a temporary name in the target's directory and renamed to the
 * target by {@link #close()}, so a reader never sees a half-written file; if a write failed, or
 * {@link #abort()} was called, close deletes the temporary file instead.
 */
public final class TensorBatchWriter implements AutoCloseable {
    private final BufferAllocator allocator;
    private final CodecType codec;
    private final WritableByteChannel channel;
    private final boolean fileFormat;
    private final Path target;   // null for streams
    private final Path temp;     // null for streams
    private VectorSchemaRoot root;
    private ArrowWriter writer;
    private boolean failed;
    private boolean closed;

    private TensorBatchWriter(BufferAllocator allocator, CodecType codec, WritableByteChannel channel,
                              boolean fileFormat, Path target, Path temp) {
        this.allocator = allocator;
        this.codec = codec;
        this.channel = channel;
        this.fileFormat = fileFormat;
        this.target = target;
        this.temp = temp;
    }

    /** An uncompressed IPC file at {@code target} (replaced on close if it exists). */
    public static TensorBatchWriter file(Path target, BufferAllocator allocator) {
        return file(target, allocator, CodecType.NO_COMPRESSION);
    }

    /** An IPC file at {@code target}, with its record batch bodies compressed by {@code codec}. */
    public static TensorBatchWriter file(Path target, BufferAllocator allocator, CodecType codec) {
        Path abs = target.toAbsolutePath();
        try {
            Path temp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp");
            FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            return new TensorBatchWriter(allocator, codec, ch, true, abs, temp);
        } catch (IOException e) {
            throw new UncheckedIOException("file: cannot create a temporary file next to " + abs, e);
        }
    }

    /** An IPC stream to {@code out} (closed by {@link #close()}). */
    public static TensorBatchWriter stream(OutputStream out, BufferAllocator allocator, CodecType codec) {
        return new TensorBatchWriter(allocator, codec, Channels.newChannel(out), false, null, null);
    }

    /** Writes all the batches to a file in one call. */
    public static void writeFile(Path target, List<TensorBatch> batches, BufferAllocator allocator, CodecType codec) {
        try (TensorBatchWriter w = file(target, allocator, codec)) {
            for (TensorBatch b : batches) w.write(b);
        }
    }

    /** Appends one batch as one record batch. */
    public void write(TensorBatch batch) {
        if (closed) throw new IllegalStateException("write: this writer is closed");
        try {
            if (writer == null) start(batch);
            else checkSchema(batch);
            try (VectorSchemaRoot tmp = TensorToArrow.toRoot(batch, allocator);
                 ArrowRecordBatch rb = new VectorUnloader(tmp).getRecordBatch()) {
                new VectorLoader(root).load(rb);
            }
            writer.writeBatch();
        } catch (IOException e) {
            failed = true;
            throw new UncheckedIOException("write: " + where(), e);
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    /** Gives up: close() will then delete the temporary file instead of renaming it. */
    public void abort() { failed = true; }

    /**
     * Finishes the IPC data and, for a file, renames the temporary file to the target. A file to
     * which no batch was written has no schema to write, so that is an {@link IllegalStateException}.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        RuntimeException error = null;
        try {
            // ArrowWriter.close writes the footer (file) or end-of-stream marker and closes the channel.
            if (writer != null) writer.close();
            else channel.close();
        } catch (IOException e) {
            error = new UncheckedIOException("close: " + where(), e);
        } catch (RuntimeException e) {
            error = e;
        } finally {
            if (root != null) root.close();
        }
        if (error == null && writer == null && !failed) {
            error = new IllegalStateException("close: no batch was written to " + where() + ", so there is no schema to write"
                    + (temp != null ? "; no file was created" : ""));
        }
        if (temp != null) {
            if (error == null && !failed) {
                try {
                    moveIntoPlace();
                } catch (IOException e) {
                    error = new UncheckedIOException("close: cannot rename " + temp + " to " + target, e);
                }
            }
            if (error != null || failed) deleteTemp();
        }
        if (error != null) throw error;
    }

    private void moveIntoPlace() throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void start(TensorBatch batch) throws IOException {
        List<Field> fields = new ArrayList<>();
        batch.tensors().forEach((name, t) -> fields.add(TensorToArrow.field(name, t.dtype(), t.shape())));
        root = VectorSchemaRoot.create(new Schema(fields), allocator);
        CompressionCodec.Factory factory = codec == CodecType.NO_COMPRESSION ? CompressionCodec.Factory.INSTANCE
                                                                            : CommonsCompressionFactory.INSTANCE;
        writer = fileFormat
                ? new ArrowFileWriter(root, null, channel, Map.of(), IpcOption.DEFAULT, factory, codec)
                : new ArrowStreamWriter(root, null, channel, IpcOption.DEFAULT, factory, codec);
        writer.start();
    }

    private void checkSchema(TensorBatch batch) {
        List<Field> expected = root.getSchema().getFields();
        List<String> names = batch.names();
        if (names.size() != expected.size()) {
            throw new IllegalArgumentException("write: expected the " + expected.size() + " columns "
                    + expected.stream().map(Field::getName).toList() + " of the first batch but got " + names);
        }
        for (int i = 0; i < names.size(); i++) {
            Tensor t = batch.tensors().get(names.get(i));
            Field f = TensorToArrow.field(names.get(i), t.dtype(), t.shape());
            if (!f.equals(expected.get(i))) {
                throw new IllegalArgumentException("write: column " + i + " expected " + expected.get(i)
                        + " (as in the first batch) but got " + f + " from a " + t.dtype() + " tensor of shape "
                        + Arrays.toString(t.shape()));
            }
        }
    }

    private void deleteTemp() {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // Best effort: a stray hidden temp file is harmless and the real error is already on its way.
        }
    }

    private String where() { return target != null ? target.toString() : "stream"; }
}
