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
 * asked to retain it.
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

            for (int i = 0; i < roots.length; i++) {
                Node.Edge e = Graph.edgeTo(roots[i]);
                if (e.node() != null) buffers.merge(e.node(), rootGrads[i], Tensor::add);
                else if (e.leaf() != null) accumulateLeaf(e.leaf(), rootGrads[i], createGraph, captures);
            }
            for (Node n : buffers.keySet()) if (dependencies.getOrDefault(n, 0) == 0) ready.add(n);

            while (!ready.isEmpty()) {
                Node node = ready.poll();
                Tensor grad = buffers.remove(node);
                Node.Edge[] edges = node.edges();
                Tensor[] inputGrads = null;
                if (grad != null) {
                    grad = node.runPreHooks(grad);
                    if (captures != null) captureNode(node, grad, captures);
                    inputGrads = node.apply(grad);
                } else if (edges == null) {
                    continue;
                }
                for (int i = 0; i < edges.length; i++) {
                    Node.Edge e = edges[i];
                    Tensor g = inputGrads == null ? null : inputGrads[i];
                    if (e.node() != null) {
                        if (g != null) buffers.merge(e.node(), g, Tensor::add);
                        int left = dependencies.merge(e.node(), -1, Integer::sum);
                        if (left == 0) {
                            if (buffers.containsKey(e.node())) ready.add(e.node());
                            else releaseUnreached(e.node(), dependencies, buffers, ready, retainGraph);
                        }
                    } else if (e.leaf() != null && g != null) {
                        accumulateLeaf(e.leaf(), g, createGraph, captures);
                    }
                }
                if (!retainGraph) node.release();
            }
        }
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

    private static void accumulateLeaf(Tensor leaf, Tensor g, boolean createGraph, Map<Tensor, Tensor> captures) {
        AutogradMeta m = leaf.ensureAutogradMeta();
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
            m.grad = createGraph ? g : g.detach().clone();
        } else if (createGraph || m.grad.requiresGrad()) {
            m.grad = m.grad.add(g);
        } else {
            m.grad.add_(g.detach());
        }
    }
}
