package dev.kindling.optim;

import dev.kindling.autograd.AutogradMeta;
import dev.kindling.nn.Linear;
import dev.kindling.tensor.PoolEveryOutput;
import dev.kindling.tensor.Storage;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.example.userops.KeepingOptimizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static dev.kindling.tensor.TestSupport.assertValues;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * zeroGrad gives a gradient back to the buffer pool when backward allocated it and nobody was
 * handed it, and leaves every gradient that someone may hold alone: one read through
 * {@link Tensor#grad()}, one a user's optimizer was given, one the user set, one that carries a
 * graph. The tests look at gradients through {@link AutogradMeta#peekGrad}, which hands nothing
 * out. Every op output is pooled here (minBytes 0), so "released" is observable on small tensors.
 */
@ExtendWith(PoolEveryOutput.class)
class ZeroGradReleaseTest {
    private static Tensor leaf() {
        return Tensors.tensor(1.0f, -2.0f, 3.0f).requiresGrad_(true);
    }

    /** d/dx sum(x * x) = 2x, its storage as backward left it. */
    private static Storage squareGradient(Tensor x) {
        x.mul(x).sum().backward();
        return AutogradMeta.peekGrad(x).storage();
    }

    @Test
    void optimizerStepThenZeroGradReleasesTheGradient() {
        Tensor x = leaf();
        Adam adam = new Adam(List.of(x), 0.1);
        Storage grad = squareGradient(x);
        adam.step();
        assertFalse(grad.isReleased(), "released before zeroGrad");
        adam.zeroGrad();
        assertTrue(grad.isReleased(), "zeroGrad kept a gradient nobody holds");
        assertNull(x.grad());
    }

    @Test
    void moduleZeroGradReleasesToo() {
        Linear lin = new Linear(3, 2);
        lin.forward(Tensors.ones(4, 3)).sum().backward();
        Storage w = AutogradMeta.peekGrad(lin.weight()).storage();
        lin.zeroGrad();
        assertTrue(w.isReleased(), "Module.zeroGrad kept a gradient nobody holds");
    }

    @Test
    void aGradientReadThroughGradIsKeptAndStaysValid() {
        Tensor x = leaf();
        SGD sgd = new SGD(List.of(x), 0.1);
        squareGradient(x);
        Tensor held = x.grad();
        sgd.step();
        sgd.zeroGrad();
        assertFalse(held.storage().isReleased(), "zeroGrad released a gradient the caller holds");
        assertValues(held, 2, -4, 6);
    }

    @Test
    void aUsersOptimizerMayKeepTheGradientsItIsGiven() {
        Tensor x = leaf();
        List<Tensor> kept = new ArrayList<>();
        KeepingOptimizer opt = new KeepingOptimizer(List.of(x), 0.5, kept);
        squareGradient(x);
        opt.step();
        opt.zeroGrad();
        assertFalse(kept.get(0).storage().isReleased(), "zeroGrad released a gradient a user's optimizer kept");
        assertValues(kept.get(0), 2, -4, 6);
        assertValues(x.detach(), 0, 0, 0);
    }

    @Test
    void accumulatedGradientIsReleasedOnceAndClippingDoesNotHandItOut() {
        Tensor x = leaf();
        SGD sgd = new SGD(List.of(x), 0.1);
        Storage first = squareGradient(x);
        Storage second = squareGradient(x);   // accumulates into the first in place
        assertTrue(first == second, "accumulation replaced the gradient's storage");
        GradClipping.clipGradNorm(List.of(x), 1e9);
        assertValues(AutogradMeta.peekGrad(x), 4, -8, 12);
        sgd.step();
        sgd.zeroGrad();
        assertTrue(first.isReleased(), "clipping or accumulation made the gradient look handed out");
    }

    @Test
    void aGradientTheUserSetIsNeverReleased() {
        Tensor x = leaf();
        Tensor mine = Tensors.tensor(1.0f, 1.0f, 1.0f);
        x.setGrad(mine);
        new SGD(List.of(x), 0.1).zeroGrad();
        assertFalse(mine.storage().isReleased(), "zeroGrad released the user's own tensor");
        assertValues(mine, 1, 1, 1);
    }

    @Test
    void aGradientWithAGraphIsNeverReleased() {
        Tensor x = leaf();
        x.mul(x).sum().backward(null, false, true);      // createGraph: grad = 2x with history
        Tensor g = AutogradMeta.peekGrad(x);
        Storage s = g.storage();
        new SGD(List.of(x), 0.1).zeroGrad();
        assertFalse(s.isReleased(), "zeroGrad released a gradient that is part of a graph");
        assertValues(g.detach(), 2, -4, 6);
    }
}
