package dev.kindling.nn;

import dev.kindling.tensor.Tensor;

/**
 * A tensor that is a module's learnable parameter, as {@code torch.nn.Parameter}: a leaf that
 * requires grad by default, sharing the memory of the tensor it was made from. Assigning one to a
 * module with {@link Module#registerParameter} makes it appear in {@code parameters()} and the
 * state dict. Ops on a parameter return ordinary tensors.
 */
public final class Parameter extends Tensor {

    public Parameter(Tensor data) {
        this(data, true);
    }

    public Parameter(Tensor data, boolean requiresGrad) {
        super(data.detach());
        if (requiresGrad) requiresGrad_(true);
    }

    @Override
    public String toString() {
        return "Parameter containing:\n" + super.toString();
    }
}
