package dev.kindling.arrow;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.util.TransferPair;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListViewTest extends AllocatorTest {

    @Test
    void fixedSizeListIsARowsByWidthViewOfTheChildBuffer() {
        float[][] rows = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12}};
        try (FixedSizeListVector v = Vectors.fixedFloatLists(allocator, "features", 3, rows);
             ArrowView view = ArrowViews.matrix(v)) {
            Tensor t = view.tensor();
            assertArrayEquals(new int[] {4, 3}, t.shape());
            assertEquals(DType.FLOAT32, t.dtype());
            assertEquals(v.getDataVector().getDataBuffer().memoryAddress(), t.storage().segment().address());
            assertEquals(6.0, t.get(1, 2));
            assertArrayEquals(new float[] {22, 26, 30}, t.sum(0).toFloatArray());
            t.select(0, 2).fill_(0);                       // row 2 through the tensor
            Float4Vector child = (Float4Vector) v.getDataVector();
            assertEquals(0f, child.get(6));
            assertEquals(0f, child.get(8));
            assertEquals(10f, child.get(9));
        }
    }

    @Test
    void largeViewFeedsParallelKernelsAndBlas() {
        int rows = 4096;
        int width = 64;
        float[][] data = new float[rows][width];
        for (int i = 0; i < rows; i++) for (int j = 0; j < width; j++) data[i][j] = (i % 7) - 3 + j * 0.01f;
        try (FixedSizeListVector v = Vectors.fixedFloatLists(allocator, "features", width, data);
             ArrowView view = ArrowViews.matrix(v)) {
            Tensor x = view.tensor();
            Tensor heap = Tensors.tensor(data);
            Tensor w = Tensors.randn(new Generator(3), width, 16);
            assertTrue(x.matmul(w).allclose(heap.matmul(w), 1e-5, 1e-4));
            assertEquals(heap.sum().item(), x.sum().item(), 1e-2);
            assertTrue(x.relu().sum(0).allclose(heap.relu().sum(0)));
        }
    }

    @Test
    void listOfEqualLengthsIsAMatrixStartingAtTheFirstOffset() {
        float[][] rows = {{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}};
        try (ListVector v = Vectors.floatLists(allocator, "seq", rows)) {
            try (ArrowView view = ArrowViews.view(v)) {
                assertArrayEquals(new int[] {5, 2}, view.tensor().shape());
                assertEquals(v.getDataVector().getDataBuffer().memoryAddress(), view.tensor().storage().segment().address());
                assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, view.tensor().toFloatArray());
            }
            TransferPair tp = v.getTransferPair(allocator);
            tp.splitAndTransfer(2, 3);
            try (ListVector slice = (ListVector) tp.getTo(); ArrowView view = ArrowViews.matrix(slice)) {
                assertArrayEquals(new int[] {3, 2}, view.tensor().shape());
                assertArrayEquals(new float[] {5, 6, 7, 8, 9, 10}, view.tensor().toFloatArray());
                assertEquals(v.getDataVector().getDataBuffer().memoryAddress() + 4 * 4, view.tensor().storage().segment().address());
            }
        }
    }

    @Test
    void slicedFixedSizeListHonoursTheOffset() {
        float[][] rows = {{1, 2}, {3, 4}, {5, 6}, {7, 8}};
        try (FixedSizeListVector v = Vectors.fixedFloatLists(allocator, "xy", 2, rows)) {
            TransferPair tp = v.getTransferPair(allocator);
            tp.splitAndTransfer(1, 2);
            try (FixedSizeListVector slice = (FixedSizeListVector) tp.getTo(); ArrowView view = ArrowViews.view(slice)) {
                assertArrayEquals(new int[] {2, 2}, view.tensor().shape());
                assertArrayEquals(new float[] {3, 4, 5, 6}, view.tensor().toFloatArray());
                assertEquals(v.getDataVector().getDataBuffer().memoryAddress() + 2 * 4, view.tensor().storage().segment().address());
            }
        }
    }

    @Test
    void listOfFixedSizeListsIsAThreeDimensionalImageBatch() {
        // 3 images of 2 x 4 pixels, pixel value = 100 * image + 10 * row + column.
        try (ListVector v = ListVector.empty("images", allocator)) {
            v.addOrGetVector(FieldType.nullable(new ArrowType.FixedSizeList(4)));
            FixedSizeListVector imageRows = (FixedSizeListVector) v.getDataVector();
            imageRows.addOrGetVector(FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)));
            Float8Vector px = (Float8Vector) imageRows.getDataVector();
            v.allocateNew();
            for (int n = 0; n < 3; n++) {
                v.startNewValue(n);
                for (int h = 0; h < 2; h++) {
                    imageRows.setNotNull(n * 2 + h);
                    for (int c = 0; c < 4; c++) px.setSafe((n * 2 + h) * 4 + c, 100 * n + 10 * h + c);
                }
                v.endValue(n, 2);
            }
            px.setValueCount(24);
            imageRows.setValueCount(6);
            v.setValueCount(3);
            try (ArrowView view = ArrowViews.view(v)) {
                Tensor t = view.tensor();
                assertArrayEquals(new int[] {3, 2, 4}, t.shape());
                assertEquals(DType.FLOAT64, t.dtype());
                assertEquals(213.0, t.get(2, 1, 3));
                assertEquals(0.0, t.get(0, 0, 0));
                FixedSizeListVector rowsVector = (FixedSizeListVector) v.getDataVector();
                Float8Vector pixels = (Float8Vector) rowsVector.getDataVector();
                assertEquals(pixels.getDataBuffer().memoryAddress(), t.storage().segment().address());
            }
        }
    }

    @Test
    void fixedSizeListOfFixedSizeListsIsThreeDimensional() {
        try (FixedSizeListVector v = FixedSizeListVector.empty("m", 2, allocator)) {
            v.addOrGetVector(FieldType.nullable(new ArrowType.FixedSizeList(3)));
            FixedSizeListVector inner = (FixedSizeListVector) v.getDataVector();
            inner.addOrGetVector(FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)));
            Float4Vector leaf = (Float4Vector) inner.getDataVector();
            v.allocateNew();
            for (int n = 0; n < 2; n++) {
                v.setNotNull(n);
                for (int r = 0; r < 2; r++) {
                    inner.setNotNull(n * 2 + r);
                    for (int c = 0; c < 3; c++) leaf.setSafe(n * 6 + r * 3 + c, n * 6 + r * 3 + c);
                }
            }
            leaf.setValueCount(12);
            inner.setValueCount(4);
            v.setValueCount(2);
            try (ArrowView view = ArrowViews.view(v)) {
                assertArrayEquals(new int[] {2, 2, 3}, view.tensor().shape());
                assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, view.tensor().toFloatArray());
                assertEquals(leaf.getDataBuffer().memoryAddress(), view.tensor().storage().segment().address());
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> ArrowViews.view(v, 2, ViewOptions.defaults()));
                assertTrue(e.getMessage().contains("expected a 2-D tensor") && e.getMessage().contains("gives shape [2, 2, 3]"),
                        e.getMessage());
            }
        }
    }

    @Test
    void listsOfUnequalLengthNameTheRowAndTheLengths() {
        try (ListVector v = Vectors.floatLists(allocator, "seq", new float[][] {{1, 2}, {3, 4}, {5}, {6, 7}})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArrowViews.view(v));
            assertEquals("column 'seq': lists must all have one length to form a tensor, but row 2 has length 1 while the "
                    + "first list (row 0) has length 2", e.getMessage());
        }
    }

    @Test
    void nullListIsRejectedWithItsRow() {
        try (ListVector v = Vectors.floatLists(allocator, "seq", new float[][] {{1, 2}, {3, 4}, {5, 6}, null})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArrowViews.view(v));
            assertEquals("column 'seq': expected no null lists but row 3 is null", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> ArrowViews.view(v, ViewOptions.defaults().nulls(NullPolicy.NAN)));
            assertEquals("column 'seq': expected no null lists but row 3 is null", e.getMessage());
        }
    }

    @Test
    void nullElementInsideAListNamesTheRow() {
        try (FixedSizeListVector v = Vectors.fixedFloatLists(allocator, "xy", 2, new float[][] {{1, 2}, {3, 4}, {5, 6}})) {
            ((Float4Vector) v.getDataVector()).setNull(5);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArrowViews.view(v));
            assertEquals("column 'xy': expected no nulls but row 2 is null (a list element); NullPolicy.NAN reads nulls in "
                    + "float columns as NaN", e.getMessage());
            try (ArrowView view = ArrowViews.view(v, ViewOptions.defaults().nulls(NullPolicy.NAN))) {
                float[] values = view.tensor().toFloatArray();
                assertArrayEquals(new float[] {1, 2, 3, 4, 5, Float.NaN}, values);
                assertEquals(false, view.isZeroCopy());
            }
        }
    }
}
