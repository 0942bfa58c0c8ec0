package dev.kindling.arrow;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorToArrowTest extends AllocatorTest {

    @Test
    void heapTensorsAreCopiedIntoVectorsOfTheMatchingType() {
        try (FieldVector f = TensorToArrow.toVector("f", Tensors.tensor(1.5f, -2f), allocator);
             FieldVector d = TensorToArrow.toVector("d", Tensors.tensor(0.25, 1e300), allocator);
             FieldVector i = TensorToArrow.toVector("i", Tensors.fromArray(new int[] {7, -8}), allocator);
             FieldVector l = TensorToArrow.toVector("l", Tensors.tensor(Long.MAX_VALUE, 3L), allocator);
             FieldVector u = TensorToArrow.toVector("u", Tensors.fromArray(new byte[] {(byte) 255, 1}, DType.UINT8), allocator);
             FieldVector b = TensorToArrow.toVector("b", Tensors.tensor(true, false, true, true, false, false, true, false, true), allocator)) {
            assertEquals(-2f, assertInstanceOf(Float4Vector.class, f).get(1));
            assertEquals(1e300, assertInstanceOf(Float8Vector.class, d).get(1));
            assertEquals(-8, assertInstanceOf(IntVector.class, i).get(1));
            assertEquals(Long.MAX_VALUE, assertInstanceOf(BigIntVector.class, l).get(0));
            assertEquals(255, assertInstanceOf(UInt1Vector.class, u).getObjectNoOverflow(0).intValue());
            BitVector bits = assertInstanceOf(BitVector.class, b);
            assertEquals(9, bits.getValueCount());
            int[] expected = {1, 0, 1, 1, 0, 0, 1, 0, 1};
            for (int k = 0; k < expected.length; k++) assertEquals(expected[k], bits.get(k), "bit " + k);
            for (FieldVector v : List.of(f, d, i, l, u, b)) {
                assertEquals(0, v.getNullCount(), v.getName());
                assertEquals("f", f.getName());
            }
        }
    }

    @Test
    void matrixBecomesAFixedSizeListAndThreeDimsTwoLevels() {
        Tensor m = Tensors.arange(0, 6, 1).to(DType.FLOAT32).reshape(3, 2);
        Tensor cube = Tensors.arange(0, 24, 1).to(DType.FLOAT64).reshape(2, 3, 4);
        try (FieldVector v = TensorToArrow.toVector("m", m, allocator); FieldVector c = TensorToArrow.toVector("c", cube, allocator)) {
            FixedSizeListVector fsl = assertInstanceOf(FixedSizeListVector.class, v);
            assertEquals(3, fsl.getValueCount());
            assertEquals(2, fsl.getListSize());
            assertEquals(List.of(4f, 5f), fsl.getObject(2));
            assertEquals("FixedSizeList(3)", c.getField().getType().toString());
            assertEquals("FixedSizeList(4)", ((FixedSizeListVector) c).getDataVector().getField().getType().toString());
            try (ArrowView back = ArrowViews.view(c)) {
                assertArrayEquals(new int[] {2, 3, 4}, back.tensor().shape());
                assertTrue(back.tensor().equal(cube));
            }
        }
    }

    @Test
    void stridedTensorIsWrittenInRowMajorOrder() {
        Tensor t = Tensors.arange(0, 6, 1).to(DType.INT32).reshape(2, 3).t(); // [[0,3],[1,4],[2,5]]
        try (FieldVector v = TensorToArrow.toVector("t", t, allocator); ArrowView back = ArrowViews.view(v)) {
            assertArrayEquals(new int[] {0, 3, 1, 4, 2, 5}, back.tensor().toIntArray());
        }
    }

    @Test
    void viewOfArrowMemoryIsTransferredWithoutCopying() {
        try (Float4Vector source = Vectors.floats(allocator, "x", 1, 2, 3, 4, 5); ArrowView view = ArrowViews.view(source)) {
            Tensor middle = view.tensor().slice(0, 1, 4); // a contiguous view at an offset
            try (FieldVector whole = TensorToArrow.toVector("whole", view.tensor(), allocator);
                 FieldVector part = TensorToArrow.toVector("part", middle, allocator)) {
                assertEquals(source.getDataBuffer().memoryAddress(), whole.getDataBuffer().memoryAddress());
                assertEquals(source.getDataBuffer().memoryAddress() + 4, part.getDataBuffer().memoryAddress());
                assertEquals(List.of(2f, 3f, 4f), List.of(((Float4Vector) part).get(0), ((Float4Vector) part).get(1),
                        ((Float4Vector) part).get(2)));
                ((Float4Vector) whole).set(4, 50f);
                assertEquals(50f, source.get(4), "one memory, three vectors");
                assertEquals(50.0, view.tensor().get(4));
            }
        }
    }

    @Test
    void transferredVectorOutlivesTheViewAndTheSource() {
        FieldVector copy;
        try (Float8Vector source = Vectors.doubles(allocator, "x", 1, 2, 3); ArrowView view = ArrowViews.view(source)) {
            copy = TensorToArrow.toVector("y", view.tensor(), allocator);
        }
        try (FieldVector y = copy) {
            assertEquals(3.0, ((Float8Vector) y).get(2));
        }
    }

    @Test
    void differentRootAllocatorMeansACopy() {
        try (BufferAllocator other = new RootAllocator();
             Float4Vector source = Vectors.floats(allocator, "x", 1, 2, 3);
             ArrowView view = ArrowViews.view(source);
             FieldVector out = TensorToArrow.toVector("x", view.tensor(), other)) {
            assertNotEquals(source.getDataBuffer().memoryAddress(), out.getDataBuffer().memoryAddress());
            assertEquals(3f, ((Float4Vector) out).get(2));
        }
    }

    @Test
    void closedViewCannotBeWritten() {
        try (Float4Vector source = Vectors.floats(allocator, "x", 1, 2, 3)) {
            ArrowView view = ArrowViews.view(source);
            Tensor t = view.tensor();
            view.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> TensorToArrow.toVector("x", t, allocator));
            assertEquals("toVector: the tensor views Arrow memory whose view or batch has been closed", e.getMessage());
        }
    }

    @Test
    void zeroDimTensorIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorToArrow.toVector("s", Tensors.scalar(1.0), allocator));
        assertEquals("toVector: column 's' expected a tensor with at least 1 dim (rows) but got a 0-dim tensor", e.getMessage());
    }

    @Test
    void batchBecomesAVectorSchemaRoot() {
        Map<String, Tensor> cols = new LinkedHashMap<>();
        cols.put("x", Tensors.tensor(new float[][] {{1, 2}, {3, 4}, {5, 6}}));
        cols.put("y", Tensors.tensor(0L, 1L, 0L));
        try (VectorSchemaRoot root = TensorToArrow.toRoot(TensorBatch.of(cols), allocator)) {
            assertEquals(3, root.getRowCount());
            assertEquals("Schema<x: FixedSizeList(2)<$data$: FloatingPoint(SINGLE) not null> not null, y: Int(64, true) not null>",
                    root.getSchema().toString());
            try (TensorBatch back = ArrowViews.batch(root)) {
                assertTrue(back.tensor("x").equal(cols.get("x")));
                assertTrue(back.tensor("y").equal(cols.get("y")));
            }
        }
    }
}
