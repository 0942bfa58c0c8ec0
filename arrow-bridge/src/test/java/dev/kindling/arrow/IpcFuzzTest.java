package dev.kindling.arrow;

import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded fuzzing of {@link TensorBatchReader} over the IPC fixtures (file, stream, LZ4 and ZSTD
 * bodies): every mutated file must either read completely or fail with an
 * {@link IllegalArgumentException} or {@link UncheckedIOException} naming the file, never with
 * anything else (an IndexOutOfBoundsException from the flatbuffers, an OutOfMemoryError from a
 * corrupt length); after every input, read or failed, the allocator must hold no memory and
 * must never have held more than {@link #MAX_PEAK} bytes at once. A
 * mutation of the bytes of one float column's values only, in an uncompressed file, leaves a
 * valid file: it must load, with exactly the mutated values.
 */
class IpcFuzzTest extends AllocatorTest {
    private static final int INPUTS = 3_080;
    private static final long SEED = 0xA770_1F0AL;
    /** Arrow memory a read of a fixture (under 3 KB, its batches inflating to a few KB) may hold at its peak. */
    private static final long MAX_PEAK = 64 * 1024;
    private static final ViewOptions OPTIONS = ViewOptions.defaults().allowCopies(true);
    /** The first batch's f32 column, [-2, -0.5, 1], as it lies in the uncompressed fixtures. */
    private static final byte[] F32_VALUES = floats(-2f, -0.5f, 1f);

    @TempDir
    Path dir;

    private record Mutation(String name, BiFunction<byte[], Random, byte[]> apply) {}

    @Test
    void mutatedFilesReadOrFailCleanlyAndLeaveNoMemory() throws IOException {
        List<String> fixtures = List.of("mixed.arrow", "mixed.arrows", "mixed-lz4.feather", "mixed-zstd.arrow");
        List<byte[]> seeds = new ArrayList<>();
        for (String f : fixtures) seeds.add(Files.readAllBytes(IpcReadTest.fixture(f)));
        List<Mutation> mutations = mutations();
        Random rng = new Random(SEED);
        Map<String, int[]> tally = new TreeMap<>();
        Path target = dir.resolve("batches.arrow");
        int valuesMutated = 0;
        for (int i = 0; i < INPUTS; i++) {
            Mutation m = mutations.get(i % mutations.size());
            int which = m.name().equals("f32 values") ? rng.nextInt(2) : rng.nextInt(seeds.size());
            byte[] input = m.apply().apply(seeds.get(which), rng);
            Files.write(target, input);
            String label = "input " + i + " (" + m.name() + " of " + fixtures.get(which) + ", seed " + SEED + ")";
            List<TensorBatch> batches = null;
            RuntimeException failure = null;
            BufferAllocator perInput = allocator.newChildAllocator("input " + i, 0, Long.MAX_VALUE);
            try {
                batches = TensorBatchReader.readAll(target, perInput, OPTIONS);
            } catch (IllegalArgumentException | UncheckedIOException e) {
                failure = e;
                assertTrue(e.getMessage() != null && e.getMessage().contains(target.toString()),
                        label + ": the message should name the file: " + e.getMessage());
                if (m.name().equals("f32 values")) fail(label + ": a file with only new values was rejected: " + e.getMessage());
                tally.computeIfAbsent(m.name(), k -> new int[2])[1]++;
            } catch (Throwable t) {
                throw new AssertionError(label + ": only IllegalArgumentException or UncheckedIOException may leave the reader", t);
            }
            if (batches != null) {
                try {
                    if (m.name().equals("f32 values")) {
                        assertEquals(2, batches.size(), label);
                        assertArrayEquals(valuesOf(input, seeds.get(which)), batches.get(0).tensor("f32").toFloatArray(), label);
                        valuesMutated++;
                    }
                } finally {
                    batches.forEach(TensorBatch::close);
                }
                tally.computeIfAbsent(m.name(), k -> new int[2])[0]++;
            }
            // The fixtures inflate to about twice their size; no corrupt length may make the reader reserve more.
            long peak = perInput.getPeakMemoryAllocation();
            assertTrue(peak <= MAX_PEAK, label + ": the reader reserved " + peak + " bytes of Arrow memory at once, more than "
                    + MAX_PEAK + " for a file of " + input.length + " bytes");
            if (perInput.getAllocatedMemory() != 0) {
                throw new AssertionError(label + ": " + perInput.getAllocatedMemory() + " bytes of Arrow memory left allocated", failure);
            }
            perInput.close();
            if (allocator.getAllocatedMemory() != 0) {
                throw new AssertionError(label + ": " + allocator.getAllocatedMemory() + " bytes of Arrow memory left allocated", failure);
            }
        }
        int loaded = tally.values().stream().mapToInt(c -> c[0]).sum();
        int rejected = tally.values().stream().mapToInt(c -> c[1]).sum();
        assertEquals(INPUTS, loaded + rejected);
        assertTrue(valuesMutated > 0 && rejected > 0, "both outcomes: " + loaded + " loaded, " + rejected + " rejected");
        if (System.getProperty("kindling.fuzz.report") != null) {
            System.out.printf("Arrow IPC fuzz: %d inputs, %d loaded, %d rejected%n", INPUTS, loaded, rejected);
            tally.forEach((k, c) -> System.out.printf("  %-26s loaded %5d  rejected %5d%n", k, c[0], c[1]));
        }
    }

    private static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }

    /** Where the f32 values lie: the single place their bytes occur in an uncompressed fixture. */
    private static int valuesAt(byte[] file) {
        int at = -1;
        for (int i = 0; i + F32_VALUES.length <= file.length; i++) {
            if (Arrays.equals(file, i, i + F32_VALUES.length, F32_VALUES, 0, F32_VALUES.length)) {
                if (at >= 0) throw new IllegalStateException("the f32 values occur twice, at " + at + " and " + i);
                at = i;
            }
        }
        if (at < 0) throw new IllegalStateException("the f32 values do not occur in the fixture");
        return at;
    }

    /** The three floats at the f32 values' place in {@code mutated}, a same-length copy of {@code fixture}. */
    private static float[] valuesOf(byte[] mutated, byte[] fixture) {
        int at = valuesAt(fixture);
        ByteBuffer b = ByteBuffer.wrap(mutated).order(ByteOrder.LITTLE_ENDIAN);
        return new float[] {b.getFloat(at), b.getFloat(at + 4), b.getFloat(at + 8)};
    }

    private static List<Mutation> mutations() {
        List<Mutation> m = new ArrayList<>();
        m.add(new Mutation("bit flip", (f, r) -> {
            byte[] c = f.clone();
            c[r.nextInt(c.length)] ^= (byte) (1 << r.nextInt(8));
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
        m.add(new Mutation("int32 word", (f, r) -> {
            byte[] c = f.clone();
            int[] values = {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, -8, 0x40000000, 0x10000000, 0x7ffffff8, 1 << 20, 0, 8};
            int at = 4 * r.nextInt(c.length / 4);
            ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putInt(at, values[r.nextInt(values.length)]);
            return c;
        }));
        m.add(new Mutation("int64 word", (f, r) -> {
            byte[] c = f.clone();
            long[] values = {Long.MAX_VALUE, Long.MIN_VALUE, -1L, 1L << 40, 1L << 31, 1L << 33, 0x7ffffff8L, 3L << 30};
            int at = 8 * r.nextInt(c.length / 8);
            ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putLong(at, values[r.nextInt(values.length)]);
            return c;
        }));
        m.add(new Mutation("word +-k", (f, r) -> {
            byte[] c = f.clone();
            int at = 4 * r.nextInt(c.length / 4);
            ByteBuffer b = ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(at, b.getInt(at) + (r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(8)));
            return c;
        }));
        m.add(new Mutation("length-like int64", (f, r) -> {
            // Lengths and offsets (message bodies, buffers, footer blocks) are int64 words whose value fits in the file.
            byte[] c = f.clone();
            ByteBuffer b = ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN);
            List<Integer> at = new ArrayList<>();
            for (int p = 0; p + 8 <= c.length; p += 8) if (b.getLong(p) > 0 && b.getLong(p) <= c.length) at.add(p);
            int p = at.get(r.nextInt(at.size()));
            long v = b.getLong(p);
            long[] values = {v + 1 + r.nextInt(8), v - 1 - r.nextInt(8), 2 * v, v + (1L << 32), 1L << 40, 3L << 30, Long.MAX_VALUE, -v};
            b.putLong(p, values[r.nextInt(values.length)]);
            return c;
        }));
        m.add(new Mutation("length-like int32", (f, r) -> {
            byte[] c = f.clone();
            ByteBuffer b = ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN);
            List<Integer> at = new ArrayList<>();
            for (int p = 0; p + 4 <= c.length; p += 4) if (b.getInt(p) > 0 && b.getInt(p) <= c.length) at.add(p);
            int p = at.get(r.nextInt(at.size()));
            int v = b.getInt(p);
            int[] values = {v + 1 + r.nextInt(8), v - 1 - r.nextInt(8), 2 * v, Integer.MAX_VALUE, 0x7ffffff8, 1 << 30, -v};
            b.putInt(p, values[r.nextInt(values.length)]);
            return c;
        }));
        m.add(new Mutation("f32 values", (f, r) -> {
            byte[] c = f.clone();
            int at = valuesAt(f);
            for (int k = 0; k < 1 + r.nextInt(3); k++) c[at + r.nextInt(12)] = (byte) r.nextInt(256);
            return c;
        }));
        return m;
    }
}
