package dev.kindling.bench;

import ai.djl.ndarray.NDArray;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.ArrayList;
import java.util.List;

/**
 * The inputs of one training benchmark case, identical on both sides: a pool of batches (inputs,
 * integer labels, and an upstream gradient for cases that differentiate a layer's output), as
 * Kindling tensors sharing the generated arrays and as libtorch copies. Each timed call takes the
 * next batch of the pool, so a training step never fits one batch for thousands of steps, which
 * would drive the gradients into float32 denormals and measure those instead of the network.
 */
final class TrainCase implements AutoCloseable {
    private final List<Tensor> x = new ArrayList<>();
    private final List<Tensor> labels = new ArrayList<>();
    private final List<Tensor> upstream = new ArrayList<>();
    private final List<NDArray> tx = new ArrayList<>();
    private final List<NDArray> tLabels = new ArrayList<>();
    private final List<NDArray> tUpstream = new ArrayList<>();
    private int kNext;
    private int tNext;

    /**
     * @param inputShape    one batch's input shape (values uniform in [-1, 1))
     * @param inputGrad     whether the Kindling input requires grad (a layer inside a network)
     * @param classes       labels drawn from [0, classes), or 0 for no labels
     * @param upstreamShape the output's shape for an upstream gradient, or null
     */
    TrainCase(TorchPeer torch, int pool, long seed, int[] inputShape, boolean inputGrad, int classes, int[] upstreamShape) {
        for (int b = 0; b < pool; b++) {
            long s = seed * 1000 + b * 3L;
            float[] xs = Inputs.signed(s, numel(inputShape));
            Tensor xt = Tensors.fromArray(xs, inputShape);
            x.add(inputGrad ? xt.requiresGrad_(true) : xt);
            if (torch != null) tx.add(torch.array(xs, TorchNet.toLongs(inputShape)));
            if (classes > 0) {
                long[] ls = Inputs.labels(s + 1, inputShape[0], classes);
                labels.add(Tensors.fromArray(ls, ls.length));
                if (torch != null) tLabels.add(torch.array(ls, ls.length));
            }
            if (upstreamShape != null) {
                float[] gs = Inputs.signed(s + 2, numel(upstreamShape));
                upstream.add(Tensors.fromArray(gs, upstreamShape));
                if (torch != null) tUpstream.add(torch.array(gs, TorchNet.toLongs(upstreamShape)));
            }
        }
    }

    /** A Kindling call on the next batch of the pool (batch 0 first). */
    Runnable kindling(KindlingNet net, boolean step) {
        return () -> {
            int b = kNext;
            kNext = (kNext + 1) % x.size();
            Sink.keep(step ? net.step(x.get(b), labels.get(b)) : net.forwardBackward(x.get(b), label(b), up(b)));
        };
    }

    /** The same call through libtorch. */
    Runnable torch(TorchNet net, boolean step) {
        return () -> {
            int b = tNext;
            tNext = (tNext + 1) % tx.size();
            if (step) Sink.keep(net.step(tx.get(b), tLabels.get(b)));
            else net.forwardBackward(tx.get(b), tLabels.isEmpty() ? null : tLabels.get(b), tUpstream.isEmpty() ? null : tUpstream.get(b));
        };
    }

    /** A Kindling forward pass alone, without recording autograd, on the next batch of the pool. */
    Runnable kindlingForward(KindlingNet net) {
        return () -> {
            int b = kNext;
            kNext = (kNext + 1) % x.size();
            try (var scope = dev.kindling.autograd.GradMode.noGrad()) {
                Sink.keep(net.forward(x.get(b)));
            }
        };
    }

    /** The same forward pass through libtorch, on tensors that do not require grad. */
    Runnable torchForward(TorchNet net) {
        return () -> {
            int b = tNext;
            tNext = (tNext + 1) % tx.size();
            net.forward(tx.get(b));
        };
    }

    /** Fails unless both sides compute the same forward output on batch 0 (to {@code tol} of its scale). */
    void checkForward(String label, KindlingNet k, TorchNet t, double tol) {
        float[] kOut;
        try (var scope = dev.kindling.autograd.GradMode.noGrad()) {
            kOut = k.forward(x.get(0)).toFloatArray();
        }
        Checks.closeToScale(label + ": PyTorch vs Kindling forward", kOut, t.forwardValues(tx.get(0)), tol);
    }

    /**
     * Fails unless both sides compute the same loss and gradients on batch 0 (to float32
     * rounding, {@code tol} relative), starting from the same parameters.
     */
    void checkGradients(String label, KindlingNet k, TorchNet t, double tol) {
        Tensor out = k.forwardBackward(x.get(0), label(0), up(0));
        TorchNet.Gradients tg = t.gradients(tx.get(0), tLabels.isEmpty() ? null : tLabels.get(0),
                tUpstream.isEmpty() ? null : tUpstream.get(0));
        if (!labels.isEmpty()) Checks.close(label + ": loss", new float[] {(float) out.item()}, new float[] {tg.loss()}, tol);
        List<float[]> kg = k.gradients(x.get(0));
        if (kg.size() != tg.grads().size()) throw new IllegalStateException(label + ": " + kg.size() + " vs " + tg.grads().size() + " gradients");
        for (int i = 0; i < kg.size(); i++) Checks.closeToScale(label + ": PyTorch vs Kindling gradient " + i, kg.get(i), tg.grads().get(i), tol);
    }

    /** Fails unless one training step on batch 0 gives both sides the same loss and the same parameters afterwards. */
    void checkStep(String label, KindlingNet k, TorchNet t, double tol) {
        float kLoss = (float) k.step(x.get(0), labels.get(0)).item();
        float tLoss = t.step(tx.get(0), tLabels.get(0));
        Checks.close(label + ": loss of the first step", new float[] {kLoss}, new float[] {tLoss}, tol);
        for (int i = 0; i < k.params().size(); i++) {
            Checks.close(label + ": PyTorch vs Kindling parameter " + i + " after one Adam step", k.params().get(i).toFloatArray(),
                    t.params().get(i).toFloatArray(), tol);
        }
    }

    private Tensor label(int b) { return labels.isEmpty() ? null : labels.get(b); }

    private Tensor up(int b) { return upstream.isEmpty() ? null : upstream.get(b); }

    private static int numel(int[] shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    @Override
    public void close() {
        for (List<NDArray> l : List.of(tx, tLabels, tUpstream)) for (NDArray a : l) a.close();
    }
}
