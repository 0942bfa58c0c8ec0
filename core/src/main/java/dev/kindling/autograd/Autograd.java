package dev.kindling.autograd;

import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entry points of reverse-mode differentiation: {@link #backward} (what {@code Tensor.backward}
 * calls) accumulates into leaves' {@code grad}; {@link #grad} returns gradients without touching
 * them, and with {@code createGraph} the returned gradients are themselves differentiable, which
 * gives second-order derivatives.
 */
public final class Autograd {
    private Autograd() {}

    /** {@code torch.autograd.backward}. A null gradient is allowed for a scalar output (it means 1). */
    public static void backward(Tensor[] outputs, Tensor[] gradOutputs, boolean retainGraph, boolean createGraph) {
        Tensor[] grads = rootGrads(outputs, gradOutputs);
        Engine.run(outputs, grads, retainGraph, createGraph, null);
    }

    /** {@code tensor.backward(gradient, retain_graph, create_graph)}. */
    public static void backward(Tensor output, Tensor gradOutput, boolean retainGraph, boolean createGraph) {
        backward(new Tensor[] {output}, new Tensor[] {gradOutput}, retainGraph, createGraph);
    }

    /**
     * {@code torch.autograd.grad(outputs, inputs, grad_outputs, retain_graph=create_graph,
     * create_graph, allow_unused=False)}: the gradients of the outputs with respect to the inputs.
     */
    public static Tensor[] grad(Tensor[] outputs, Tensor[] inputs, Tensor[] gradOutputs, boolean createGraph) {
        return grad(outputs, inputs, gradOutputs, createGraph, createGraph, false);
    }

    /** The full form; with {@code allowUnused} an input the outputs do not depend on gets null. */
    public static Tensor[] grad(Tensor[] outputs, Tensor[] inputs, Tensor[] gradOutputs, boolean retainGraph,
                                boolean createGraph, boolean allowUnused) {
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].requiresGrad()) {
                throw new IllegalArgumentException("grad: input " + i + " does not require grad");
            }
        }
        Tensor[] grads = rootGrads(outputs, gradOutputs);
        Map<Tensor, Tensor> captures = new IdentityHashMap<>();
        for (Tensor in : inputs) captures.put(in, null);
        Engine.run(outputs, grads, retainGraph, createGraph, captures);
        Tensor[] result = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            result[i] = captures.get(inputs[i]);
            if (result[i] == null && !allowUnused) {
                throw new IllegalArgumentException("grad: one of the differentiated tensors (input " + i
                        + ") appears to not have been used in the graph. Set allowUnused=true if this is the desired behavior.");
            }
        }
        return result;
    }

    /** Single output, single input convenience. */
    public static Tensor grad(Tensor output, Tensor input, boolean createGraph) {
        return grad(new Tensor[] {output}, new Tensor[] {input}, null, createGraph)[0];
    }

    private static Tensor[] rootGrads(Tensor[] outputs, Tensor[] gradOutputs) {
        if (gradOutputs != null && gradOutputs.length != outputs.length) {
            throw new IllegalArgumentException("backward: got " + outputs.length + " outputs but "
                    + gradOutputs.length + " gradients");
        }
        Tensor[] grads = new Tensor[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            Tensor out = outputs[i];
            if (!out.requiresGrad()) {
                throw new IllegalStateException("element " + i + " of tensors does not require grad and does not have a grad_fn");
            }
            Tensor g = gradOutputs == null ? null : gradOutputs[i];
            if (g == null) {
                if (out.numel() != 1) {
                    throw new IllegalArgumentException("backward: grad can be implicitly created only for scalar outputs, "
                            + "but output " + i + " has shape " + Shapes.str(out.shape()) + "; pass a gradient of that shape");
                }
                g = Tensors.onesLike(out);
            } else if (!Arrays.equals(g.shape(), out.shape())) {
                throw new IllegalArgumentException("backward: gradient " + i + " has shape " + Shapes.str(g.shape())
                        + " but the output has shape " + Shapes.str(out.shape()));
            }
            grads[i] = g;
        }
        return grads;
    }

    /** Names of nodes reachable from a tensor, for debugging: {@code {MulBackward0=1, ...}}. */
    public static Map<String, Integer> describeGraph(Tensor t) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        java.util.ArrayDeque<Node> stack = new java.util.ArrayDeque<>();
        Node root = t.gradFn();
        if (root != null) stack.push(root);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            if (seen.put(n, Boolean.TRUE) != null) continue;
            counts.merge(n.name(), 1, Integer::sum);
            for (Node.Edge e : n.nextEdges()) if (e.node() != null) stack.push(e.node());
        }
        return counts;
    }
}
