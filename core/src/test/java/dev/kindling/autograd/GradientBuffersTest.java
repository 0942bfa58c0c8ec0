package dev.kindling.autograd;

import dev.kindling.tensor.PoolEveryOutput;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.example.userops.UserBackwards;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static dev.kindling.tensor.TestSupport.assertValues;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a backward pass does with the gradients it allocates ({@link GradientBuffers}): an
 * intermediate gradient goes back to the buffer pool once its last consumer has run, a leaf keeps
 * its first gradient instead of a copy when nothing else uses that storage, and gradients that
 * anything outside the pass may hold (the caller's, a hook's, a user's backward function's, two
 * uses of one storage) are left alone. Every op output is pooled here (minBytes 0), so "released"
 * is observable on small tensors. The spy ops below are lambdas of this package, which the engine
 * trusts like the library's own; {@link UserBackwards} is a user's.
 */
@ExtendWith(PoolEveryOutput.class)
class GradientBuffersTest {
    /** y = 3x whose backward records the gradient it gets and the one it returns. */
    private static Tensor spyTriple(Tensor x, List<Tensor> received, List<Tensor> returned) {
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = x.mul(3);
        }
        return Graph.record("SpyTripleBackward", out, x, grad -> {
            received.add(grad);
            Tensor r = grad.mul(3);
            returned.add(r);
            return r;
        });
    }

    @Test
    void intermediateGradientIsReleasedAndTheLeafKeepsItsGradientWithoutACopy() {
        Tensor x = Tensors.tensor(1.0f, -2.0f, 3.0f).requiresGrad_(true);
        List<Tensor> received = new ArrayList<>();
        List<Tensor> returned = new ArrayList<>();
        Tensor h = x.mul(x);                       // MulBackward: its gradient is made in the pass
        Tensor y = spyTriple(h, received, returned);
        Tensor up = Tensors.tensor(1.0f, 1.0f, 1.0f);
        y.backward(up);

        assertValues(x.grad(), 6, -12, 18);
        // The spy's own gradient is the caller's: never released.
        assertFalse(received.get(0).storage().isReleased(), "the caller's gradient was released");
        assertValues(up, 1, 1, 1);
        // What the spy returned went into MulBackward and is spent: back in the pool.
        assertTrue(returned.get(0).storage().isReleased(), "the spent intermediate gradient is still held");
        assertFalse(x.grad().storage().isReleased());
    }

    @Test
    void leafAdoptsTheGradientItIsGiven() {
        Tensor x = Tensors.tensor(1.0f, 2.0f).requiresGrad_(true);
        List<Tensor> received1 = new ArrayList<>();
        List<Tensor> returned1 = new ArrayList<>();
        List<Tensor> received2 = new ArrayList<>();
        List<Tensor> returned2 = new ArrayList<>();
        Tensor z = spyTriple(spyTriple(x, received1, returned1), received2, returned2);
        z.sum().backward();
        assertValues(x.grad(), 9, 9);
        assertSame(returned2.get(0), received1.get(0));
        assertTrue(returned2.get(0).storage().isReleased(), "the spent intermediate gradient is still held");
        assertSame(returned1.get(0).storage(), x.grad().storage(), "the leaf copied a gradient nobody else holds");
        assertFalse(x.grad().storage().isReleased());
    }

    @Test
    void aGradientUsedTwiceIsCopiedAndKept() {
        // AddBackward hands the same tensor to both inputs: x gets it twice, so it must not adopt it.
        Tensor x = Tensors.tensor(1.0f, 2.0f).requiresGrad_(true);
        List<Tensor> received = new ArrayList<>();
        List<Tensor> returned = new ArrayList<>();
        Tensor s = x.add(x);
        Tensor y = spyTriple(s, received, returned);
        y.sum().backward();
        assertValues(x.grad(), 6, 6);
        assertNotSame(returned.get(0).storage(), x.grad().storage());
        assertTrue(returned.get(0).storage().isReleased());
    }

    @Test
    void hooksKeepTheGradientsTheySee() {
        Tensor x = Tensors.tensor(1.0f, 2.0f).requiresGrad_(true);
        List<Tensor> seen = new ArrayList<>();
        Tensor h = x.mul(2);
        h.registerHook(g -> {
            seen.add(g);
            return null;
        });
        List<Tensor> received = new ArrayList<>();
        List<Tensor> returned = new ArrayList<>();
        Tensor y = spyTriple(h, received, returned);
        y.sum().backward();
        assertSame(returned.get(0), seen.get(0));
        assertFalse(seen.get(0).storage().isReleased(), "a gradient a hook saw was released");
        assertValues(seen.get(0), 3, 3);

        List<Tensor> leafSeen = new ArrayList<>();
        Tensor w = Tensors.tensor(1.0f, 2.0f).requiresGrad_(true);
        w.registerHook(g -> {
            leafSeen.add(g);
            return null;
        });
        List<Tensor> r2 = new ArrayList<>();
        List<Tensor> ret2 = new ArrayList<>();
        spyTriple(w.mul(2), r2, ret2).sum().backward();
        assertFalse(leafSeen.get(0).storage().isReleased());
        assertNotSame(leafSeen.get(0).storage(), w.grad().storage(), "the leaf adopted a gradient its hook holds");
        assertValues(w.grad(), 6, 6);
    }

    @Test
    void aUsersBackwardKeepsWhatItGetsAndReturns() {
        Tensor x = Tensors.tensor(1.0f, 2.0f).requiresGrad_(true);
        List<Tensor> kept = new ArrayList<>();
        List<Tensor> received = new ArrayList<>();
        List<Tensor> returned = new ArrayList<>();
        Tensor y = spyTriple(UserBackwards.doubleKeepingGradients(x.mul(1), kept), received, returned);
        y.sum().backward();
        assertSame(returned.get(0), kept.get(0));
        assertFalse(kept.get(0).storage().isReleased(), "the gradient a user's backward got was released");
        assertValues(kept.get(0), 3, 3);
        assertValues(x.grad(), 6, 6);
    }

    @Test
    void graphsThatBuildGraphsOrReturnGradientsKeepEverything() {
        Tensor x = Tensors.tensor(1.0f, 2.0f).requiresGrad_(true);
        List<Tensor> received = new ArrayList<>();
        List<Tensor> returned = new ArrayList<>();
        Tensor y = spyTriple(x.mul(x), received, returned).sum();
        Tensor[] g = Autograd.grad(new Tensor[] {y}, new Tensor[] {x}, null, true);
        assertValues(g[0], 6, 12);
        assertFalse(returned.get(0).storage().isReleased(), "createGraph: the gradient is part of a graph");
    }
}
