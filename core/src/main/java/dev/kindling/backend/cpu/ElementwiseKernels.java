package dev.kindling.backend.cpu;

import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.StridedView;
import dev.kindling.backend.UnaryOp;

/**
 * Elementwise kernels over array-backed tensors: unary, binary and where.
 *
 * <p>The functions that dominate training (add, mul, relu, exp, sigmoid, tanh and their gradients)
 * have dedicated float32 loops over contiguous runs, which the JIT vectorises. Every other
 * function, dtype or stride pattern runs one generic loop per array type that evaluates the op's
 * scalar definition ({@link UnaryOp.Kind#apply}); correct everywhere, just slower.
 */
final class ElementwiseKernels {
    private ElementwiseKernels() {}

    // ------------------------------------------------------------------ unary

    static void unary(UnaryOp op, StridedView x, StridedView out) {
        Object xa = x.storage().array();
        Object oa = out.storage().array();
        StridedIter it = StridedIter.of(out.shape(), new int[] {out.storageOffset(), x.storageOffset()},
                out.strides(), x.strides());
        int os = it.innerStride(0);
        int xs = it.innerStride(1);
        it.parallel((offs, len) -> unaryRun(op, xa, offs[1], xs, oa, offs[0], os, len));
    }

    private static void unaryRun(UnaryOp op, Object xa, int xo, int xs, Object oa, int oo, int os, int n) {
        if (xa instanceof float[] x && oa instanceof float[] o && xs == 1 && os == 1 && fastUnaryF32(op, x, xo, o, oo, n)) {
            return;
        }
        UnaryOp.Kind k = op.kind();
        double p = op.p();
        double q = op.q();
        switch (xa) {
            case float[] x -> {
                if (oa instanceof float[] o) for (int i = 0; i < n; i++) o[oo + i * os] = (float) k.apply(x[xo + i * xs], p, q);
                else { byte[] o = (byte[]) oa; for (int i = 0; i < n; i++) o[oo + i * os] = (byte) (k.apply(x[xo + i * xs], p, q) != 0 ? 1 : 0); }
            }
            case double[] x -> {
                if (oa instanceof double[] o) for (int i = 0; i < n; i++) o[oo + i * os] = k.apply(x[xo + i * xs], p, q);
                else { byte[] o = (byte[]) oa; for (int i = 0; i < n; i++) o[oo + i * os] = (byte) (k.apply(x[xo + i * xs], p, q) != 0 ? 1 : 0); }
            }
            case long[] x -> {
                if (oa instanceof long[] o) unaryLong(k, p, q, x, xo, xs, o, oo, os, n);
                else { byte[] o = (byte[]) oa; for (int i = 0; i < n; i++) o[oo + i * os] = (byte) (k.apply(x[xo + i * xs], p, q) != 0 ? 1 : 0); }
            }
            default -> throw new IllegalStateException("unary kernel: unexpected array " + xa.getClass().getSimpleName());
        }
    }

    private static void unaryLong(UnaryOp.Kind k, double p, double q, long[] x, int xo, int xs, long[] o, int oo, int os, int n) {
        switch (k) {
            case NEG -> { for (int i = 0; i < n; i++) o[oo + i * os] = -x[xo + i * xs]; }
            case ABS -> { for (int i = 0; i < n; i++) o[oo + i * os] = Math.abs(x[xo + i * xs]); }
            case SQUARE -> { for (int i = 0; i < n; i++) { long v = x[xo + i * xs]; o[oo + i * os] = v * v; } }
            case SIGN -> { for (int i = 0; i < n; i++) o[oo + i * os] = Long.signum(x[xo + i * xs]); }
            case RELU -> { for (int i = 0; i < n; i++) o[oo + i * os] = Math.max(x[xo + i * xs], 0L); }
            case FLOOR, CEIL, ROUND -> { for (int i = 0; i < n; i++) o[oo + i * os] = x[xo + i * xs]; }
            case CLAMP -> {
                long lo = Double.isNaN(p) ? Long.MIN_VALUE : (long) Math.ceil(p);
                long hi = Double.isNaN(q) ? Long.MAX_VALUE : (long) Math.floor(q);
                for (int i = 0; i < n; i++) o[oo + i * os] = Math.min(Math.max(x[xo + i * xs], lo), hi);
            }
            default -> { for (int i = 0; i < n; i++) o[oo + i * os] = (long) k.apply(x[xo + i * xs], p, q); }
        }
    }

