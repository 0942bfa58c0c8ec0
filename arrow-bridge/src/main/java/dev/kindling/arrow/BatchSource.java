package dev.kindling.arrow;

import org.apache.arrow.vector.VectorSchemaRoot;

import java.io.IOException;

/**
 * Where {@link TensorBatchReader} gets record batches: {@link IpcFile} for a file, whose framing
 * it checks against the file's size, or Arrow's stream reader for an {@code InputStream}.
 */
interface BatchSource extends AutoCloseable {
    /** The vectors each batch is loaded into; the schema is known once the source is open. */
    VectorSchemaRoot root() throws IOException;

    /** Loads the next record batch into {@link #root()}; false after the last. */
    boolean loadNext() throws IOException;

    @Override
    void close() throws IOException;
}
