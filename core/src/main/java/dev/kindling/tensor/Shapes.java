package dev.kindling.tensor;

import java.util.Arrays;

/**
 * Shape arithmetic shared by every op: element counts, contiguous strides, dim normalisation and
 * broadcasting, each failing with an {@link IllegalArgumentException} that names the op and the
 * shapes involved.
 */
public final class Shapes {
    private Shapes() {}

    /** Product of the sizes; fails if it does not fit a Java array index. */
    public static int numel(int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) throw new IllegalArgumentException("shape " + str(shape) + ": sizes must be >= 0");
            n *= s;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + str(shape) + " has more than "
                        + (Integer.MAX_VALUE - 8) + " elements, the most one CPU tensor can hold");
            }
        }
        return (int) n;
    }

    /** Row-major strides of a contiguous tensor of this shape. */
    public static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return strides;
    }

    /** True when (shape, strides) is the row-major layout; size-1 dims may have any stride. */
    public static boolean isContiguous(int[] shape, int[] strides) {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] == 0) return true;
            if (shape[i] != 1) {
                if (strides[i] != expected) return false;
                expected *= shape[i];
            }
        }
        return true;
    }

    /**
     * True when the elements occupy exactly numel distinct consecutive slots in some dim order
     * (a permutation of a contiguous tensor), so a kernel may run over them as one flat array.
     */
    public static boolean isNonOverlappingAndDense(int[] shape, int[] strides) {
        Integer[] order = new Integer[shape.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Integer.compare(strides[x], strides[y]));
        int expected = 1;
        for (int d : order) {
            if (shape[d] == 0) return true;
            if (shape[d] == 1) continue;
            if (strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    /**
     * True for a non-contiguous layout that is a permutation of a contiguous one (a transposed
     * view, say): positive strides, each element in its own slot, no gaps. A new tensor made for an
     * elementwise result of such an operand gets {@link #denseStridesLike} its memory order, as
     * PyTorch's elementwise ops do, so the kernel walks both in one contiguous run.
     */
    public static boolean isPermutedDense(int[] shape, int[] strides) {
        if (isContiguous(shape, strides)) return false;
        for (int s : strides) if (s < 0) return false;
        return isNonOverlappingAndDense(shape, strides);
    }

    /** Strides of a dense tensor of this shape whose dims are ordered like the given strides. */
    public static int[] denseStridesLike(int[] shape, int[] strides) {
        Integer[] order = new Integer[shape.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> strides[a] != strides[b] ? Integer.compare(strides[a], strides[b]) : Integer.compare(b, a));
        int[] out = new int[shape.length];
        int s = 1;
        for (int d : order) {
            out[d] = s;
            s *= Math.max(1, shape[d]);
        }
        return out;
    }

    /** Maps a possibly negative dim into [0, ndim) or throws naming the op. */
    public static int dim(String op, int dim, int ndim) {
        int n = Math.max(ndim, 1);
        if (dim < -n || dim >= n) {
            throw new IllegalArgumentException(op + ": dim " + dim + " out of range for a tensor of "
                    + ndim + " dims (expected in [" + (-n) + ", " + (n - 1) + "])");
        }
        return dim < 0 ? dim + n : dim;
    }

    /**
     * Normalises a list of dims; rejects repeats. An empty list means all dims. A 0-d tensor
     * accepts dim 0 and -1, as PyTorch, and they name no dim: reducing over them is the identity.
     */
    public static int[] dims(String op, int[] dims, int ndim) {
        if (dims == null || dims.length == 0) {
            int[] all = new int[ndim];
            for (int i = 0; i < ndim; i++) all[i] = i;
            return all;
        }
        int[] out = new int[dims.length];
        boolean[] seen = new boolean[Math.max(ndim, 1)];
        for (int i = 0; i < dims.length; i++) {
            out[i] = dim(op, dims[i], ndim);
            if (seen[out[i]]) throw new IllegalArgumentException(op + ": dim " + out[i] + " appears more than once in " + Arrays.toString(dims));
            seen[out[i]] = true;
        }
        if (ndim == 0) return new int[0];
        Arrays.sort(out);
        return out;
    }

    /** NumPy/PyTorch broadcasting of two shapes. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i - (n - a.length);
            int db = i - (n - b.length);
            int sa = da >= 0 ? a[da] : 1;
            int sb = db >= 0 ? b[db] : 1;
            if (sa != sb && sa != 1 && sb != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " cannot be broadcast (dim " + i + ": " + sa + " vs " + sb + ")");
            }
            out[i] = sa == 1 ? sb : sa;
        }
        return out;
    }

    /** Broadcasts any number of shapes. */
    public static int[] broadcast(String op, int[]... shapes) {
        int[] out = new int[0];
        for (int[] s : shapes) out = broadcast(op, out, s);
        return out;
    }

    /** Resolves a single -1 in a requested shape against an element count. */
    public static int[] infer(String op, int[] requested, int numel, int[] from) {
        int[] shape = requested.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (unknown >= 0) throw new IllegalArgumentException(op + ": only one dim can be -1 but got " + str(requested));
                unknown = i;
            } else if (shape[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid size " + shape[i] + " in " + str(requested));
            } else {
                known *= shape[i];
            }
        }
        if (unknown >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException(op + ": shape " + str(requested) + " is invalid for input of size "
                        + numel + " (shape " + str(from) + ")");
            }
            shape[unknown] = (int) (numel / known);
        } else if (known != numel) {
            throw new IllegalArgumentException(op + ": shape " + str(requested) + " is invalid for input of size "
                    + numel + " (shape " + str(from) + ")");
        }
        return shape;
    }

    /** {@code [2, 3]} as PyTorch prints a size. */
    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /** Removes the given (sorted, normalised) dims, or sets them to 1 when keepdim. */
    public static int[] reduced(int[] shape, int[] dims, boolean keepdim) {
        boolean[] r = new boolean[shape.length];
        for (int d : dims) r[d] = true;
        int[] out = new int[keepdim ? shape.length : shape.length - dims.length];
        int j = 0;
        for (int i = 0; i < shape.length; i++) {
            if (r[i]) {
                if (keepdim) out[j++] = 1;
            } else {
                out[j++] = shape[i];
            }
        }
        return out;
    }
}
