package dev.kindling.autograd;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicReference;

import static dev.kindling.tensor.TestSupport.assertBadInput;
import static dev.kindling.tensor.TestSupport.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutogradTest {

    @Test
    void backwardAccumulatesIntoLeaves() {
        Tensor x = Tensors.tensor(1.0, 2.0, 3.0).requiresGrad_(true);
        Tensor y = x.mul(x).sum();
        assertTrue(y.requiresGrad());
        assertFalse(y.isLeaf());
        assertEquals("SumBackward0", y.gradFn().name());
        y.backward();
        assertValues(x.grad(), 2, 4, 6);
        x.mul(3).sum().backward(); // accumulates across calls
        assertValues(x.grad(), 5, 7, 9);
        x.setGrad(null);
        x.sum().backward();
        assertValues(x.grad(), 1, 1, 1);
    }

    @Test
    void backwardWithAnExplicitGradient() {
        Tensor x = Tensors.tensor(1.0, 2.0).requiresGrad_(true);
        Tensor y = x.mul(2);
        y.backward(Tensors.tensor(10.0, -1.0));
        assertValues(x.grad(), 20, -2);
        assertBadInput(() -> x.mul(2).backward(), "grad can be implicitly created only for scalar outputs", "[2]");
        assertBadInput(() -> x.mul(2).backward(Tensors.tensor(1.0)), "gradient 0 has shape [1]", "[2]");
    }

    @Test
    void theGraphIsFreedUnlessRetained() {
        Tensor x = Tensors.tensor(2.0).requiresGrad_(true);
        Tensor y = x.exp().mul(3);
        y.backward(null, true, false);
        y.backward(null, false, false);
        assertEquals(2 * 3 * Math.exp(2), x.grad().item(), 1e-12);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("backward through the graph a second time"), e.getMessage());
        assertTrue(y.gradFn().nextEdges().isEmpty(), "a freed node drops its edges");
    }

    @Test
    void intermediatesBecomeGarbageAfterBackward() throws InterruptedException {
        Tensor w = Tensors.randn(new Generator(1), 64, 64).requiresGrad_(true);
        WeakReference<Tensor> hidden;
        {
            Tensor h = w.matmul(w).tanh();
            hidden = new WeakReference<>(h);
            h.sum().backward();
        }
        for (int i = 0; i < 50 && hidden.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(hidden.get(), "the intermediate tensor should be collectable once backward freed the graph");
    }

    @Test
    void detachAndNoGradCutTheGraph() {
        Tensor x = Tensors.tensor(1.0, 2.0).requiresGrad_(true);
        Tensor d = x.detach();
        assertFalse(d.requiresGrad());
        assertSame(x.storage(), d.storage());
        try (var g = GradMode.noGrad()) {
            assertFalse(x.mul(2).requiresGrad());
            try (var e = GradMode.enableGrad()) {
                assertTrue(x.mul(2).requiresGrad());
            }
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());
    }

    @Test
    void gradModeIsThreadLocal() throws Exception {
        AtomicReference<Boolean> other = new AtomicReference<>();
        try (var g = GradMode.noGrad()) {
            Thread t = new Thread(() -> other.set(GradMode.isEnabled()));
            t.start();
            t.join();
        }
        assertTrue(other.get());
    }

    @Test
    void retainGradKeepsANonLeafsGradient() {
        Tensor x = Tensors.tensor(1.0, 2.0).requiresGrad_(true);
        Tensor h = x.mul(3).retainGrad();
        Tensor other = x.mul(4);
        h.square().sum().backward();
        assertValues(h.grad(), 6, 12);
        assertNull(other.grad());
        assertValues(x.grad(), 18, 36);
    }

    @Test
    void autogradGradGivesSecondDerivatives() {
        Tensor x = Tensors.tensor(2.0).requiresGrad_(true);
        Tensor y = x.pow(3);
        Tensor dy = Autograd.grad(y, x, true);
        assertEquals(12.0, dy.item(), 1e-12);
        Tensor d2 = Autograd.grad(dy, x, false);
        assertEquals(12.0, d2.item(), 1e-12); // 6x
        assertNull(x.grad(), "Autograd.grad does not touch .grad");
        Tensor z = Tensors.tensor(1.0).requiresGrad_(true);
        assertBadInput(() -> Autograd.grad(new Tensor[] {x.mul(2)}, new Tensor[] {z}, null, false), "not have been used");
        assertNull(Autograd.grad(new Tensor[] {x.mul(2)}, new Tensor[] {z}, null, false, false, true)[0]);
    }

    @Test
    void hooksSeeAndReplaceGradients() {
        Tensor x = Tensors.tensor(1.0, 2.0).requiresGrad_(true);
        AtomicReference<Tensor> seen = new AtomicReference<>();
        x.registerHook(g -> g.mul(10));
        Tensor h = x.mul(2);
        h.registerHook(g -> {
            seen.set(g);
            return null; // keep it
        });
        h.sum().backward();
        assertValues(seen.get(), 1, 1);
        assertValues(x.grad(), 20, 20);
    }

    @Test
    void modifyingASavedTensorInPlaceIsDetected() {
        Tensor x = Tensors.tensor(1.0, 2.0).requiresGrad_(true);
        Tensor y = x.exp(); // saves its output
        Tensor z = y.sum();
        y.add_(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, z::backward);
        assertTrue(e.getMessage().contains("modified by an inplace operation"), e.getMessage());
        assertTrue(e.getMessage().contains("is at version 1; expected version 0"), e.getMessage());
    }

    @Test
    void inPlaceOpsRecordTheirHistory() {
        Tensor x = Tensors.tensor(1.0, -2.0).requiresGrad_(true);
        Tensor y = x.mul(2);
        y.relu_().add_(1).mul_(3);
        y.sum().backward();
        assertValues(x.grad(), 6, 0);
        assertBadInput(() -> x.add_(1), "leaf Variable that requires grad");
        Tensor base = x.mul(1);
        assertBadInput(() -> base.narrow(0, 0, 1).add_(1), "view");
        try (var g = GradMode.noGrad()) {
            x.sub_(x.grad().mul(0.1)); // what an optimizer does
        }
        assertValues(x, 0.4, -2.0);
    }

    @Test
    void gradientsComeBackInTheInputsDtype() {
        Tensor x = Tensors.tensor(1f, 2f).requiresGrad_(true);
        x.to(DType.FLOAT64).square().sum().backward();
        assertEquals(DType.FLOAT32, x.grad().dtype());
        assertValues(x.grad(), 2, 4);
        assertBadInput(() -> Tensors.arange(3).requiresGrad_(true), "only floating point");
    }

    @Test
    void lossesRejectBadInput() {
        Tensor logits = Tensors.randn(new Generator(0), 4, 3);
        assertBadInput(() -> F.crossEntropy(logits, Tensors.tensor(0L, 1L, 2L)), "batch_size (4)", "batch_size (3)");
        assertBadInput(() -> F.crossEntropy(logits, Tensors.tensor(0L, 1L, 3L, 0L)), "target 3", "[0, 3)");
        assertBadInput(() -> F.nllLoss(logits, Tensors.tensor(0f, 1f, 2f, 0f)), "class indices", "float32");
        assertBadInput(() -> F.crossEntropy(logits, Tensors.rand(2, 3)), "probabilities", "[4, 3]", "[2, 3]");
        assertBadInput(() -> F.mseLoss(logits, Tensors.zeros(5, 3)), "mseLoss", "[4, 3]", "[5, 3]");
        assertBadInput(() -> F.binaryCrossEntropy(logits, Tensors.zeros(4, 3)), "between 0 and 1");
        assertBadInput(() -> F.conv2d(Tensors.zeros(1, 3, 5, 5), Tensors.zeros(2, 4, 3, 3), null), "expects input with 4 channels", "3 channels");
        assertBadInput(() -> F.conv2d(Tensors.zeros(1, 1, 2, 2), Tensors.zeros(1, 1, 3, 3), null), "too small");
        assertBadInput(() -> F.embedding(Tensors.tensor(5L), Tensors.zeros(5, 2)), "embedding", "index 5", "size 5");
        assertBadInput(() -> F.layerNorm(logits, new int[] {4}), "normalized_shape [4]", "[4, 3]");
    }

    @Test
    void aLongTrainingLoopDoesNotGrowTheGraph() {
        Tensor w = Tensors.randn(new Generator(2), 8, 8).requiresGrad_(true);
        Tensor x = Tensors.randn(new Generator(3), 16, 8);
        Node first = null;
        for (int i = 0; i < 200; i++) {
            Tensor loss = x.matmul(w).tanh().square().mean();
            if (first == null) first = loss.gradFn();
            loss.backward();
            try (var g = GradMode.noGrad()) {
                w.sub_(w.grad().mul(0.01));
                w.setGrad(null);
            }
            assertTrue(w.isLeaf(), "the parameter stays a leaf");
        }
        assertTrue(first.nextEdges().isEmpty(), "each iteration's graph was released");
    }
}
