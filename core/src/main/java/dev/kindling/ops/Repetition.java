package dev.kindling.ops;

import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * repeat, tile, roll and rot90, composed of views, expand and cat, so their gradients are those
 * ops' (repeat's sums the copies back).
 */
public final class Repetition {
    private Repetition() {}

    /** x copied sizes[i] times along each dim; sizes may have more dims than x (new leading dims). */
    public static Tensor repeat(Tensor x, int[] sizes) {
        if (sizes.length < x.dim()) {
            throw new IllegalArgumentException("repeat: the number of repeats (" + sizes.length
                    + ") can not be smaller than the number of dims of the tensor (" + x.dim() + ")");
        }
        for (int r : sizes) if (r < 0) throw new IllegalArgumentException("repeat: repeats must be non-negative but got " + Arrays.toString(sizes));
        int n = sizes.length;
        int[] padded = new int[n];
        Arrays.fill(padded, 1);
        int[] xs = x.shape();
        System.arraycopy(xs, 0, padded, n - xs.length, xs.length);
        int[] interleaved = new int[2 * n];
        int[] expanded = new int[2 * n];
        int[] out = new int[n];
        for (int d = 0; d < n; d++) {
            interleaved[2 * d] = 1;
            interleaved[2 * d + 1] = padded[d];
            expanded[2 * d] = sizes[d];
            expanded[2 * d + 1] = padded[d];
            out[d] = sizes[d] * padded[d];
        }
        return x.reshape(interleaved).expand(expanded).reshape(out);
    }

    /** repeat, with dims shorter than x's rank padded with leading 1s, as torch.tile. */
    public static Tensor tile(Tensor x, int[] dims) {
        if (dims.length >= x.dim()) return repeat(x, dims);
        int[] full = new int[x.dim()];
        Arrays.fill(full, 1);
        System.arraycopy(dims, 0, full, x.dim() - dims.length, dims.length);
        return repeat(x, full);
    }

    /** Rotated by 90 degrees k times in the plane of dims (from the first toward the second), as torch.rot90. */
    public static Tensor rot90(Tensor x, int k, int[] dims) {
        if (dims.length != 2) throw new IllegalArgumentException("rot90: expected 2 dims but got " + Arrays.toString(dims));
        if (x.dim() < 2) throw new IllegalArgumentException("rot90: expected a tensor of at least 2 dims but got shape " + Shapes.str(x.shape()));
        int a = Shapes.dim("rot90", dims[0], x.dim());
        int b = Shapes.dim("rot90", dims[1], x.dim());
        if (a == b) throw new IllegalArgumentException("rot90: the two dims must differ but both are " + a);
        return switch (Math.floorMod(k, 4)) {
            case 1 -> x.flip(b).transpose(a, b);
            case 2 -> x.flip(a, b);
            case 3 -> x.flip(a).transpose(a, b);
            default -> x.clone();
        };
    }

    /**
     * Elements shifted along dims, wrapping around; with no dims the flattened tensor is rolled
     * and reshaped back, as torch.roll.
     */
    public static Tensor roll(Tensor x, int[] shifts, int[] dims) {
        if (dims.length == 0) {
            if (shifts.length != 1) throw new IllegalArgumentException("roll: with no dims, expected one shift but got " + Arrays.toString(shifts));
            return roll(x.reshape(-1), shifts, new int[] {0}).reshape(x.shape());
        }
        if (shifts.length != dims.length) {
            throw new IllegalArgumentException("roll: shifts " + Arrays.toString(shifts) + " and dims " + Arrays.toString(dims)
                    + " must have the same length");
        }
        Tensor out = x;
        for (int i = 0; i < dims.length; i++) {
            int d = Shapes.dim("roll", dims[i], x.dim());
            int n = x.dim() == 0 ? 1 : x.size(d);
            if (x.dim() == 0 || n == 0) continue;
            int s = Math.floorMod(shifts[i], n);
            if (s == 0) continue;
            List<Tensor> parts = new ArrayList<>(List.of(out.narrow(d, n - s, s), out.narrow(d, 0, n - s)));
            out = Tensors.cat(parts, d);
        }
        return out;
    }
}
