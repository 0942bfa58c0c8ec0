package dev.kindling.optim;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Helpers for the fused-optimizer tests: copies of optimizer state, the same values as transposed
 * (non-contiguous) views so that a backend takes its op-by-op path, and a bit-for-bit comparison.
 */
final class BitExact {
    private BitExact() {}

    static Tensor[] copies(Tensor[] ts) {
        Tensor[] out = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) out[i] = ts[i].clone();
        return out;
    }

    /** [rows, cols] tensors copied into the transpose of [cols, rows] memory: same values, not contiguous. */
    static Tensor[] copiesAsTransposedViews(Tensor[] ts) {
        Tensor[] out = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) out[i] = transposedCopy(ts[i]);
        return out;
    }

    static Tensor transposedCopy(Tensor t) {
        Tensor out = Tensors.empty(t.size(1), t.size(0)).t().copy_(t);
        assertEquals(false, out.isContiguous());
        return out;
    }

    static void assertBitsEqual(Tensor expected, Tensor actual, String what) {
        assertEquals(DType.FLOAT32, actual.dtype());
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToIntBits(e[i]) != Float.floatToIntBits(a[i])) {
                throw new AssertionError(what + ": element " + i + " is " + a[i] + " but op by op gives " + e[i]);
            }
        }
    }
}
