package dev.kindling.nn;

import java.math.BigDecimal;

/**
 * Formats numbers and tuples the way Python's {@code repr} does, so module trees print exactly as
 * PyTorch's ({@code eps=1e-05}, {@code momentum=0.1}, {@code kernel_size=(5, 5)}).
 */
final class Repr {
    private Repr() {}

    /** Python's float repr: shortest round-trip digits, scientific below 1e-4 and from 1e16. */
    static String py(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e16) return (long) v + ".0";
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        int exponent = d.precision() - d.scale() - 1;
        if (exponent < -4 || exponent >= 16) {
            String digits = d.unscaledValue().abs().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String exp = String.format("%s%02d", exponent < 0 ? "-" : "+", Math.abs(exponent));
            return (v < 0 ? "-" : "") + mantissa + "e" + exp;
        }
        return d.toPlainString();
    }

    static String bool(boolean b) { return b ? "True" : "False"; }

    /** (a, b) for two values, (a,) for one. */
    static String tuple(int... values) {
        if (values.length == 1) return "(" + values[0] + ",)";
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < values.length; i++) sb.append(i > 0 ? ", " : "").append(values[i]);
        return sb.append(')').toString();
    }
}
