package dev.kindling.bench;

/**
 * The plain-Java baselines: the loops a programmer would write over {@code float[]} into a
 * preallocated output, with no tensor machinery. Each works on the index range [from, to) so the
 * same loop serves the one-thread and the two-thread columns ({@link ThreadSplit}).
 */
final class JavaLoops {
    private JavaLoops() {}

    static void add(float[] x, float[] y, float[] out, int from, int to) {
        for (int i = from; i < to; i++) out[i] = x[i] + y[i];
    }

    static void mul(float[] x, float[] y, float[] out, int from, int to) {
        for (int i = from; i < to; i++) out[i] = x[i] * y[i];
    }

    /** Math.max keeps NaN and maps -0.0 to 0.0, exactly as Kindling's and torch's relu do. */
    static void relu(float[] x, float[] out, int from, int to) {
        for (int i = from; i < to; i++) out[i] = Math.max(x[i], 0f);
    }

    /** out[r, c] = x[r, c] + v[c] for rows [from, to) of a row-major [rows, cols] x. */
    static void addRowVector(float[] x, float[] v, float[] out, int cols, int from, int to) {
        for (int r = from; r < to; r++) {
            int o = r * cols;
            for (int c = 0; c < cols; c++) out[o + c] = x[o + c] + v[c];
        }
    }

    /** out[r, c] = x[r, c] + v[r] for rows [from, to). */
    static void addColumnVector(float[] x, float[] v, float[] out, int cols, int from, int to) {
        for (int r = from; r < to; r++) {
            int o = r * cols;
            float s = v[r];
            for (int c = 0; c < cols; c++) out[o + c] = x[o + c] + s;
        }
    }

    /**
     * out[r, c] = x[r, c] + at[c, r] for rows [from, to): a contiguous x plus the transpose of a
     * contiguous at, written row by row (the output is contiguous, so one input is read with a
     * stride of rows elements).
     */
    static void addTransposed(float[] x, float[] at, float[] out, int rows, int cols, int from, int to) {
        for (int r = from; r < to; r++) {
            int o = r * cols;
            for (int c = 0; c < cols; c++) out[o + c] = x[o + c] + at[c * rows + r];
        }
    }

    /**
     * Row sums of a row-major [rows, cols] x, accumulated in double with four partial sums: the
     * same arithmetic as Kindling's kernel (a single float accumulator would be both slower and
     * less accurate).
     */
    static void rowSums(float[] x, float[] out, int cols, int from, int to) {
        for (int r = from; r < to; r++) {
            int o = r * cols;
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int c = 0;
            for (; c + 3 < cols; c += 4) {
                s0 += x[o + c];
                s1 += x[o + c + 1];
                s2 += x[o + c + 2];
                s3 += x[o + c + 3];
            }
            for (; c < cols; c++) s0 += x[o + c];
            out[r] = (float) ((s0 + s1) + (s2 + s3));
        }
    }
}
