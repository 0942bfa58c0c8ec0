package dev.kindling.arrow;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads IPC files written by another Arrow implementation (see src/test/resources/ipc/README.md). */
class IpcReadTest extends AllocatorTest {
    private static final ViewOptions COPY_BITS = ViewOptions.defaults().allowCopies(true);

    static Path fixture(String name) {
        try {
            return Path.of(IpcReadTest.class.getResource("/ipc/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mixed.arrow", "mixed.arrows", "mixed-lz4.feather", "mixed-zstd.arrow"})
    void readsTheMixedFixtureInEveryForm(String file) {
        List<TensorBatch> batches = TensorBatchReader.readAll(fixture(file), allocator, COPY_BITS);
        try {
            assertEquals(2, batches.size());
            assertEquals(3, batches.get(0).rowCount());
            assertEquals(2, batches.get(1).rowCount());
            int first = 0;
            for (TensorBatch b : batches) {
                assertMixedRows(b, first);
                first += b.rowCount();
            }
        } finally {
            batches.forEach(TensorBatch::close);
        }
    }

    /** Checks every column against the formulas the fixture was generated with. */
    static void assertMixedRows(TensorBatch b, int firstRow) {
        int n = b.rowCount();
        assertEquals(List.of("f32", "f64", "i32", "i64", "u8", "flag", "vec", "seq", "img"), b.names());
        assertEquals(DType.FLOAT32, b.tensor("f32").dtype());
        assertEquals(DType.FLOAT64, b.tensor("f64").dtype());
        assertEquals(DType.INT32, b.tensor("i32").dtype());
        assertEquals(DType.INT64, b.tensor("i64").dtype());
        assertEquals(DType.UINT8, b.tensor("u8").dtype());
        assertEquals(DType.BOOL, b.tensor("flag").dtype());
        assertArrayEquals(new int[] {n, 3}, b.tensor("vec").shape());
        assertArrayEquals(new int[] {n, 2}, b.tensor("seq").shape());
        assertArrayEquals(new int[] {n, 2, 2}, b.tensor("img").shape());
        for (int k = 0; k < n; k++) {
            int r = firstRow + k;
            assertEquals(1.5 * r - 2, b.tensor("f32").get(k));
            assertEquals(0.25 * r + 1e10, b.tensor("f64").get(k));
            assertEquals(7 * r - 10, b.tensor("i32").getLong(k));
            assertEquals(3_000_000_000L * r, b.tensor("i64").getLong(k));
            assertEquals(200 + r, b.tensor("u8").getLong(k));
            assertEquals(r % 2 == 0 ? 1 : 0, b.tensor("flag").getLong(k));
            assertArrayEquals(new float[] {r, r + 0.5f, -(float) r}, b.tensor("vec").select(0, k).toFloatArray());
            assertArrayEquals(new float[] {10 * r, 10 * r + 1}, b.tensor("seq").select(0, k).toFloatArray());
            assertArrayEquals(new float[] {r, r + 1, r + 2, r + 3}, b.tensor("img").select(0, k).toFloatArray());
        }
        for (String name : b.names()) assertEquals(!name.equals("flag"), b.isZeroCopy(name), name);
    }

    @Test
    void readsAStreamFromAnInputStream() throws IOException {
        try (InputStream in = Files.newInputStream(fixture("mixed.arrows"));
             TensorBatchReader r = TensorBatchReader.stream(in, allocator, COPY_BITS.columns("i64", "img"))) {
            assertEquals(9, r.schema().getFields().size());
            try (TensorBatch b1 = r.next(); TensorBatch b2 = r.next()) {
                assertEquals(List.of("i64", "img"), b1.names());
                assertArrayEquals(new long[] {9_000_000_000L, 12_000_000_000L}, b2.tensor("i64").toLongArray());
                assertNull(r.next());
            }
        }
    }

    @Test
    void batchesOutliveTheReaderAndTheNextBatch() {
        TensorBatch first;
        TensorBatch second;
        try (TensorBatchReader r = TensorBatchReader.open(fixture("mixed.arrow"), allocator, COPY_BITS.columns("f32", "seq"))) {
            first = r.next();
            second = r.next();
        }
        try (first; second) {
            assertArrayEquals(new float[] {-2f, -0.5f, 1f}, first.tensor("f32").toFloatArray());
            assertArrayEquals(new float[] {30, 31, 40, 41}, second.tensor("seq").toFloatArray());
        }
    }

    @Test
    void nullsInAFileNameTheColumnAndTheRow() {
        Path bad = fixture("bad.arrow");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorBatchReader.readAll(bad, allocator, ViewOptions.defaults().columns("f32")));
        assertEquals("next: " + bad + ", record batch 0: column 'f32': expected no nulls but row 1 is null; NullPolicy.NAN reads nulls "
                + "in float columns as NaN", e.getMessage());
        List<TensorBatch> nan = TensorBatchReader.readAll(bad, allocator, ViewOptions.defaults().columns("f32").nulls(NullPolicy.NAN));
        try {
            Tensor f = nan.get(0).tensor("f32");
            assertArrayEquals(new float[] {1, Float.NaN, 3, Float.NaN}, f.toFloatArray());
            assertFalse(nan.get(0).isZeroCopy("f32"));
        } finally {
            nan.forEach(TensorBatch::close);
        }
        e = assertThrows(IllegalArgumentException.class,
                () -> TensorBatchReader.readAll(bad, allocator, ViewOptions.defaults().columns("i64").nulls(NullPolicy.NAN)));
        assertEquals("next: " + bad + ", record batch 0: column 'i64': expected no nulls but row 2 is null; int64 tensors have no value "
                + "for a missing entry", e.getMessage());
    }

    @Test
    void raggedListsAndStringsInAFileAreRejected() {
        Path bad = fixture("bad.arrow");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorBatchReader.readAll(bad, allocator, ViewOptions.defaults().columns("ragged")));
        assertEquals("next: " + bad + ", record batch 0: column 'ragged': lists must all have one length to form a tensor, but row 2 "
                + "has length 1 while the first list (row 0) has length 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TensorBatchReader.readAll(bad, allocator, ViewOptions.defaults().columns("name")));
        assertTrue(e.getMessage().startsWith("next: " + bad + ", record batch 0: column 'name': Arrow type VARCHAR (Utf8) is not supported"),
                e.getMessage());
    }

    @Test
    void corruptLengthsAreRejectedByNameWithoutAllocatingThem(@TempDir Path dir) throws IOException {
        byte[] file = Files.readAllBytes(fixture("mixed.arrow"));
        java.nio.ByteBuffer.wrap(file).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(file.length - 10, Integer.MAX_VALUE);
        Path footer = dir.resolve("footer.arrow");
        Files.write(footer, file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TensorBatchReader.open(footer, allocator));
        assertTrue(e.getMessage().startsWith("open: expected an Arrow IPC file or stream but cannot read the header of " + footer
                + ": footer length 2147483647 does not fit in a file of " + file.length + " bytes"), e.getMessage());

        // A stream cut inside the first record batch's body: the message says more bytes than remain.
        byte[] stream = Files.readAllBytes(fixture("mixed.arrows"));
        Path cut = dir.resolve("cut.arrows");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(stream).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int batch = 8 + b.getInt(4); // after the schema message: 0xFFFFFFFF, its length, its metadata, no body
        Files.write(cut, java.util.Arrays.copyOf(stream, batch + 8 + b.getInt(batch + 4) + 8));
        try (TensorBatchReader r = TensorBatchReader.open(cut, allocator)) {
            e = assertThrows(IllegalArgumentException.class, r::next);
            assertTrue(e.getMessage().startsWith("next: " + cut + ", record batch 0: the message at byte "), e.getMessage());
            assertTrue(e.getMessage().contains("declares a body of"), e.getMessage());
        }
    }

    @Test
    void featherV1AndNonArrowFilesAreRejectedByName(@TempDir Path dir) throws IOException {
        Path v1 = dir.resolve("old.feather");
        Files.write(v1, new byte[] {'F', 'E', 'A', '1', 0, 0, 0, 0, 1, 2, 3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TensorBatchReader.open(v1, allocator));
        assertTrue(e.getMessage().startsWith("open: " + v1 + " is Feather V1 (magic FEA1); expected Arrow IPC"), e.getMessage());

        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "this is not arrow at all, just some text that is long enough");
        e = assertThrows(IllegalArgumentException.class, () -> TensorBatchReader.open(text, allocator));
        assertEquals("open: expected an Arrow IPC file (magic ARROW1) or stream (0xFFFFFFFF and a message length) in " + text
                + " but its first bytes are [74 68 69 73 20 69 73 20] in a file of 60 bytes", e.getMessage());

        Path truncated = dir.resolve("truncated.arrow");
        byte[] whole = Files.readAllBytes(fixture("mixed.arrow"));
        Files.write(truncated, java.util.Arrays.copyOf(whole, 100));
        e = assertThrows(IllegalArgumentException.class, () -> TensorBatchReader.open(truncated, allocator));
        assertTrue(e.getMessage().startsWith("open: expected an Arrow IPC file or stream but cannot read the header of " + truncated),
                e.getMessage());
    }
}
