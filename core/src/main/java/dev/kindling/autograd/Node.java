package dev.kindling.autograd;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One recorded operation in the autograd graph: its name, where each input's gradient goes (an
 * {@link Edge}, snapshotted when the op ran, so a later in-place op on an input cannot rewire this
 * node), the tensors its backward needs with their versions at the time of saving, and the backward
 * function itself.
 *
 * <p>A node has exactly one differentiable output. After a backward pass that does not retain the
 * graph, the node drops its edges, saved tensors and backward function, so the whole graph becomes
 * garbage and a long training loop does not grow memory; a second backward through it fails with a
 * message that says so.
 */
public final class Node {
    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();

    private final String name;
    private final long sequence = SEQUENCE.getAndIncrement();
    private final int[][] inputShapes;
    private final DType[] inputDtypes;
    private Edge[] edges;
    private Tensor[] saved;
    private int[] savedVersions;
    private Backward backward;
    private List<UnaryOperator<Tensor>> preHooks;
    private final boolean libraryBackward;

    Node(String name, Edge[] edges, Tensor[] inputs, Tensor[] saved, Backward backward, boolean libraryBackward) {
        this.name = name;
        this.libraryBackward = libraryBackward;
        this.edges = edges;
        this.inputShapes = new int[inputs.length][];
        this.inputDtypes = new DType[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null) {
                inputShapes[i] = inputs[i].shape();
                inputDtypes[i] = inputs[i].dtype();
            }
        }
        this.saved = saved;
        this.savedVersions = new int[saved.length];
        for (int i = 0; i < saved.length; i++) savedVersions[i] = saved[i].version();
        this.backward = backward;
    }

    /** The op's name as PyTorch prints it, e.g. {@code AddBackward0}. */
    public String name() { return name; }

    /** Creation order; when several nodes are ready the most recent runs first. */
    long sequence() { return sequence; }

    /** Where each input's gradient flows (empty once the graph has been freed). */
    public List<Edge> nextEdges() { return edges == null ? List.of() : Arrays.asList(edges); }

    Edge[] edges() { return edges; }

    /** Registers a function run on the gradient of this node's output before the node's backward. */
    public void addPreHook(UnaryOperator<Tensor> hook) {
        if (preHooks == null) preHooks = new ArrayList<>();
        preHooks.add(hook);
    }

    /**
     * True when code outside the library may keep this node's gradients: a hook runs on its
     * gradient, or its backward function is not Kindling's own.
     */
    boolean mayKeepGradients() { return preHooks != null || !libraryBackward; }

    Tensor runPreHooks(Tensor grad) {
        if (preHooks == null) return grad;
        for (UnaryOperator<Tensor> h : preHooks) {
            Tensor r = h.apply(grad);
            if (r != null) grad = r;
        }
        return grad;
    }

    /** Runs the backward function after checking that no saved tensor was modified in place. */
    Tensor[] apply(Tensor grad) {
        if (backward == null) {
            throw new IllegalStateException("Trying to backward through the graph a second time (or directly access "
                    + "saved tensors after they have already been freed) at " + name + ". Saved intermediate values "
                    + "of the graph are freed when you call backward() or Autograd.grad(). Specify retainGraph=true "
                    + "if you need to backward through the graph a second time.");
        }
        for (int i = 0; i < saved.length; i++) {
            if (saved[i].version() != savedVersions[i]) {
                throw new IllegalStateException("one of the variables needed for gradient computation has been "
                        + "modified by an inplace operation: [" + saved[i].dtype() + " tensor of shape "
                        + Shapes.str(saved[i].shape()) + "], saved by " + name + ", is at version "
                        + saved[i].version() + "; expected version " + savedVersions[i] + " instead.");
            }
        }
        Tensor[] grads = backward.apply(grad);
        if (grads.length != edges.length) {
            throw new IllegalStateException(name + " returned " + grads.length + " gradients for " + edges.length + " inputs");
        }
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] != null && inputShapes[i] != null && !Arrays.equals(grads[i].shape(), inputShapes[i])) {
                throw new IllegalStateException(name + " returned a gradient of shape " + Shapes.str(grads[i].shape())
                        + " for input " + i + " of shape " + Shapes.str(inputShapes[i]));
            }
            if (grads[i] != null && inputDtypes[i] != null && grads[i].dtype() != inputDtypes[i]
                    && inputDtypes[i].isFloatingPoint()) {
                grads[i] = grads[i].to(inputDtypes[i]);
            }
        }
        return grads;
    }

    /** Drops everything the backward pass needed, so the graph can be collected. */
    void release() {
        edges = null;
        saved = null;
        backward = null;
    }

    @Override
    public String toString() { return "<" + name + ">"; }

    /** The gradient of an op: given the gradient of its output, the gradients of its inputs (null where none). */
    @FunctionalInterface
    public interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    /**
     * Where one input's gradient goes: into another node (the input was computed) or into a leaf
     * tensor's {@code grad} (the input is a leaf that requires grad). Both null: no gradient needed.
     */
    public record Edge(Node node, Tensor leaf) {
        static final Edge NONE = new Edge(null, null);

        public boolean isNone() { return node == null && leaf == null; }
    }
}
