package dev.kindling.vision;

import dev.kindling.tensor.AllocationMeter;
import dev.kindling.tensor.FuzzTally;
import dev.kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded fuzzing of the IDX reader, plain and gzipped: mutated files must load exactly when an
 * independent check of the format ({@link #violation}) calls them valid, with the shape and bytes
 * they declare, and otherwise be rejected with an {@link IllegalArgumentException} or
 * {@link IOException} naming the file; and no read may allocate much more heap than the data it
 * holds, whatever sizes the header claims.
 */
class IdxFuzzTest {
    private static final int INPUTS = 3_060;
    private static final long SEED = 0x1D8_0F_F11EL;

    @TempDir
    Path dir;

    private record Seed(byte[] plain, int dims) {}

    private record Mutation(String name, BiFunction<byte[], Random, byte[]> apply) {}

    @Test
    void mutatedFilesLoadExactlyWhenTheFormatAllowsThem() throws Throwable {
        List<Seed> seeds = List.of(new Seed(idx(3, 5, 4), 3), new Seed(idx(10), 1), new Seed(idx(2, 0, 7), 3));
        List<Mutation> mutations = mutations();
        Random rng = new Random(SEED);
        FuzzTally tally = new FuzzTally("IDX");
        Path target = dir.resolve("train-images-idx3-ubyte");
        for (int i = 0; i < INPUTS; i++) {
            Mutation m = mutations.get(i % mutations.size());
            Seed seed = seeds.get(rng.nextInt(seeds.size()));
            byte[] plain = m.apply().apply(seed.plain(), rng);
            // Half the inputs are gzipped: IDX mutations inside a valid stream, or the stream's own bytes mutated.
            boolean gzip = rng.nextBoolean();
            Mutation ofStream = gzip && rng.nextInt(3) == 0 ? mutations.get(rng.nextInt(7)) : null;
            byte[] input = !gzip ? plain : ofStream != null ? ofStream.apply().apply(gzip(seed.plain()), rng) : gzip(plain);
            String kind = ofStream != null ? "gzip stream: " + ofStream.name() : m.name() + (gzip ? " (gzip)" : "");
            Files.write(target, input);
            byte[] inflated = inflate(input);
            String why = inflated == null ? "corrupt gzip stream" : violation(inflated, seed.dims());
            String label = "input " + i + " (" + kind + ", seed " + SEED + ")";
            Tensor[] loaded = new Tensor[1];
            long limit = (1 << 20) + 4L * (inflated == null ? input.length : Math.max(input.length, inflated.length));
            try {
                AllocationMeter.assertAllocatesAtMost(limit, label, () -> loaded[0] = Idx.readUnsignedBytes(target, seed.dims()));
            } catch (IllegalArgumentException | IOException e) {
                assertTrue(e.getMessage() != null && e.getMessage().contains(target.toString()),
                        label + ": the message should name the file: " + e.getMessage());
                if (why == null) fail(label + ": a valid file was rejected: " + e.getMessage());
                tally.rejected(kind);
                continue;
            } catch (AssertionError e) {
                throw e;
            } catch (Throwable t) {
                throw new AssertionError(label + ": only IllegalArgumentException or IOException may leave the reader", t);
            }
            if (why != null) fail(label + ": a malformed file loaded; the format check says: " + why);
            ByteBuffer b = ByteBuffer.wrap(inflated);
            int[] shape = new int[seed.dims()];
            for (int d = 0; d < shape.length; d++) shape[d] = b.getInt(4 + 4 * d);
            assertArrayEquals(shape, loaded[0].shape(), label);
            assertArrayEquals(Arrays.copyOfRange(inflated, 4 + 4 * shape.length, inflated.length),
                    loaded[0].contiguous().dataSegment().toArray(ValueLayout.JAVA_BYTE), label);
            tally.loaded(kind);
        }
        tally.assertBothOutcomes(INPUTS, "data");
        tally.reportIfAsked();
    }

    /** A valid unsigned-byte IDX file of the given sizes with varied data. */
    private static byte[] idx(int... dims) {
        int n = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + n);
        b.putInt(0x0800 | dims.length);
        for (int d : dims) b.putInt(d);
        for (int i = 0; i < n; i++) b.put((byte) (i * 37 + 11));
        return b.array();
    }

    private static List<Mutation> mutations() {
        List<Mutation> m = new ArrayList<>();
        m.add(new Mutation("bit flip", (f, r) -> {
            byte[] c = f.clone();
            int at = r.nextBoolean() ? r.nextInt(Math.min(c.length, 16)) : r.nextInt(c.length);
            c[at] ^= (byte) (1 << r.nextInt(8));
            return c;
        }));
        m.add(new Mutation("byte set", (f, r) -> {
            byte[] c = f.clone();
            c[r.nextInt(c.length)] = (byte) r.nextInt(256);
            return c;
        }));
        m.add(new Mutation("truncate", (f, r) -> Arrays.copyOf(f, r.nextInt(f.length))));
        m.add(new Mutation("insert bytes", (f, r) -> {
            int at = r.nextInt(f.length + 1);
            byte[] extra = new byte[1 + r.nextInt(8)];
            r.nextBytes(extra);
            byte[] c = new byte[f.length + extra.length];
            System.arraycopy(f, 0, c, 0, at);
            System.arraycopy(extra, 0, c, at, extra.length);
            System.arraycopy(f, at, c, at + extra.length, f.length - at);
            return c;
        }));
        m.add(new Mutation("remove bytes", (f, r) -> {
            int at = r.nextInt(f.length);
            int n = Math.min(f.length - at, 1 + r.nextInt(8));
            byte[] c = new byte[f.length - n];
            System.arraycopy(f, 0, c, 0, at);
            System.arraycopy(f, at + n, c, at, f.length - at - n);
            return c;
        }));
        m.add(new Mutation("trailing bytes", (f, r) -> Arrays.copyOf(f, f.length + 1 + r.nextInt(8))));
        m.add(new Mutation("header int", (f, r) -> {
            byte[] c = f.clone();
            int dims = c[3];
            int[] values = {0x7fffffff, 0x40000000, 0x10000, -1, 0, 1, 2, 0x800 | (dims + 1), 0x900 | dims, 0x01000800 | dims};
            ByteBuffer.wrap(c).putInt(4 * r.nextInt(dims + 1), values[r.nextInt(values.length)]);
            return c;
        }));
        m.add(new Mutation("size +-1", (f, r) -> {
            byte[] c = f.clone();
            int at = 4 + 4 * r.nextInt(c[3]);
            ByteBuffer.wrap(c).putInt(at, ByteBuffer.wrap(c).getInt(at) + (r.nextBoolean() ? 1 : -1));
            return c;
        }));
        m.add(new Mutation("data", (f, r) -> {
            byte[] c = f.clone();
            int start = 4 + 4 * c[3];
            if (c.length > start) c[start + r.nextInt(c.length - start)] = (byte) r.nextInt(256);
            return c;
        }));
        return m;
    }

    private static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** The file's IDX bytes: itself, or inflated when it starts with the gzip magic; null for a corrupt stream. */
    private static byte[] inflate(byte[] file) {
        if (file.length < 2 || (file[0] & 0xFF) != 0x1f || (file[1] & 0xFF) != 0x8b) return file;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(file))) {
            return in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    /** Why {@code f} is not an unsigned-byte IDX file of {@code dims} dims, or null when it is one. */
    private static String violation(byte[] f, int dims) {
        int header = 4 + 4 * dims;
        if (f.length < header) return "shorter than the " + header + "-byte header";
        if (f[0] != 0 || f[1] != 0) return "magic does not start with two zero bytes";
        if (f[2] != 0x08) return "element type " + f[2] + " is not unsigned byte";
        if (f[3] != dims) return f[3] + " dims, expected " + dims;
        ByteBuffer b = ByteBuffer.wrap(f);
        long elements = 1;
        for (int d = 0; d < dims; d++) {
            int size = b.getInt(4 + 4 * d);
            if (size < 0) return "dim " + d + " is negative";
            elements = Math.min(elements * size, 1L << 40);
        }
        return elements == f.length - header ? null : "sizes say " + elements + " bytes, the file has " + (f.length - header);
    }
}
