package dev.kindling.backend.cpu;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each call runs under the thread count it asked for, while other threads ask for other counts. */
class BlasThreadGateTest {

    @Test
    void everyCallSeesItsOwnThreadCount() throws Exception {
        AtomicInteger library = new AtomicInteger(-1); // the process-wide count the gate sets
        AtomicInteger wrong = new AtomicInteger();
        AtomicInteger sets = new AtomicInteger();
        BlasThreadGate gate = new BlasThreadGate(n -> {
            library.set(n);
            sets.incrementAndGet();
        });
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int wanted = 1 + t % 2;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2000; i++) {
                    gate.run(wanted, () -> {
                        for (int spin = 0; spin < 50; spin++) {
                            if (library.get() != wanted) wrong.incrementAndGet();
                            Thread.onSpinWait();
                        }
                    });
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertEquals(0, wrong.get(), "calls that ran under another thread's count");
        assertTrue(sets.get() >= 1);
    }

    @Test
    void callsWantingTheCountInForceDoNotResetIt() {
        AtomicInteger sets = new AtomicInteger();
        BlasThreadGate gate = new BlasThreadGate(n -> sets.incrementAndGet());
        for (int i = 0; i < 10; i++) gate.run(1, () -> { });
        gate.run(2, () -> { });
        assertEquals(2, sets.get(), "one set for the first count, one for the change");
    }
}
