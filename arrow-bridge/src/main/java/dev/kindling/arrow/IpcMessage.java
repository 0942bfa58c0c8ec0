package dev.kindling.arrow;

import org.apache.arrow.flatbuf.Message;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.function.Supplier;

/**
 * One IPC message of a file: where it starts, its parsed metadata, and where its body lies. A
 * message is read only after its stated metadata length is checked against the bytes that remain,
 * and its body length likewise, so neither becomes an allocation the file cannot back.
 */
record IpcMessage(long position, Message message, byte type, long bodyStart, long bodyLength) {
    /** The message at {@code position}, or null at the end of the stream (an end marker or the end of the bytes). */
    static IpcMessage read(FileChannel ch, long position, long end) throws IOException {
        if (position == end) return null;
        if (end - position < 4) throw truncated(position, 4, end);
        int first = readBytes(ch, position, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        int prefix = 4;
        int length = first;
        if (first == -1) {
            if (end - position < 8) throw truncated(position, 8, end);
            length = readBytes(ch, position + 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            prefix = 8;
        }
        if (length == 0) return null;
        if (length < 0 || length > end - position - prefix) {
            throw new IllegalArgumentException("the message at byte " + position + " declares " + length
                    + " bytes of metadata but " + (end - position - prefix) + " remain");
        }
        ByteBuffer bytes = readBytes(ch, position + prefix, length);
        long bodyStart = position + prefix + length;
        return guard("the message at byte " + position, () -> {
            Message message = Message.getRootAsMessage(bytes);
            long body = message.bodyLength();
            if (body < 0 || body > end - bodyStart) {
                throw new IllegalArgumentException("declares a body of " + body + " bytes but " + (end - bodyStart) + " remain");
            }
            return new IpcMessage(position, message, message.headerType(), bodyStart, body);
        });
    }

    private static IllegalArgumentException truncated(long position, int need, long end) {
        return new IllegalArgumentException("truncated: the message at byte " + position + " needs " + need
                + " bytes of length prefix but " + (end - position) + " remain");
    }

    /** What a parse of the file's metadata may throw on garbage (flatbuffers index past their buffer) as a named error. */
    static <T> T guard(String what, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(what + " is malformed: " + e, e);
        }
    }

    static ByteBuffer readBytes(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buf.position()) + " (did it shrink?)");
            }
        }
        return buf.flip();
    }
}
