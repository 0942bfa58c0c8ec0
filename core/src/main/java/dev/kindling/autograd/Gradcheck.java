package dev.kindling.autograd;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Checks analytic gradients against central finite differences in float64, as
 * {@code torch.autograd.gradcheck}: for every differentiable input element the numerical column
 * (f(x + eps) - f(x - eps)) / 2 eps of the Jacobian must match the analytic one, obtained by one
 * backward pass per output element, within {@code atol + rtol * |numerical|}.
 *
 * <p>Inputs that are float64 and require grad are differentiated; others are held constant. The
 * function must be deterministic (reseed any generator inside it). Inputs may be non-contiguous
 * views: elements are perturbed in their storage.
 */
public final class Gradcheck {
    private Gradcheck() {}

    public static final double EPS = 1e-6;
    public static final double ATOL = 1e-5;
    public static final double RTOL = 1e-3;

    /** The outcome: the largest difference found and, when it failed, where. */
    public record Result(boolean passed, double maxError, String message) {}

    /** Checks fn at inputs; throws {@link IllegalStateException} describing the first mismatch. */
    public static void check(Function<Tensor[], Tensor> fn, Tensor... inputs) {
        Result r = run(fn, inputs);
        if (!r.passed()) throw new IllegalStateException(r.message());
    }

    /** Checks second derivatives: gradcheck of x -> d(sum(fn(x) * v))/dx with a fixed random v. */
    public static void checkSecondOrder(Function<Tensor[], Tensor> fn, Tensor... inputs) {
        Tensor probe;
        try (var g = GradMode.noGrad()) {
            probe = Tensors.randn(new dev.kindling.tensor.Generator(17), DType.FLOAT64, fn.apply(inputs).shape());
        }
        List<Integer> diff = differentiable(inputs);
        Function<Tensor[], Tensor> firstOrder = xs -> {
            // The first derivative must be computed with recording on, even while perturbing.
            try (var on = GradMode.enableGrad()) {
                return firstDerivatives(fn, xs, diff, probe);
            }
        };
        check(firstOrder, inputs);
    }

    private static Tensor firstDerivatives(Function<Tensor[], Tensor> fn, Tensor[] xs, List<Integer> diff, Tensor probe) {
        {
            Tensor out = fn.apply(xs);
            Tensor[] wrt = diff.stream().map(i -> xs[i]).toArray(Tensor[]::new);
            Tensor[] grads = Autograd.grad(new Tensor[] {out}, wrt, new Tensor[] {probe}, true, true, true);
            List<Tensor> flat = new ArrayList<>();
            for (int i = 0; i < grads.length; i++) {
                flat.add(grads[i] == null ? Tensors.zerosLike(wrt[i]).reshape(-1) : grads[i].reshape(-1));
            }
            return Tensors.cat(flat, 0);
        }
    }

    private static List<Integer> differentiable(Tensor[] inputs) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null && inputs[i].requiresGrad()) {
                if (inputs[i].dtype() != DType.FLOAT64) {
                    throw new IllegalArgumentException("gradcheck: input " + i + " requires grad but is " + inputs[i].dtype()
                            + "; gradcheck needs float64 inputs");
                }
                if (!inputs[i].storage().isArrayBacked()) {
                    throw new IllegalArgumentException("gradcheck: input " + i + " must live in a Java array to be perturbed");
                }
                out.add(i);
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException("gradcheck: no input requires grad");
        return out;
    }

    public static Result run(Function<Tensor[], Tensor> fn, Tensor... inputs) {
        List<Integer> diff = differentiable(inputs);
        Tensor out0 = fn.apply(inputs);
        if (out0.dtype() != DType.FLOAT64) {
            return new Result(false, Double.NaN, "gradcheck: the function returned " + out0.dtype() + ", expected float64");
        }
        int m = out0.numel();
        double maxErr = 0;
        // Analytic Jacobian rows: one backward per output element.
        double[][][] analytic = new double[diff.size()][][];
        for (int k = 0; k < diff.size(); k++) analytic[k] = new double[inputs[diff.get(k)].numel()][m];
        Tensor[] wrt = diff.stream().map(i -> inputs[i]).toArray(Tensor[]::new);
        for (int j = 0; j < m; j++) {
            Tensor out = fn.apply(inputs);
            Tensor seed = Tensors.zeros(DType.FLOAT64, out.shape());
            seed.reshape(-1).narrow(0, j, 1).fill_(1.0);
            Tensor[] grads = out.requiresGrad()
                    ? Autograd.grad(new Tensor[] {out}, wrt, new Tensor[] {seed}, false, false, true)
                    : new Tensor[wrt.length];
            for (int k = 0; k < wrt.length; k++) {
                if (grads[k] == null) continue;
                if (!java.util.Arrays.equals(grads[k].shape(), wrt[k].shape())) {
                    return new Result(false, Double.NaN, "gradcheck: gradient of input " + diff.get(k) + " has shape "
                            + Shapes.str(grads[k].shape()) + " but the input has " + Shapes.str(wrt[k].shape()));
                }
                double[] g = grads[k].toDoubleArray();
                for (int e = 0; e < g.length; e++) analytic[k][e][j] = g[e];
            }
        }
        // Numerical Jacobian columns: perturb each input element in its storage.
        for (int k = 0; k < diff.size(); k++) {
            Tensor x = inputs[diff.get(k)];
            double[] storage = (double[]) x.storage().array();
            int[] offsets = storageOffsets(x);
            for (int e = 0; e < offsets.length; e++) {
                int at = offsets[e];
                double orig = storage[at];
                double[] plus;
                double[] minus;
                try (var g = GradMode.noGrad()) {
                    storage[at] = orig + EPS;
                    plus = fn.apply(inputs).toDoubleArray();
                    storage[at] = orig - EPS;
                    minus = fn.apply(inputs).toDoubleArray();
                } finally {
                    storage[at] = orig;
                }
                for (int j = 0; j < m; j++) {
                    double numerical = (plus[j] - minus[j]) / (2 * EPS);
                    double a = analytic[k][e][j];
                    double err = Math.abs(a - numerical);
                    if (Double.isNaN(a) != Double.isNaN(numerical) || err > ATOL + RTOL * Math.abs(numerical)) {
                        return new Result(false, err, "gradcheck: Jacobian mismatch for input " + diff.get(k) + " (shape "
                                + Shapes.str(x.shape()) + "), element " + e + ", output " + j + ": analytic " + a
                                + " vs numerical " + numerical);
                    }
                    if (!Double.isNaN(err)) maxErr = Math.max(maxErr, err);
                }
            }
        }
        return new Result(true, maxErr, "gradcheck passed, max error " + maxErr);
    }

    /** Storage index of each element of x in row-major order. */
    private static int[] storageOffsets(Tensor x) {
        int[] shape = x.shape();
        int[] strides = x.strides();
        int n = x.numel();
        int[] out = new int[n];
        int[] idx = new int[shape.length];
        int off = x.storageOffset();
        for (int k = 0; k < n; k++) {
            out[k] = off;
            for (int d = shape.length - 1; d >= 0; d--) {
                idx[d]++;
                off += strides[d];
                if (idx[d] < shape[d]) break;
                off -= idx[d] * strides[d];
                idx[d] = 0;
            }
        }
        return out;
    }
}
