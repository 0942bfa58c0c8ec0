package dev.kindling.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints tensors the way PyTorch does ({@code torch/_tensor_str.py}): 4 decimals, integer-valued
 * floats as {@code 1.}, scientific notation when magnitudes span more than 1000x or leave
 * [1e-4, 1e8), right-aligned columns, rows wrapped at 80 characters, and tensors of more than 1000
 * elements summarised to their first and last 3 items per dim. Non-default dtypes, devices and
 * autograd state are appended: {@code tensor([1., 2.], dtype=float64, requires_grad=True)}.
 */
final class TensorFormatter {
    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;
    private static final int LINE_WIDTH = 80;
    private static final String PREFIX = "tensor(";

    private TensorFormatter() {}

    static String format(Tensor t) {
        Tensor cpu = t.detach().to(Device.CPU);
        int[] shape = cpu.shape();
        boolean summarize = cpu.numel() > THRESHOLD;
        List<String> suffixes = new ArrayList<>();
        if (t.numel() == 0 && shape.length != 1) suffixes.add("size=(" + joinShape(shape) + ")");
        if (!t.device().isCpu()) suffixes.add("device='" + t.device() + "'");
        if (t.dtype() != DType.FLOAT32 && t.dtype() != DType.INT64 && t.dtype() != DType.BOOL) {
            suffixes.add("dtype=" + t.dtype());
        }
        if (t.gradFn() != null) suffixes.add("grad_fn=<" + t.gradFn().name() + ">");
        else if (t.requiresGrad()) suffixes.add("requires_grad=True");

        String body;
        if (t.numel() == 0) {
            body = "[]";
        } else {
            double[] values = cpu.toDoubleArray();
            long[] longs = t.dtype() == DType.INT64 ? cpu.toLongArray() : null;
            Element fmt = new Element(t.dtype(), shownValues(values, shape, summarize), longs);
            body = block(values, longs, shape, 0, 0, fmt, PREFIX.length(), summarize);
        }
        StringBuilder sb = new StringBuilder(PREFIX).append(body);
        for (String s : suffixes) sb.append(", ").append(s);
        return sb.append(')').toString();
    }

    private static String joinShape(int[] shape) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? ", " : "").append(shape[i]);
        if (shape.length == 1) sb.append(',');
        return sb.toString();
    }

    /** The values that will be printed (so the column width ignores summarised ones). */
    private static double[] shownValues(double[] values, int[] shape, boolean summarize) {
        if (!summarize) return values;
        List<Double> shown = new ArrayList<>();
        collect(values, shape, 0, 0, shown);
        double[] out = new double[shown.size()];
        for (int i = 0; i < out.length; i++) out[i] = shown.get(i);
        return out;
    }

    private static void collect(double[] v, int[] shape, int dim, int base, List<Double> out) {
        if (dim == shape.length) {
            out.add(v[base]);
            return;
        }
        int stride = 1;
        for (int d = dim + 1; d < shape.length; d++) stride *= shape[d];
        for (int i : indices(shape[dim], true)) if (i >= 0) collect(v, shape, dim + 1, base + i * stride, out);
    }

    /** The indices shown along a dim: all, or the first and last EDGE with -1 marking the gap. */
    private static int[] indices(int size, boolean summarize) {
        if (!summarize || size <= 2 * EDGE) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) all[i] = i;
            return all;
        }
        int[] ix = new int[2 * EDGE + 1];
        for (int i = 0; i < EDGE; i++) ix[i] = i;
        ix[EDGE] = -1;
        for (int i = 0; i < EDGE; i++) ix[EDGE + 1 + i] = size - EDGE + i;
        return ix;
    }

    private static String block(double[] v, long[] longs, int[] shape, int dim, int base, Element fmt, int indent,
                                boolean summarize) {
        if (shape.length == 0) return fmt.format(v[0], longs == null ? 0 : longs[0]);
        int stride = 1;
        for (int d = dim + 1; d < shape.length; d++) stride *= shape[d];
        int[] ix = indices(shape[dim], summarize);
        StringBuilder sb = new StringBuilder("[");
        if (dim == shape.length - 1) {
            int perLine = Math.max(1, (LINE_WIDTH - indent - 1) / (fmt.width + 2));
            for (int k = 0; k < ix.length; k++) {
                if (k > 0) {
                    sb.append(',');
                    sb.append(k % perLine == 0 ? "\n" + " ".repeat(indent + 1) : " ");
                }
                int i = ix[k];
                sb.append(i < 0 ? "..." : fmt.format(v[base + i], longs == null ? 0 : longs[base + i]));
            }
        } else {
            String sep = "," + "\n".repeat(shape.length - dim - 1) + " ".repeat(indent + 1);
            for (int k = 0; k < ix.length; k++) {
                if (k > 0) sb.append(sep);
                int i = ix[k];
                sb.append(i < 0 ? "..." : block(v, longs, shape, dim + 1, base + i * stride, fmt, indent + 1, summarize));
            }
        }
        return sb.append(']').toString();
    }

    /** How one element prints: mode chosen from all shown values, padded to a common width. */
    private static final class Element {
        final DType dtype;
        final boolean intMode;
        final boolean sciMode;
        final int width;

        Element(DType dtype, double[] shown, long[] longs) {
            this.dtype = dtype;
            boolean ints = true;
            double maxAbs = 0;
            double minAbs = Double.POSITIVE_INFINITY;
            boolean anyFinite = false;
            for (double x : shown) {
                if (!Double.isFinite(x)) continue;
                anyFinite = true;
                if (x != Math.rint(x)) ints = false;
                double a = Math.abs(x);
                if (a != 0) {
                    maxAbs = Math.max(maxAbs, a);
                    minAbs = Math.min(minAbs, a);
                }
            }
            this.intMode = ints;
            boolean sci = false;
            if (anyFinite && dtype.isFloatingPoint() && maxAbs > 0) {
                if (ints) sci = maxAbs > 1e8;
                else sci = maxAbs / minAbs > 1000.0 || maxAbs > 1e8 || minAbs < 1e-4;
            }
            this.sciMode = sci;
            int w = 0;
            for (int i = 0; i < shown.length; i++) w = Math.max(w, raw(shown[i], 0).length());
            if (longs != null) {
                w = 0;
                for (long l : longs) w = Math.max(w, Long.toString(l).length());
            }
            this.width = w;
        }

        String raw(double x, long exact) {
            if (dtype == DType.BOOL) return x != 0 ? "True" : "False";
            if (dtype == DType.INT64) return Long.toString(exact);
            if (dtype.isIntegral()) return Long.toString((long) x);
            if (Double.isNaN(x)) return "nan";
            if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
            if (sciMode) return sci(x);
            if (intMode) return String.format(Locale.ROOT, "%.0f.", x);
            return String.format(Locale.ROOT, "%.4f", x);
        }

        private static String sci(double x) {
            String s = String.format(Locale.ROOT, "%.4e", x);
            // Java prints e+05; Python prints e+05 too, but e-05 likewise: keep two exponent digits.
            return s;
        }

        String format(double x, long exact) {
            String s = raw(x, exact);
            return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
        }
    }
}
