package dev.kindling.nn.utils;

import dev.kindling.autograd.GradMode;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch's {@code torch.nn.utils.parameters_to_vector} and {@code vector_to_parameters}: a list
 * of tensors (a model's parameters, their gradients, its buffers) laid end to end as one 1-D
 * tensor, in the order given, each flattened in row-major order, and back. This is the flat form
 * in which a distributed trainer broadcasts a model and sums gradients.
 *
 * <p>One difference from PyTorch, on purpose: {@code vectorToParameters} copies each slice into
 * its parameter (under no-grad), where PyTorch rebinds {@code param.data} to a view of the vector;
 * Kindling parameters keep their own storage, so later changes to the vector do not reach them.
 */
public final class ParameterVectors {
    private ParameterVectors() {}

    /**
     * The tensors concatenated into one new 1-D tensor of their total size (PyTorch:
     * {@code torch.cat([p.view(-1) for p in parameters])}). All must share a dtype and a device;
     * non-contiguous tensors are read in their logical order.
     */
    public static Tensor parametersToVector(Iterable<Tensor> parameters) {
        List<Tensor> flat = new ArrayList<>();
        Tensor first = null;
        for (Tensor p : parameters) {
            if (p == null) throw new IllegalArgumentException("parametersToVector: tensor " + flat.size() + " is null");
            if (first == null) first = p;
            checkLike(first, p, flat.size(), "parametersToVector");
            flat.add(p.reshape(-1));
        }
        if (first == null) throw new IllegalArgumentException("parametersToVector: expected at least one tensor but got none");
        return flat.size() == 1 ? flat.get(0).clone() : Tensors.cat(flat, 0);
    }

    /**
     * Copies consecutive slices of the 1-D vec into the tensors, in order: slice i has the size of
     * tensor i and is viewed as its shape. vec must be 1-D, of the tensors' dtype and device, and
     * hold exactly as many elements as all tensors together; anything else is an
     * {@link IllegalArgumentException} naming the expected and the actual size or type.
     */
    public static void vectorToParameters(Tensor vec, Iterable<Tensor> parameters) {
        if (vec == null) throw new IllegalArgumentException("vectorToParameters: expected a 1-D tensor but got null");
        if (vec.dim() != 1) {
            throw new IllegalArgumentException("vectorToParameters: expected a 1-D vector but got shape "
                    + java.util.Arrays.toString(vec.shape()));
        }
        List<Tensor> targets = new ArrayList<>();
        long total = 0;
        for (Tensor p : parameters) {
            if (p == null) throw new IllegalArgumentException("vectorToParameters: tensor " + targets.size() + " is null");
            checkLike(vec, p, targets.size(), "vectorToParameters");
            targets.add(p);
            total += p.numel();
        }
        if (total != vec.numel()) {
            throw new IllegalArgumentException("vectorToParameters: the " + targets.size() + " tensors hold " + total
                    + " elements but the vector has " + vec.numel());
        }
        int offset = 0;
        try (var noGrad = GradMode.noGrad()) {
            for (Tensor p : targets) {
                int n = p.numel();
                p.copy_(vec.narrow(0, offset, n).view(p.shape()));
                offset += n;
            }
        }
    }

    private static void checkLike(Tensor reference, Tensor t, int index, String op) {
        if (t.dtype() != reference.dtype()) {
            throw new IllegalArgumentException(op + ": tensor " + index + " has dtype " + t.dtype() + " but expected "
                    + reference.dtype() + " like the " + (index == 0 ? "vector" : "first tensor"));
        }
        if (!t.device().equals(reference.device())) {
            throw new IllegalArgumentException(op + ": tensor " + index + " is on " + t.device() + " but expected "
                    + reference.device() + " like the " + (index == 0 ? "vector" : "first tensor"));
        }
    }
}
