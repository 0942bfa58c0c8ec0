package dev.kindling.bench;

import dev.kindling.nn.functional.F;
import dev.kindling.optim.Adam;
import dev.kindling.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The Kindling side of a training benchmark, the mirror of {@link TorchNet}: a forward function
 * (usually a module's), its parameters, and the loop body of a PyTorch-style training script:
 * {@code opt.zeroGrad(); loss = F.crossEntropy(net(x), y); loss.backward(); opt.step()}.
 */
final class KindlingNet {
    private final UnaryOperator<Tensor> forward;
    private final List<Tensor> params;
    private final Adam adam;

    KindlingNet(UnaryOperator<Tensor> forward, List<Tensor> params, double lr) {
        this.forward = forward;
        this.params = List.copyOf(params);
        this.adam = params.isEmpty() ? null : new Adam(params, lr);
    }

    List<Tensor> params() { return params; }

    /** The forward pass alone. */
    Tensor forward(Tensor x) { return forward.apply(x); }

    /** One training step with Adam; returns the loss tensor. */
    Tensor step(Tensor x, Tensor labels) {
        adam.zeroGrad();
        Tensor loss = F.crossEntropy(forward.apply(x), labels);
        loss.backward();
        adam.step();
        return loss;
    }

    /**
     * Forward and backward without an update (gradients set to null first, as zeroGrad does): of
     * the mean cross-entropy when labels are given, else of the output with {@code upstream} as its
     * gradient. x gets a gradient when it requires one. Returns the loss or the output.
     */
    Tensor forwardBackward(Tensor x, Tensor labels, Tensor upstream) {
        for (Tensor p : params) p.setGrad(null);
        if (x.requiresGrad()) x.setGrad(null);
        Tensor out = forward.apply(x);
        if (labels != null) {
            Tensor loss = F.crossEntropy(out, labels);
            loss.backward();
            return loss;
        }
        out.backward(upstream);
        return out;
    }

    /** The gradients of the last pass, parameters first, then x's when it requires grad (as {@link TorchNet}). */
    List<float[]> gradients(Tensor x) {
        List<float[]> out = new ArrayList<>();
        for (Tensor p : params) out.add(p.grad().toFloatArray());
        if (x.requiresGrad()) out.add(x.grad().toFloatArray());
        return out;
    }
}
