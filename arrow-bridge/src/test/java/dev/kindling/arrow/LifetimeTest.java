package dev.kindling.arrow;

import dev.kindling.tensor.Tensor;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LifetimeTest extends AllocatorTest {

    @Test
    void closedViewThrowsInsteadOfReadingFreedMemory() {
        try (Float4Vector v = Vectors.floats(allocator, "x", 1, 2, 3)) {
            ArrowView view = ArrowViews.view(v);
            Tensor t = view.tensor();
            assertEquals(6.0, t.sum().item());
            view.close();
            assertFalse(view.isOpen());
            IllegalStateException e = assertThrows(IllegalStateException.class, t::sum);
            assertEquals("Already closed", e.getMessage());
            assertThrows(IllegalStateException.class, () -> t.get(0));
            assertThrows(IllegalStateException.class, () -> t.fill_(0));
            assertThrows(IllegalStateException.class, view::tensor);
            view.close(); // idempotent
            assertEquals(2f, v.get(1), "the vector itself is untouched");
        }
    }

    @Test
    void viewKeepsItsMemoryAfterTheRootAndItsAllocatorAreClosed() {
        BufferAllocator child = allocator.newChildAllocator("reader", 0, Long.MAX_VALUE);
        VectorSchemaRoot root = new VectorSchemaRoot(List.of(Vectors.floats(child, "x", 1, 2, 3, 4)));
        long address = root.getVector("x").getDataBuffer().memoryAddress();
        TensorBatch batch = ArrowViews.batch(root);
        Tensor x = batch.tensor("x");

        root.close();
        child.close(); // succeeds: Arrow moved the buffer's accounting to the view's own allocator
        assertEquals(0, child.getAllocatedMemory());
        assertTrue(allocator.getAllocatedMemory() > 0, "the view still holds the memory");

        assertEquals(address, x.storage().segment().address());
        assertArrayEquals(new float[] {1, 2, 3, 4}, x.toFloatArray());
        x.add_(1);
        assertEquals(14.0, x.sum().item());

        batch.close();
        assertEquals(0, allocator.getAllocatedMemory());
        assertThrows(IllegalStateException.class, x::sum);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> batch.tensor("x"));
        assertEquals("tensor: this tensor batch is closed", e.getMessage());
        assertTrue(batch.isZeroCopy("x"), "what the column was stays known after close");
        assertFalse(batch.isOpen());
    }

    @Test
    void closingTheRootAllocatorUnderALiveViewFailsAndFreesNothing() {
        VectorSchemaRoot root = new VectorSchemaRoot(List.of(Vectors.floats(allocator, "x", 5, 6, 7)));
        ArrowView view = ArrowViews.view(root.getVector("x"));
        root.close();
        // Arrow refuses to close an allocator whose memory is still in use, and frees none of it.
        IllegalStateException e = assertThrows(IllegalStateException.class, allocator::close);
        assertTrue(e.getMessage().startsWith("Memory was leaked"), e.getMessage());
        assertArrayEquals(new float[] {5, 6, 7}, view.tensor().toFloatArray());
        view.close();
        assertEquals(0, allocator.getAllocatedMemory());
    }

    @Test
    void twoViewsOfOneBufferAreIndependent() {
        try (Float4Vector v = Vectors.floats(allocator, "x", 1, 2)) {
            ArrowView a = ArrowViews.view(v);
            ArrowView b = ArrowViews.view(v);
            a.close();
            assertArrayEquals(new float[] {1, 2}, b.tensor().toFloatArray());
            assertThrows(IllegalStateException.class, () -> a.tensor());
            b.close();
        }
    }

    @Test
    void unreachableViewIsReleasedByTheGarbageCollector() throws InterruptedException {
        VectorSchemaRoot root = new VectorSchemaRoot(List.of(Vectors.floats(allocator, "x", new float[1000])));
        assertEquals(4000.0, sumOfOnesThroughAForgottenView(root));
        root.close();
        // Only the forgotten view holds memory now; the cleaner frees it once the GC sees it is unreachable.
        assertTrue(allocator.getAllocatedMemory() > 0);
        for (int i = 0; i < 200 && allocator.getAllocatedMemory() > 0; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(0, allocator.getAllocatedMemory());
    }

    private static double sumOfOnesThroughAForgottenView(VectorSchemaRoot root) {
        Tensor t = ArrowViews.view(root.getVector("x")).tensor(); // never closed
        t.fill_(4);
        return t.sum().item();
    }
}
