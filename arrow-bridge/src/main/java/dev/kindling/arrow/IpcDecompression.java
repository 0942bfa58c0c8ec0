package dev.kindling.arrow;

import com.github.luben.zstd.Zstd;
import org.apache.arrow.flatbuf.CompressionType;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Decompresses the buffers of an IPC record batch (LZ4 frame or ZSTD, each buffer prefixed by its
 * uncompressed length as an int64, -1 for a buffer stored uncompressed) without trusting that
 * length: it must be one the compressed bytes can produce (ZSTD frames state their content size;
 * an LZ4 frame inflates at most {@value #LZ4_MAX_RATIO} times), it is allocated only after that
 * check, and the data must inflate to exactly it. Arrow's own codecs allocate the stated length
 * first and leak their output when a later buffer fails; here every buffer allocated is released
 * on any failure, which is an {@link IllegalArgumentException} saying which buffer and why.
 */
final class IpcDecompression {
    /** An LZ4 sequence's match length grows by at most 255 per byte spent on it. */
    static final long LZ4_MAX_RATIO = 256;
    /** A ZSTD block inflates at most to 128 KiB from a 4-byte RLE block. */
    static final long ZSTD_MAX_RATIO = 32_768;

    private IpcDecompression() {}

    /** The uncompressed length each buffer of {@code batch} declares (its own length when stored uncompressed), checked. */
    static long[] declaredLengths(ArrowRecordBatch batch, byte codec) {
        List<ArrowBuf> buffers = batch.getBuffers();
        long[] out = new long[buffers.size()];
        for (int i = 0; i < out.length; i++) out[i] = declaredLength(buffers.get(i), codec, i);
        return out;
    }

    private static long declaredLength(ArrowBuf buf, byte codec, int index) {
        long compressed = buf.writerIndex();
        if (compressed == 0) return 0;
        if (compressed < 8) {
            throw new IllegalArgumentException("compressed buffer " + index + " has " + compressed
                    + " bytes, fewer than its 8-byte uncompressed-length prefix");
        }
        long declared = buf.getLong(0);
        if (declared == -1) return compressed - 8;
        if (declared < 0) throw new IllegalArgumentException("compressed buffer " + index + " declares a negative length " + declared);
        if (declared == 0) return 0;
        long payload = compressed - 8;
        if (codec == CompressionType.ZSTD) {
            // A frame header is at most 18 bytes; -1 means the frame does not state its size, -2 that it is no frame.
            byte[] head = new byte[(int) Math.min(payload, 18)];
            buf.getBytes(8, head);
            long content = Zstd.getFrameContentSize(head);
            if (content == -2) throw new IllegalArgumentException("compressed buffer " + index + " does not start with a ZSTD frame");
            if (content >= 0 && content != declared) {
                throw new IllegalArgumentException("compressed buffer " + index + " declares " + declared
                        + " uncompressed bytes but its ZSTD frame holds " + content);
            }
        }
        long ratio = codec == CompressionType.ZSTD ? ZSTD_MAX_RATIO : LZ4_MAX_RATIO;
        if (declared > Integer.MAX_VALUE - 8 || declared / ratio > payload) {
            throw new IllegalArgumentException("compressed buffer " + index + " declares " + declared + " uncompressed bytes, more than "
                    + payload + " compressed bytes can hold (at most " + ratio + " times as many)");
        }
        return declared;
    }

    /**
     * A batch like {@code batch} with its buffers decompressed, allocated from {@code allocator}.
     * {@code batch} is closed either way; the result is the caller's to close.
     */
    static ArrowRecordBatch decompress(ArrowRecordBatch batch, byte codec, long[] declared, BufferAllocator allocator) {
        if (codec != CompressionType.LZ4_FRAME && codec != CompressionType.ZSTD) {
            batch.close();
            throw new IllegalArgumentException("record batch uses compression codec " + codec + "; expected LZ4_FRAME (0) or ZSTD (1)");
        }
        List<ArrowBuf> out = new ArrayList<>();
        try {
            List<ArrowBuf> buffers = batch.getBuffers();
            for (int i = 0; i < buffers.size(); i++) out.add(decompress(buffers.get(i), codec, declared[i], allocator, i));
            // The new batch retains each buffer; closing ours below leaves it the only owner.
            return new ArrowRecordBatch(batch.getLength(), batch.getNodes(), out, NoCompressionCodec.DEFAULT_BODY_COMPRESSION,
                    batch.getVariadicBufferCounts(), true);
        } finally {
            out.forEach(ArrowBuf::close);
            batch.close();
        }
    }

    private static ArrowBuf decompress(ArrowBuf buf, byte codec, long declared, BufferAllocator allocator, int index) {
        long compressed = buf.writerIndex();
        if (compressed == 0 || declared == 0) return allocator.getEmpty();
        if (buf.getLong(0) == -1) {
            ArrowBuf raw = buf.slice(8, compressed - 8);
            raw.getReferenceManager().retain();
            return raw;
        }
        byte[] inflated = codec == CompressionType.ZSTD ? null : inflateLz4(payloadBytes(buf, index), declared, index);
        ArrowBuf out = allocator.buffer(declared);
        try {
            if (inflated != null) {
                out.setBytes(0, inflated);
            } else {
                long n = Zstd.decompressUnsafe(out.memoryAddress(), declared, buf.memoryAddress() + 8, compressed - 8);
                if (Zstd.isError(n)) {
                    throw new IllegalArgumentException("compressed buffer " + index + " is not valid ZSTD: " + Zstd.getErrorName(n));
                }
                if (n != declared) {
                    throw new IllegalArgumentException("compressed buffer " + index + " declares " + declared
                            + " uncompressed bytes but its ZSTD data inflates to " + n);
                }
            }
            out.writerIndex(declared);
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /** Inflates an LZ4 frame, reading at most one byte past {@code declared} so a lie costs nothing. */
    private static byte[] inflateLz4(byte[] frame, long declared, int index) {
        try (InputStream in = new FramedLZ4CompressorInputStream(new ByteArrayInputStream(frame))) {
            byte[] out = in.readNBytes((int) declared);
            if (out.length != declared || in.read() != -1) {
                throw new IllegalArgumentException("compressed buffer " + index + " declares " + declared
                        + " uncompressed bytes but its LZ4 frame inflates to " + (out.length != declared ? out.length : "more"));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage().startsWith("compressed buffer")) throw iae;
            throw new IllegalArgumentException("compressed buffer " + index + " is not a valid LZ4 frame: " + e, e);
        }
    }

    private static byte[] payloadBytes(ArrowBuf buf, int index) {
        if (buf.writerIndex() - 8 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("compressed buffer " + index + " of " + buf.writerIndex() + " bytes is too large for LZ4");
        }
        byte[] bytes = new byte[(int) (buf.writerIndex() - 8)];
        buf.getBytes(8, bytes);
        return bytes;
    }
}
