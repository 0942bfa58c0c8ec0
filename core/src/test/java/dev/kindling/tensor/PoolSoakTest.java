package dev.kindling.tensor;

import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.nn.functional.F;
import dev.kindling.optim.Adam;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 10,000 Adam steps of a small MLP with every op output drawn from the buffer pool (minBytes 0):
 * neither the heap after a full GC nor the bytes the pool holds may grow between step 1,000 and
 * step 10,000, and the pool must actually have served allocations. The backward pass releases the
 * intermediate gradients it allocated; every other array comes back through the GC.
 */
class PoolSoakTest {
    private static final int STEPS = 10_000;
    private static final int WARM = 1_000;

    @Test
    void tenThousandStepsLeaveHeapAndPoolFlat() throws InterruptedException {
        BufferPool pool = BufferPool.global();
        long savedMin = pool.minBytes();
        pool.setMinBytes(0);
        try {
            Generator g = new Generator(11);
            Sequential model = new Sequential(new Linear(32, 128), new ReLU(), new Linear(128, 128), new ReLU(), new Linear(128, 10));
            Adam adam = new Adam(model.parameters(), 1e-3);
            Tensor x = Tensors.randn(g, 64, 32);
            Tensor y = Tensors.randn(g, 64, 10);
            double firstLoss = 0;
            double lastLoss = 0;
            long[] heap = new long[2];
            long[] held = new long[2];
            long hitsAtWarm = 0;
            for (int step = 1; step <= STEPS; step++) {
                adam.zeroGrad();
                Tensor loss = F.mseLoss(model.forward(x), y);
                loss.backward();
                adam.step();
                if (step == 1) firstLoss = loss.item();
                lastLoss = loss.item();
                if (step == WARM || step == STEPS) {
                    int i = step == WARM ? 0 : 1;
                    heap[i] = heapAfterGc();
                    held[i] = pool.bytesHeld();
                    if (i == 0) hitsAtWarm = pool.hits();
                }
            }
            long served = pool.hits() - hitsAtWarm;
            System.out.printf("soak: heap after GC %d -> %d B, pool held %d -> %d B (max %d), hits %d in the last %d steps, %s%n",
                    heap[0], heap[1], held[0], held[1], pool.maxBytes(), served, STEPS - WARM, pool);
            assertTrue(lastLoss < firstLoss / 2, "the model trained: " + firstLoss + " -> " + lastLoss);
            assertTrue(served > 0, "the pool served some steps: " + served + " hits");
            assertTrue(heap[1] - heap[0] < 8L << 20, "heap after GC grew from " + heap[0] + " to " + heap[1]);
            assertTrue(held[1] <= pool.maxBytes() && held[1] - held[0] < 1L << 20,
                    "pool held " + held[0] + " then " + held[1]);
        } finally {
            pool.setMinBytes(savedMin);
            pool.trim();
        }
    }

    /** Used heap after full GCs, once the Cleaner has handed dropped arrays back to the pool. */
    private static long heapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            BufferPool.global().reclaim();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
