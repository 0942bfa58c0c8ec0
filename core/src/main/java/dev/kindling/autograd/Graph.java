package dev.kindling.autograd;

import dev.kindling.tensor.Tensor;

import java.util.function.UnaryOperator;

/**
 * How ops record themselves: after computing its output without autograd, an op calls
 * {@link #record} with its inputs, the tensors its backward reads, and its backward function. When
 * grad mode is off or no input requires grad, nothing is recorded and the call costs one check.
 */
public final class Graph {
    private Graph() {}

    /** True when an op on these inputs must record: grad mode is on and some input requires grad. */
    public static boolean needsGrad(Tensor... inputs) {
        if (!GradMode.isEnabled()) return false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) return true;
        return false;
    }

    /**
     * Records {@code out} as the result of an op.
     *
     * @param name     PyTorch-style node name, e.g. {@code MulBackward0}
     * @param out      the op's (already computed) output
     * @param inputs   the op's tensor inputs, in the order {@code backward} returns their gradients
     * @param saved    tensors the backward reads; if any is modified in place before backward, backward fails
     * @param backward gradient of the output -> gradients of the inputs
     * @return {@code out}, now requiring grad if any input does
     */
    public static Tensor record(String name, Tensor out, Tensor[] inputs, Tensor[] saved, Node.Backward backward) {
        return record(name, out, inputs, saved, backward, isLibraryCode(backward));
    }

    /** Single-input form: {@code backward} maps the output's gradient to the input's. */
    public static Tensor record(String name, Tensor out, Tensor input, Tensor[] saved, UnaryOperator<Tensor> backward) {
        return record(name, out, new Tensor[] {input}, saved, g -> new Tensor[] {backward.apply(g)}, isLibraryCode(backward));
    }

    private static Tensor record(String name, Tensor out, Tensor[] inputs, Tensor[] saved, Node.Backward backward,
                                 boolean libraryBackward) {
        if (!needsGrad(inputs) || !out.dtype().isFloatingPoint()) return out;
        Node.Edge[] edges = new Node.Edge[inputs.length];
        for (int i = 0; i < inputs.length; i++) edges[i] = edgeTo(inputs[i]);
        Node node = new Node(name, edges, inputs, saved, backward, libraryBackward);
        out.ensureAutogradMeta().gradFn = node;
        return out;
    }

    /**
     * True for a backward function written in Kindling's own packages: the engine knows those keep
     * no gradient after they return. A user's backward may keep the gradient it gets or returns, so
     * those gradients are never given back to the pool early ({@link GradientBuffers}).
     */
    private static boolean isLibraryCode(Object backward) {
        return backward.getClass().getName().startsWith("dev.kindling.");
    }

    /** Single-input form with nothing saved. */
    public static Tensor record(String name, Tensor out, Tensor input, UnaryOperator<Tensor> backward) {
        return record(name, out, input, NO_TENSORS, backward);
    }

    /**
     * Gives {@code target} the history of {@code result} after an in-place op wrote result's values
     * into target: target's gradient now flows into result's node.
     */
    public static void rebaseHistory(Tensor target, Tensor result) {
        AutogradMeta rm = result.autogradMeta();
        if (rm == null || rm.gradFn == null) return;
        target.ensureAutogradMeta().gradFn = rm.gradFn;
    }

    /** The empty saved-tensor list. */
    public static final Tensor[] NO_TENSORS = new Tensor[0];

    static Node.Edge edgeTo(Tensor t) {
        if (t == null) return Node.Edge.NONE;
        AutogradMeta m = t.autogradMeta();
        if (m == null) return Node.Edge.NONE;
        if (m.gradFn != null) return new Node.Edge(m.gradFn, null);
        if (m.requiresGrad) return new Node.Edge(null, t);
        return Node.Edge.NONE;
    }
}
