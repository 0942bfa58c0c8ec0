package dev.kindling.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.kindling.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The PyTorch side of a training benchmark: a network's parameters as libtorch tensors (copied
 * from the Kindling network, so both start from the same numbers), a forward function written with
 * the libtorch ops DJL exposes, cross-entropy, backward and Adam, as a Python training loop would
 * run them through libtorch.
 *
 * <p>Every call works in a fresh child manager that is closed at the end, so libtorch frees each
 * call's activations and gradients as Python's reference counting would. Gradients follow
 * {@code optimizer.zero_grad()}'s default ({@code set_to_none=True}): each call differentiates
 * fresh leaves that share the parameters' memory ({@code detach()} plus {@code requires_grad_}),
 * so backward hands its gradient buffers straight to the leaves instead of accumulating into old
 * ones, and Adam then updates the parameters' memory in place.
 *
 * <p>Adam is DJL's {@code adamUpdate}, one JNI call per parameter that runs libtorch's elementwise
 * ops in C++. Its learning rate and epsilon are passed pre-scaled so that the step is
 * {@code torch.optim.Adam}'s ({@code p -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps)} equals
 * {@code p -= (lr sqrt(bc2)/bc1) * m / (sqrt(v) + eps sqrt(bc2))}); it makes about ten passes over
 * each parameter (it clones the gradient, adds zero weight decay, and allocates four temporaries)
 * where {@code torch.optim.Adam}'s single-tensor CPU path makes seven, so this column's Adam is, if
 * anything, slower than PyTorch's own.
 */
final class TorchNet implements AutoCloseable {
    /** The network's forward pass over libtorch tensors: leaves in {@link #params} order, input x. */
    @FunctionalInterface
    interface Forward {
        NDArray apply(List<PtNDArray> leaves, PtNDArray x);
    }

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private final NDManager manager;
    private final List<PtNDArray> params = new ArrayList<>();
    private final List<PtNDArray> expAvg = new ArrayList<>();
    private final List<PtNDArray> expAvgSq = new ArrayList<>();
    private final Forward forward;
    private final boolean inputRequiresGrad;
    private final double lr;
    private long steps;

    /**
     * Copies of the Kindling parameters, in the order the forward function expects them; with
     * inputRequiresGrad the input gets a gradient too (a layer inside a network), and comes last
     * in {@link Gradients#grads()}.
     */
    TorchNet(TorchPeer torch, List<Tensor> kindlingParams, Forward forward, boolean inputRequiresGrad, double lr) {
        this.manager = torch.newManager();
        this.forward = forward;
        this.inputRequiresGrad = inputRequiresGrad;
        this.lr = lr;
        for (Tensor p : kindlingParams) {
            Shape shape = new Shape(toLongs(p.shape()));
            params.add((PtNDArray) manager.create(p.toFloatArray(), shape));
            expAvg.add((PtNDArray) manager.zeros(shape, DataType.FLOAT32));
            expAvgSq.add((PtNDArray) manager.zeros(shape, DataType.FLOAT32));
        }
    }

    /** The parameters (live: Adam updates them in place). */
    List<PtNDArray> params() { return params; }

    /** One training step: forward, mean cross-entropy against the labels, backward, Adam. Returns the loss. */
    float step(NDArray x, NDArray labels) {
        return pass(x, labels, null, true, false).loss();
    }

    /**
     * Forward and backward without an update: of the mean cross-entropy when labels are given,
     * else of the output itself with {@code upstream} as its gradient ({@code out.backward(upstream)}).
     */
    void forwardBackward(NDArray x, NDArray labels, NDArray upstream) {
        pass(x, labels, upstream, false, false);
    }

    /** The forward pass alone, on parameters and input that do not require grad (nothing recorded). */
    void forward(NDArray x) {
        try (NDManager call = manager.newSubManager()) {
            List<PtNDArray> leaves = new ArrayList<>(params.size());
            for (PtNDArray p : params) leaves.add(local(p, call));
            forward.apply(leaves, local(x, call));
        }
    }

