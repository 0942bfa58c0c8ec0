package dev.kindling.autograd;

import dev.kindling.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Runs backward passes: counts how many gradients each reachable node will receive, then runs the
 * nodes whose gradients are complete, most recently created first, summing contributions and
 * accumulating into leaves (or capturing them, for {@link Autograd#grad}). Frees the graph unless
 * asked to retain it, and gives each intermediate gradient's memory back to the pool as soon as
 * the last node that needs it has run ({@link GradientBuffers}).
 */
final class Engine {
    private Engine() {}

    /**
     * @param captures when non-null, gradients reaching these tensors are stored in the map instead of
     *                 being accumulated into leaves' {@code grad}
     */
    static void run(Tensor[] roots, Tensor[] rootGrads, boolean retainGraph, boolean createGraph,
                    Map<Tensor, Tensor> captures) {
        try (var mode = GradMode.set(createGraph)) {
            Map<Node, Integer> dependencies = countDependencies(roots);
            Map<Node, Tensor> buffers = new IdentityHashMap<>();
            PriorityQueue<Node> ready = new PriorityQueue<>(Comparator.comparingLong(Node::sequence).reversed());
            GradientBuffers owned = createGraph || captures != null ? GradientBuffers.NONE : GradientBuffers.startingNow();

            for (int i = 0; i < roots.length; i++) {
                Node.Edge e = Graph.edgeTo(roots[i]);
                if (e.node() != null) addToBuffer(buffers, e.node(), rootGrads[i], owned);
                else if (e.leaf() != null) accumulateLeaf(e.leaf(), rootGrads[i], createGraph, captures, owned);
            }
            for (Node n : buffers.keySet()) if (dependencies.getOrDefault(n, 0) == 0) ready.add(n);

            while (!ready.isEmpty()) {
                Node node = ready.poll();
                Tensor grad = buffers.remove(node);
                Node.Edge[] edges = node.edges();
                Tensor[] inputGrads = null;
                if (grad != null) {
                    boolean outsideSees = node.mayKeepGradients();
                    if (outsideSees) owned.escape(grad);
                    Tensor hooked = node.runPreHooks(grad);
                    if (outsideSees) owned.escape(hooked);
                    if (captures != null) captureNode(node, hooked, captures);
                    inputGrads = node.apply(hooked);
                    // Count the results before the gradient they came from is let go: they may be it, or views of it.
                    for (Tensor g : inputGrads) {
                        if (outsideSees) owned.escape(g);
                        owned.hold(g);
                    }
                    owned.drop(grad);
                } else if (edges == null) {
                    continue;
                }
                for (int i = 0; i < edges.length; i++) {
                    Node.Edge e = edges[i];
                    Tensor g = inputGrads == null ? null : inputGrads[i];
                    if (e.node() != null) {
                        if (g != null) addToBuffer(buffers, e.node(), g, owned);
                        int left = dependencies.merge(e.node(), -1, Integer::sum);
                        if (left == 0) {
                            if (buffers.containsKey(e.node())) ready.add(e.node());
                            else releaseUnreached(e.node(), dependencies, buffers, ready, retainGraph);
                        }
                    } else {
                        if (e.leaf() != null && g != null) accumulateLeaf(e.leaf(), g, createGraph, captures, owned);
                        owned.drop(g);
                    }
                }
                if (!retainGraph) node.release();
            }
        }
    }

    /**
     * Adds g to the gradient pending for node. g is counted as held already (a result of a
     * backward function) or is a caller's gradient the pass does not own.
     */
    private static void addToBuffer(Map<Node, Tensor> buffers, Node node, Tensor g, GradientBuffers owned) {
        Tensor previous = buffers.get(node);
        if (previous == null) {
            buffers.put(node, g);
            return;
        }
        Tensor sum = previous.add(g);
        owned.hold(sum);
        owned.drop(previous);
        owned.drop(g);
        buffers.put(node, sum);
    }

    /** A node that receives no gradient still counts as done for its children. */
    private static void releaseUnreached(Node node, Map<Node, Integer> dependencies, Map<Node, Tensor> buffers,
                                         PriorityQueue<Node> ready, boolean retainGraph) {
        ArrayDeque<Node> stack = new ArrayDeque<>();
        stack.push(node);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            Node.Edge[] edges = n.edges();
            if (edges != null) {
                for (Node.Edge e : edges) {
                    if (e.node() == null) continue;
                    int left = dependencies.merge(e.node(), -1, Integer::sum);
                    if (left == 0) {
                        if (buffers.containsKey(e.node())) ready.add(e.node());
                        else stack.push(e.node());
                    }
                }
            }
            if (!retainGraph) n.release();
        }
    }

    private static Map<Node, Integer> countDependencies(Tensor[] roots) {
        Map<Node, Integer> deps = new IdentityHashMap<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        for (Tensor r : roots) {
            Node n = Graph.edgeTo(r).node();
            if (n != null && seen.put(n, Boolean.TRUE) == null) stack.push(n);
        }
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            Node.Edge[] edges = n.edges();
            if (edges == null) {
                throw new IllegalStateException("Trying to backward through the graph a second time at " + n.name()
                        + ": its saved values were freed by an earlier backward(). Specify retainGraph=true if you "
                        + "need to backward through the graph a second time.");
            }
            for (Node.Edge e : edges) {
                if (e.node() == null) continue;
                deps.merge(e.node(), 1, Integer::sum);
                if (seen.put(e.node(), Boolean.TRUE) == null) stack.push(e.node());
            }
        }
        return deps;
    }

    private static void captureNode(Node node, Tensor grad, Map<Tensor, Tensor> captures) {
        for (Map.Entry<Tensor, Tensor> c : captures.entrySet()) {
            AutogradMeta m = c.getKey().autogradMeta();
            if (m != null && m.gradFn == node) c.setValue(c.getValue() == null ? grad : c.getValue().add(grad));
        }
    }

    private static void accumulateLeaf(Tensor leaf, Tensor g, boolean createGraph, Map<Tensor, Tensor> captures,
                                       GradientBuffers owned) {
        AutogradMeta m = leaf.ensureAutogradMeta();
        if (m.leafHooks != null) owned.escape(g);
        g = m.runLeafHooks(g);
        if (captures != null) {
            if (captures.containsKey(leaf)) {
                Tensor prev = captures.get(leaf);
                captures.put(leaf, prev == null ? g : prev.add(g));
            }
            return;
        }
        if (g.dtype() != leaf.dtype()) g = g.to(leaf.dtype());
        if (m.grad == null) {
            if (createGraph) {
                m.grad = g;
            } else if (owned.adoptable(g)) {
                // Nobody else can see this gradient: keep it instead of copying it (PyTorch steals it too).
                owned.escape(g);
                m.setPrivateGrad(g.detach());
            } else {
                m.setPrivateGrad(g.detach().clone());
            }
        } else if (createGraph || m.grad.requiresGrad()) {
            m.gradPrivate = false;
            m.grad = m.grad.add(g);
        } else {
            m.grad.add_(g.detach());
        }
    }
}
