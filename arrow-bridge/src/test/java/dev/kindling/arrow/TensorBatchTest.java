package dev.kindling.arrow;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorBatchTest extends AllocatorTest {

    private VectorSchemaRoot root() {
        List<FieldVector> vectors = List.of(
                Vectors.floats(allocator, "x1", 1, 2, 3, 4),
                Vectors.doubles(allocator, "x2", 10, 20, 30, 40),
                Vectors.longs(allocator, "label", 0, 1, 1, 0),
                Vectors.fixedFloatLists(allocator, "emb", 2, new float[][] {{1, -1}, {2, -2}, {3, -3}, {4, -4}}));
        return new VectorSchemaRoot(vectors);
    }

    @Test
    void batchViewsEveryColumnByName() {
        try (VectorSchemaRoot root = root(); TensorBatch batch = ArrowViews.batch(root)) {
            assertEquals(4, batch.rowCount());
            assertEquals(List.of("x1", "x2", "label", "emb"), batch.names());
            assertEquals(DType.INT64, batch.tensor("label").dtype());
            assertArrayEquals(new int[] {4, 2}, batch.tensor("emb").shape());
            for (String name : batch.names()) {
                assertTrue(batch.isZeroCopy(name), name);
            }
            FieldVector emb = root.getVector("emb");
            assertEquals(emb.getChildrenFromFields().get(0).getDataBuffer().memoryAddress(),
                    batch.tensor("emb").storage().segment().address());
            assertEquals(root.getVector("x2").getDataBuffer().memoryAddress(), batch.tensor("x2").storage().segment().address());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> batch.tensor("nope"));
            assertEquals("tensor: expected one of the columns [x1, x2, label, emb] but got 'nope'", e.getMessage());
        }
    }

    @Test
    void selectedColumnsComeInTheOrderAsked() {
        try (VectorSchemaRoot root = root();
             TensorBatch batch = ArrowViews.batch(root, ViewOptions.defaults().columns("label", "x1"))) {
            assertEquals(List.of("label", "x1"), batch.names());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ArrowViews.batch(root, ViewOptions.defaults().columns("x1", "missing")));
            assertEquals("batch: expected a column named 'missing' but the batch has [x1, x2, label, emb]", e.getMessage());
        }
    }

    @Test
    void copyAsMatrixGathersScalarColumnsIntoANewMatrix() {
        try (VectorSchemaRoot root = root(); TensorBatch batch = ArrowViews.batch(root)) {
            Tensor m = batch.copyAsMatrix(DType.FLOAT32, "x1", "x2", "label");
            assertArrayEquals(new int[] {4, 3}, m.shape());
            assertEquals(DType.FLOAT32, m.dtype());
            assertTrue(m.storage().isArrayBacked());
            assertArrayEquals(new float[] {1, 10, 0, 2, 20, 1, 3, 30, 1, 4, 40, 0}, m.toFloatArray());
            m.fill_(0); // a copy: the Arrow columns are untouched
            assertEquals(1f, ((Float4Vector) root.getVector("x1")).get(0));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> batch.copyAsMatrix(DType.FLOAT32, "x1", "emb"));
            assertEquals("copyAsMatrix: column 'emb' expected a scalar column (1-D) but has shape [4, 2]", e.getMessage());
        }
    }

    @Test
    void slicedBatchIsViewedFromItsOffset() {
        try (VectorSchemaRoot root = root(); VectorSchemaRoot slice = root.slice(1, 2); TensorBatch batch = ArrowViews.batch(slice)) {
            assertEquals(2, batch.rowCount());
            assertArrayEquals(new float[] {2, 3}, batch.tensor("x1").toFloatArray());
            assertArrayEquals(new long[] {1, 1}, batch.tensor("label").toLongArray());
            assertArrayEquals(new float[] {2, -2, 3, -3}, batch.tensor("emb").toFloatArray());
            assertEquals(root.getVector("x1").getDataBuffer().memoryAddress() + 4, batch.tensor("x1").storage().segment().address());
            batch.tensor("x1").fill_(7);
            assertEquals(7f, ((Float4Vector) root.getVector("x1")).get(1));
            assertEquals(7f, ((Float4Vector) root.getVector("x1")).get(2));
            assertEquals(4f, ((Float4Vector) root.getVector("x1")).get(3));
        }
    }

    @Test
    void aFailingColumnLeavesNothingRetained() {
        VarCharVector names = new VarCharVector("name", allocator);
        names.allocateNew(4);
        for (int i = 0; i < 4; i++) names.set(i, ("n" + i).getBytes(StandardCharsets.UTF_8));
        names.setValueCount(4);
        List<FieldVector> vectors = List.of(Vectors.floats(allocator, "x", 1, 2, 3, 4), names);
        try (VectorSchemaRoot root = new VectorSchemaRoot(vectors)) {
            long before = allocator.getAllocatedMemory();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArrowViews.batch(root));
            assertTrue(e.getMessage().startsWith("column 'name': Arrow type VARCHAR (Utf8) is not supported"), e.getMessage());
            assertEquals(before, allocator.getAllocatedMemory());
            assertTrue(allocator.getChildAllocators().isEmpty(), "the view's allocator was closed");
        }
    }

    @Test
    void copiedColumnsAreReportedAsCopies() {
        BitVector flag = new BitVector("flag", allocator);
        flag.allocateNew(3);
        flag.set(0, 1);
        flag.set(1, 0);
        flag.set(2, 1);
        flag.setValueCount(3);
        try (VectorSchemaRoot root = new VectorSchemaRoot(List.of(Vectors.floats(allocator, "x", 1, 2, 3), flag));
             TensorBatch batch = ArrowViews.batch(root, ViewOptions.defaults().allowCopies(true))) {
            assertTrue(batch.isZeroCopy("x"));
            assertFalse(batch.isZeroCopy("flag"));
            assertArrayEquals(new boolean[] {true, false, true}, batch.tensor("flag").toBooleanArray());
            assertArrayEquals(new float[] {1, 1, 2, 0, 3, 1}, batch.copyAsMatrix(DType.FLOAT32, "x", "flag").toFloatArray());
        }
    }

    @Test
    void batchOfPlainTensorsChecksRowCounts() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("a", Tensors.zeros(3, 2));
        m.put("b", Tensors.zeros(4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TensorBatch.of(m));
        assertEquals("TensorBatch.of: column 'b' expected 3 rows (as column 'a') but has shape [4]", e.getMessage());
        m.put("b", Tensors.zeros(3));
        TensorBatch b = TensorBatch.of(m);
        assertEquals(3, b.rowCount());
        assertFalse(b.isZeroCopy("a"));
    }
}
