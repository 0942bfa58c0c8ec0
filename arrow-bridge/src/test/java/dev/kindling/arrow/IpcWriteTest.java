package dev.kindling.arrow;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.apache.arrow.vector.compression.CompressionUtil.CodecType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpcWriteTest extends AllocatorTest {

    private static TensorBatch batch(int rows, int seed) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("x", Tensors.arange(seed, seed + rows * 3, 1).to(DType.FLOAT32).reshape(rows, 3));
        m.put("img", Tensors.arange(seed, seed + rows * 4, 1).to(DType.FLOAT64).reshape(rows, 2, 2));
        m.put("y", Tensors.arange(seed, seed + rows, 1));
        m.put("k", Tensors.arange(seed, seed + rows, 1).to(DType.INT32));
        m.put("u", Tensors.arange(seed, seed + rows, 1).to(DType.UINT8));
        m.put("mask", Tensors.arange(seed, seed + rows, 1).remainder(2).eq(0));
        return TensorBatch.of(m);
    }

    private static void assertSameTensors(TensorBatch expected, TensorBatch actual) {
        assertEquals(expected.names(), actual.names());
        for (String name : expected.names()) {
            Tensor e = expected.tensor(name);
            Tensor a = actual.tensor(name);
            assertEquals(e.dtype(), a.dtype(), name);
            assertArrayEquals(e.shape(), a.shape(), name);
            assertArrayEquals(e.toDoubleArray(), a.toDoubleArray(), name);
        }
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @ParameterizedTest
    @EnumSource(value = CodecType.class, names = {"NO_COMPRESSION", "LZ4_FRAME", "ZSTD"})
    void fileRoundTripKeepsDtypesShapesAndValues(CodecType codec, @TempDir Path dir) throws IOException {
        Path file = dir.resolve("out.arrow");
        List<TensorBatch> written = List.of(batch(5, 0), batch(3, 100));
        TensorBatchWriter.writeFile(file, written, allocator, codec);
        assertEquals(List.of(file), filesIn(dir), "only the target remains; the temporary file was renamed");
        List<TensorBatch> read = TensorBatchReader.readAll(file, allocator, ViewOptions.defaults().allowCopies(true));
        try {
            assertEquals(2, read.size());
            assertSameTensors(written.get(0), read.get(0));
            assertSameTensors(written.get(1), read.get(1));
        } finally {
            read.forEach(TensorBatch::close);
        }
    }

    @Test
    void streamRoundTrip() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TensorBatch b = batch(4, 7);
        try (TensorBatchWriter w = TensorBatchWriter.stream(bytes, allocator, CodecType.LZ4_FRAME)) {
            w.write(b);
        }
        try (TensorBatchReader r = TensorBatchReader.stream(new ByteArrayInputStream(bytes.toByteArray()), allocator,
                ViewOptions.defaults().allowCopies(true))) {
            try (TensorBatch back = r.next()) {
                assertSameTensors(b, back);
            }
            assertNull(r.next());
        }
    }

    @Test
    void batchesReadFromIpcAreWrittenBackFromArrowMemory(@TempDir Path dir) {
        Path out = dir.resolve("copy.arrow");
        List<TensorBatch> read = TensorBatchReader.readAll(IpcReadTest.fixture("mixed.arrow"), allocator,
                ViewOptions.defaults().allowCopies(true));
        try {
            TensorBatchWriter.writeFile(out, read, allocator, CodecType.NO_COMPRESSION);
        } finally {
            read.forEach(TensorBatch::close);
        }
        List<TensorBatch> again = TensorBatchReader.readAll(out, allocator, ViewOptions.defaults().allowCopies(true));
        try {
            IpcReadTest.assertMixedRows(again.get(0), 0);
            IpcReadTest.assertMixedRows(again.get(1), 3);
        } finally {
            again.forEach(TensorBatch::close);
        }
    }

    @Test
    void aBatchWithAnotherSchemaIsRejectedAndNoFileAppears(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out.arrow");
        Files.writeString(file, "old content");
        TensorBatchWriter w = TensorBatchWriter.file(file, allocator);
        w.write(batch(2, 0));
        Map<String, Tensor> other = new LinkedHashMap<>(batch(2, 0).tensors());
        other.put("x", Tensors.zeros(2, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.write(TensorBatch.of(other)));
        assertTrue(e.getMessage().startsWith("write: column 0 expected x: FixedSizeList(3)"), e.getMessage());
        assertTrue(e.getMessage().endsWith("but got x: FixedSizeList(4)<$data$: FloatingPoint(SINGLE) not null> not null "
                + "from a float32 tensor of shape [2, 4]"), e.getMessage());
        w.close();
        assertEquals("old content", Files.readString(file), "a failed write leaves the target as it was");
        assertEquals(List.of(file), filesIn(dir), "and no temporary file behind");
    }

    @Test
    void abortLeavesNothingBehind(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out.arrow");
        try (TensorBatchWriter w = TensorBatchWriter.file(file, allocator)) {
            w.write(batch(2, 0));
            w.abort();
        }
        assertEquals(List.of(), filesIn(dir));
    }

    @Test
    void closingWithoutABatchIsAnErrorAndCreatesNothing(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("empty.arrow");
        TensorBatchWriter w = TensorBatchWriter.file(file, allocator);
        IllegalStateException e = assertThrows(IllegalStateException.class, w::close);
        assertEquals("close: no batch was written to " + file + ", so there is no schema to write; no file was created", e.getMessage());
        assertFalse(Files.exists(file));
        assertEquals(List.of(), filesIn(dir));
    }
}
