package org.example.userops;

import dev.kindling.autograd.Graph;
import dev.kindling.tensor.Tensor;

import java.util.List;

/** A user's custom op, outside Kindling's packages: its backward keeps every gradient it gets. */
public final class UserBackwards {
    private UserBackwards() {}

    /** y = 2x, whose backward adds the gradient it receives to kept. */
    public static Tensor doubleKeepingGradients(Tensor x, List<Tensor> kept) {
        Tensor out;
        try (var g = dev.kindling.autograd.GradMode.noGrad()) {
            out = x.mul(2);
        }
        return Graph.record("UserDoubleBackward", out, x, grad -> {
            kept.add(grad);
            return grad.mul(2);
        });
    }
}