    /** Dedicated contiguous float32 loops; returns false when the op has none. */
    private static boolean fastUnaryF32(UnaryOp op, float[] x, int xo, float[] o, int oo, int n) {
        if (xo == oo && SameIndexF32.unary(op, x, o, oo, oo + n)) return true;
        switch (op.kind()) {
            // Math.max vectorises (a ternary with a NaN test does not) and propagates NaN like PyTorch.
            case RELU -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(x[xo + i], 0f); }
            case NEG -> { for (int i = 0; i < n; i++) o[oo + i] = -x[xo + i]; }
            case ABS -> { for (int i = 0; i < n; i++) o[oo + i] = Math.abs(x[xo + i]); }
            case SQUARE -> { for (int i = 0; i < n; i++) { float v = x[xo + i]; o[oo + i] = v * v; } }
            case SQRT -> { for (int i = 0; i < n; i++) o[oo + i] = (float) Math.sqrt(x[xo + i]); }
            case EXP -> { for (int i = 0; i < n; i++) o[oo + i] = (float) Math.exp(x[xo + i]); }
            case TANH -> { for (int i = 0; i < n; i++) o[oo + i] = (float) Math.tanh(x[xo + i]); }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    double v = x[xo + i];
                    o[oo + i] = (float) (v >= 0 ? 1.0 / (1.0 + Math.exp(-v)) : Math.exp(v) / (1.0 + Math.exp(v)));
                }
            }
            case POW_SCALAR -> {
                if (op.p() != 2.0) return false;
                for (int i = 0; i < n; i++) { float v = x[xo + i]; o[oo + i] = v * v; }
            }
            default -> { return false; }
        }
        return true;
    }

    // ------------------------------------------------------------------ binary

    static void binary(BinaryOp op, StridedView a, StridedView b, StridedView out) {
        Object aa = a.storage().array();
        Object ba = b.storage().array();
        Object oa = out.storage().array();
        StridedIter it = StridedIter.of(out.shape(), new int[] {out.storageOffset(), a.storageOffset(), b.storageOffset()},
                out.strides(), a.strides(), b.strides());
        int os = it.innerStride(0);
        int as = it.innerStride(1);
        int bs = it.innerStride(2);
        it.parallel((offs, len) -> binaryRun(op, aa, offs[1], as, ba, offs[2], bs, oa, offs[0], os, len));
    }

    private static void binaryRun(BinaryOp op, Object aa, int ao, int as, Object ba, int bo, int bs,
                                  Object oa, int oo, int os, int n) {
        if (aa instanceof float[] a && oa instanceof float[] o && os == 1
                && fastBinaryF32(op, a, ao, as, (float[]) ba, bo, bs, o, oo, n)) {
            return;
        }
        BinaryOp.Kind k = op.kind();
        double p = op.p();
        double q = op.q();
        switch (aa) {
            case float[] a -> {
                float[] b = (float[]) ba;
                if (oa instanceof float[] o) for (int i = 0; i < n; i++) o[oo + i * os] = (float) k.apply(a[ao + i * as], b[bo + i * bs], p, q);
                else { byte[] o = (byte[]) oa; for (int i = 0; i < n; i++) o[oo + i * os] = (byte) (k.apply(a[ao + i * as], b[bo + i * bs], p, q) != 0 ? 1 : 0); }
            }
            case double[] a -> {
                double[] b = (double[]) ba;
                if (oa instanceof double[] o) for (int i = 0; i < n; i++) o[oo + i * os] = k.apply(a[ao + i * as], b[bo + i * bs], p, q);
                else { byte[] o = (byte[]) oa; for (int i = 0; i < n; i++) o[oo + i * os] = (byte) (k.apply(a[ao + i * as], b[bo + i * bs], p, q) != 0 ? 1 : 0); }
            }
            case long[] a -> binaryLong(k, p, a, ao, as, (long[]) ba, bo, bs, oa, oo, os, n);
            default -> throw new IllegalStateException("binary kernel: unexpected array " + aa.getClass().getSimpleName());
        }
    }

    /** Integer arithmetic stays exact in 64 bits; functions without an exact form go through double. */
    private static void binaryLong(BinaryOp.Kind k, double p, long[] a, int ao, int as, long[] b, int bo, int bs,
                                   Object oa, int oo, int os, int n) {
        if (oa instanceof byte[] o) {
            for (int i = 0; i < n; i++) {
                long x = a[ao + i * as];
                long y = b[bo + i * bs];
                boolean r = switch (k) {
                    case EQ -> x == y;
                    case NE -> x != y;
                    case LT -> x < y;
                    case LE -> x <= y;
                    case GT -> x > y;
                    case GE -> x >= y;
                    case LOGICAL_AND -> x != 0 && y != 0;
                    case LOGICAL_OR -> x != 0 || y != 0;
                    case LOGICAL_XOR -> (x != 0) != (y != 0);
                    default -> k.apply(x, y, p, 0) != 0;
                };
                o[oo + i * os] = (byte) (r ? 1 : 0);
            }
            return;
        }
        long[] o = (long[]) oa;
        long alpha = (long) p;
        switch (k) {
            case ADD -> { for (int i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] + alpha * b[bo + i * bs]; }
            case SUB -> { for (int i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] - alpha * b[bo + i * bs]; }
            case MUL -> { for (int i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] * b[bo + i * bs]; }
            case MAXIMUM -> { for (int i = 0; i < n; i++) o[oo + i * os] = Math.max(a[ao + i * as], b[bo + i * bs]); }
            case MINIMUM -> { for (int i = 0; i < n; i++) o[oo + i * os] = Math.min(a[ao + i * as], b[bo + i * bs]); }
            case REMAINDER -> { for (int i = 0; i < n; i++) o[oo + i * os] = Math.floorMod(a[ao + i * as], b[bo + i * bs]); }
            case FLOOR_DIVIDE -> { for (int i = 0; i < n; i++) o[oo + i * os] = Math.floorDiv(a[ao + i * as], b[bo + i * bs]); }
            default -> { for (int i = 0; i < n; i++) o[oo + i * os] = (long) k.apply(a[ao + i * as], b[bo + i * bs], p, 0); }
        }
    }

    /**
     * Dedicated float32 loops for contiguous output with each input either contiguous (stride 1) or
     * broadcast along the run (stride 0). Returns false when not applicable.
     */
    private static boolean fastBinaryF32(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs,
                                         float[] o, int oo, int n) {
        boolean aVec = as == 1;
        boolean bVec = bs == 1;
        if (!(aVec || as == 0) || !(bVec || bs == 0)) return false;
        if (aVec && bVec ? ao == oo && bo == oo && SameIndexF32.binary(op, a, b, o, oo, oo + n)
                : aVec ? ao == oo && SameIndexF32.binaryScalarRight(op, a, b[bo], o, oo, oo + n)
                : bVec && bo == oo && SameIndexF32.binaryScalarLeft(op, a[ao], b, o, oo, oo + n)) {
            return true;
        }
        if (aVec && bVec && o != a && o != b && sameIndexViaOutput(op, a, ao, b, bo, o, oo, n)) return true;
        switch (op.kind()) {
            case ADD, SUB -> {
                float alpha = SameIndexF32.alpha(op);
                if (aVec && bVec) for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + alpha * b[bo + i];
                else if (aVec) { float y = alpha * b[bo]; for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + y; }
                else if (bVec) { float x = a[ao]; for (int i = 0; i < n; i++) o[oo + i] = x + alpha * b[bo + i]; }
                else return false;
            }
            case MUL -> {
                if (aVec && bVec) for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i];
                else if (aVec) { float y = b[bo]; for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * y; }
                else if (bVec) { float x = a[ao]; for (int i = 0; i < n; i++) o[oo + i] = x * b[bo + i]; }
                else return false;
            }
            case DIV -> {
                if (aVec && bVec) for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i];
                else if (aVec) { float y = b[bo]; for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] / y; }
                else if (bVec) { float x = a[ao]; for (int i = 0; i < n; i++) o[oo + i] = x / b[bo + i]; }
                else return false;
            }
            case THRESHOLD_BACKWARD -> {
                if (!(aVec && bVec)) return false;
                float t = (float) op.p();
                for (int i = 0; i < n; i++) o[oo + i] = b[bo + i] <= t ? 0f : a[ao + i];
            }
            case SIGMOID_BACKWARD -> {
                if (!(aVec && bVec)) return false;
                for (int i = 0; i < n; i++) { float y = b[bo + i]; o[oo + i] = a[ao + i] * y * (1f - y); }
            }
            case TANH_BACKWARD -> {
                if (!(aVec && bVec)) return false;
                for (int i = 0; i < n; i++) { float y = b[bo + i]; o[oo + i] = a[ao + i] * (1f - y * y); }
            }
            default -> { return false; }
        }
        return true;
    }

    /**
     * Two contiguous runs where one operand sits at the output's offset and the other does not
     * (x + v with v broadcast over rows: every row of x and of the output lines up, v starts at
     * 0). The loop with two offsets runs scalar (see {@link SameIndexF32}), so the misplaced
     * operand's run is first copied into the output run, which is then combined in place at one
     * index. The run is at most a row, so the copy stays in L1; the output must be neither input.
     */
    private static boolean sameIndexViaOutput(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        switch (op.kind()) {
            case ADD, SUB, MUL, DIV -> { }
            default -> { return false; }
        }
        if (ao == oo && bo != oo) {
            System.arraycopy(b, bo, o, oo, n);
            return SameIndexF32.binary(op, a, o, o, oo, oo + n);
        }
        if (bo == oo && ao != oo) {
            System.arraycopy(a, ao, o, oo, n);
            return SameIndexF32.binary(op, o, b, o, oo, oo + n);
        }
        return false;
    }

    // ------------------------------------------------------------------ where

    static void where(StridedView cond, StridedView a, StridedView b, StridedView out) {
        byte[] c = (byte[]) cond.storage().array();
        Object aa = a.storage().array();
        Object ba = b.storage().array();
        Object oa = out.storage().array();
        StridedIter it = StridedIter.of(out.shape(),
                new int[] {out.storageOffset(), cond.storageOffset(), a.storageOffset(), b.storageOffset()},
                out.strides(), cond.strides(), a.strides(), b.strides());
        int os = it.innerStride(0);
        int cs = it.innerStride(1);
        int as = it.innerStride(2);
        int bs = it.innerStride(3);
        it.parallel((offs, n) -> {
            int oo = offs[0];
            int co = offs[1];
            int ao = offs[2];
            int bo = offs[3];
            switch (oa) {
                case float[] o -> { float[] x = (float[]) aa; float[] y = (float[]) ba;
                    for (int i = 0; i < n; i++) o[oo + i * os] = c[co + i * cs] != 0 ? x[ao + i * as] : y[bo + i * bs]; }
                case double[] o -> { double[] x = (double[]) aa; double[] y = (double[]) ba;
                    for (int i = 0; i < n; i++) o[oo + i * os] = c[co + i * cs] != 0 ? x[ao + i * as] : y[bo + i * bs]; }
                case long[] o -> { long[] x = (long[]) aa; long[] y = (long[]) ba;
                    for (int i = 0; i < n; i++) o[oo + i * os] = c[co + i * cs] != 0 ? x[ao + i * as] : y[bo + i * bs]; }
                case int[] o -> { int[] x = (int[]) aa; int[] y = (int[]) ba;
                    for (int i = 0; i < n; i++) o[oo + i * os] = c[co + i * cs] != 0 ? x[ao + i * as] : y[bo + i * bs]; }
                case byte[] o -> { byte[] x = (byte[]) aa; byte[] y = (byte[]) ba;
                    for (int i = 0; i < n; i++) o[oo + i * os] = c[co + i * cs] != 0 ? x[ao + i * as] : y[bo + i * bs]; }
                default -> throw new IllegalStateException();
            }
        });
    }
}