    /** The forward pass's output values, for the checks. */
    float[] forwardValues(NDArray x) {
        try (NDManager call = manager.newSubManager()) {
            List<PtNDArray> leaves = new ArrayList<>(params.size());
            for (PtNDArray p : params) leaves.add(local(p, call));
            return forward.apply(leaves, local(x, call)).toFloatArray();
        }
    }

    /** Like {@link #forwardBackward}, returning the loss (NaN without labels) and every gradient, for the checks. */
    Gradients gradients(NDArray x, NDArray labels, NDArray upstream) {
        return pass(x, labels, upstream, false, true);
    }

    /** A loss and the gradient of each parameter (then of the input, when it requires grad). */
    record Gradients(float loss, List<float[]> grads) {}

    private Gradients pass(NDArray x, NDArray labels, NDArray upstream, boolean update, boolean collect) {
        try (NDManager call = manager.newSubManager()) {
            List<PtNDArray> leaves = new ArrayList<>(params.size() + 1);
            for (PtNDArray p : params) leaves.add(leaf(p, call));
            PtNDArray input = inputRequiresGrad ? leaf(x, call) : local(x, call);
            PtNDArray out = (PtNDArray) forward.apply(leaves.subList(0, params.size()), input);
            float loss = Float.NaN;
            if (labels != null) {
                out = crossEntropy(out, local(labels, call));
                JniUtils.backward(out, (PtNDArray) call.ones(new Shape(), DataType.FLOAT32), false, false);
                loss = out.getFloat();
            } else {
                JniUtils.backward(out, local(upstream, call), false, false);
            }
            if (update) adam(leaves);
            if (!collect) return new Gradients(loss, List.of());
            if (inputRequiresGrad) leaves.add(input);
            List<float[]> grads = new ArrayList<>();
            for (PtNDArray leaf : leaves) grads.add(leaf.getGradient().toFloatArray());
            return new Gradients(loss, grads);
        }
    }

    /**
     * {@code F.cross_entropy(logits, labels)} with mean reduction: log-softmax, then the negated
     * mean of each row's label entry (DJL has no nll_loss; gather + mean + neg computes the same).
     */
    static PtNDArray crossEntropy(NDArray logits, NDArray labels) {
        PtNDArray logp = JniUtils.logSoftmax((PtNDArray) logits, 1, DataType.FLOAT32);
        PtNDArray picked = JniUtils.gather(logp, (PtNDArray) labels.reshape(-1, 1), 1);
        return (PtNDArray) picked.mean().neg();
    }

    /** A fresh leaf sharing a's memory, owned by the call's manager. */
    private static PtNDArray leaf(NDArray a, NDManager call) {
        PtNDArray leaf = local(a, call);
        leaf.setRequiresGradient(true);
        return leaf;
    }

    /**
     * A detached alias of a (long-lived) array owned by the call's manager: libtorch puts the
     * results of an op into its first operand's manager, so this keeps every intermediate of the
     * call in the manager that frees them.
     */
    static PtNDArray local(NDArray a, NDManager call) {
        NDArray alias = a.stopGradient();
        alias.attach(call);
        return (PtNDArray) alias;
    }

    private void adam(List<PtNDArray> leaves) {
        steps++;
        double bc1 = 1 - Math.pow(BETA1, steps);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(BETA2, steps));
        float scaledLr = (float) (lr * bc2Sqrt / bc1);
        float scaledEps = (float) (EPS * bc2Sqrt);
        for (int i = 0; i < params.size(); i++) {
            PtNDArray grad = leaves.get(i).getGradient();
            JniUtils.adamUpdate(params.get(i), grad, expAvg.get(i), expAvgSq.get(i), (float) lr, scaledLr, 0f, 1f, -1f,
                    (float) BETA1, (float) BETA2, scaledEps, false);
        }
    }

    static long[] toLongs(int[] shape) {
        long[] s = new long[shape.length];
        for (int i = 0; i < s.length; i++) s[i] = shape[i];
        return s;
    }

    @Override
    public void close() { manager.close(); }
}
