package dev.kindling.backend.cpu;

import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.UnaryOp;

/**
 * The hot float32 elementwise loops in the one form the JIT vectorises: every array read and
 * written at the same index {@code i}, for i in [from, to).
 *
 * <p>C2 (JDK 25) cannot vectorise {@code o[oo + i] = f(x[xo + i])} with distinct offsets: x and o
 * may be the same array, and then the offsets could overlap from one iteration to the next (it has
 * no run-time aliasing check). Measured here, relu runs at ~0.45 ns per element in that form and
 * ~0.05 in this one. Operands of the training hot path share their offsets (fresh contiguous
 * tensors, split into equal chunks), so {@link ElementwiseKernels} calls these whenever the
 * offsets match and keeps its general loops for the rest. Each loop computes exactly what the
 * general loop computes, element by element, so results do not depend on the path taken.
 */
final class SameIndexF32 {
    private SameIndexF32() {}

    /** o[i] = op(x[i]); false when op has no loop here. */
    static boolean unary(UnaryOp op, float[] x, float[] o, int from, int to) {
        switch (op.kind()) {
            // Math.max vectorises (a ternary with a NaN test does not) and propagates NaN like PyTorch.
            case RELU -> { for (int i = from; i < to; i++) o[i] = Math.max(x[i], 0f); }
            case NEG -> { for (int i = from; i < to; i++) o[i] = -x[i]; }
            case ABS -> { for (int i = from; i < to; i++) o[i] = Math.abs(x[i]); }
            case SQUARE -> { for (int i = from; i < to; i++) o[i] = x[i] * x[i]; }
            case SQRT -> { for (int i = from; i < to; i++) o[i] = (float) Math.sqrt(x[i]); }
            case POW_SCALAR -> {
                if (op.p() != 2.0) return false;
                for (int i = from; i < to; i++) o[i] = x[i] * x[i];
            }
            default -> { return false; }
        }
        return true;
    }

    /** o[i] = op(a[i], b[i]); false when op has no loop here. */
    static boolean binary(BinaryOp op, float[] a, float[] b, float[] o, int from, int to) {
        switch (op.kind()) {
            case ADD, SUB -> {
                float alpha = alpha(op);
                for (int i = from; i < to; i++) o[i] = a[i] + alpha * b[i];
            }
            case MUL -> { for (int i = from; i < to; i++) o[i] = a[i] * b[i]; }
            case DIV -> { for (int i = from; i < to; i++) o[i] = a[i] / b[i]; }
            case THRESHOLD_BACKWARD -> {
                if (op.p() != 0.0) return false;
                reluBackward(a, b, o, from, to);
            }
            case SIGMOID_BACKWARD -> { for (int i = from; i < to; i++) { float y = b[i]; o[i] = a[i] * y * (1f - y); } }
            case TANH_BACKWARD -> { for (int i = from; i < to; i++) { float y = b[i]; o[i] = a[i] * (1f - y * y); } }
            default -> { return false; }
        }
        return true;
    }

    /** o[i] = op(a[i], y) with b broadcast to the scalar y; false when op has no loop here. */
    static boolean binaryScalarRight(BinaryOp op, float[] a, float y, float[] o, int from, int to) {
        switch (op.kind()) {
            case ADD, SUB -> {
                float c = alpha(op) * y;
                for (int i = from; i < to; i++) o[i] = a[i] + c;
            }
            case MUL -> { for (int i = from; i < to; i++) o[i] = a[i] * y; }
            case DIV -> { for (int i = from; i < to; i++) o[i] = a[i] / y; }
            default -> { return false; }
        }
        return true;
    }

    /** o[i] = op(x, b[i]) with a broadcast to the scalar x; false when op has no loop here. */
    static boolean binaryScalarLeft(BinaryOp op, float x, float[] b, float[] o, int from, int to) {
        switch (op.kind()) {
            case ADD, SUB -> {
                float alpha = alpha(op);
                for (int i = from; i < to; i++) o[i] = x + alpha * b[i];
            }
            case MUL -> { for (int i = from; i < to; i++) o[i] = x * b[i]; }
            case DIV -> { for (int i = from; i < to; i++) o[i] = x / b[i]; }
            default -> { return false; }
        }
        return true;
    }

    /** The float factor of b in ADD (a + alpha b) and SUB (a - alpha b). */
    static float alpha(BinaryOp op) {
        return (float) (op.kind() == BinaryOp.Kind.ADD ? op.p() : -op.p());
    }

    /**
     * relu's gradient, PyTorch's {@code threshold_backward(g, y, 0)}: o = y <= 0 ? +0 : g (a NaN y
     * passes g). The sign of an activation is a coin toss that a branch predictor loses half the
     * time (~5 ns per element measured here), and C2 does not vectorise a select, so this computes
     * it with min/max and arithmetic: k = 1 where y > 0 (y * 2^200 >= 2^51 even for the smallest
     * denormal), +0 where y <= 0, NaN where y is NaN; g * k is g where kept and +-0 where masked;
     * adding (0.5 - k) * 0, which is -0 where kept and +0 where masked, turns a masked -0 into +0
     * and leaves every kept value alone (x + -0 == x, -0 included). Where that is not exact (a NaN
     * y, or an infinite or NaN g that is masked) the result is NaN, so one NaN among the results
     * sends the whole range through the plain select instead.
     */
    static void reluBackward(float[] g, float[] y, float[] o, int from, int to) {
        float probe = 0f;
        for (int i = from; i < to; i++) {
            float k = Math.max(Math.min(y[i] * 0x1p100f * 0x1p100f, 1f), 0f);
            float v = g[i] * k + (0.5f - k) * 0f;
            o[i] = v;
            probe = Math.max(probe, v); // NaN as soon as one v is
        }
        if (probe != probe) {
            for (int i = from; i < to; i++) o[i] = y[i] <= 0f ? 0f : g[i];
        }
    }
}
