package dev.kindling.backend;

/**
 * Scalar special functions the JDK lacks, accurate to double precision, shared by every backend's
 * reference path and by the ops' backward formulas.
 */
public final class SpecialFunctions {
    private SpecialFunctions() {}

    public static final double SQRT1_2 = 0.70710678118654752440;
    public static final double SQRT_2_OVER_PI = 0.79788456080286535588;
    /** 1 / sqrt(2 pi), the standard normal density at 0. */
    public static final double INV_SQRT_2PI = 0.39894228040143267794;

    /**
     * The error function, to about 1e-16 relative error: a Taylor series near zero and a continued
     * fraction for erfc in the tails (W. J. Cody's split points).
     */
    public static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double ax = Math.abs(x);
        if (ax < 2.0) {
            // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))
            double x2 = x * x;
            double term = x;
            double sum = x;
            for (int n = 1; n < 60; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
            }
            return 2.0 / Math.sqrt(Math.PI) * sum;
        }
        double r = erfcLarge(ax);
        return x > 0 ? 1.0 - r : r - 1.0;
    }

    /** erfc(x) for x >= 2 by Lentz's continued fraction. */
    private static double erfcLarge(double x) {
        if (x > 27) return 0.0;
        // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...))))
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int n = 1; n < 500; n++) {
            double a = n * 0.5;
            d = x + a * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = x + a / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) break;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }

    /** The standard normal density. */
    public static double normalPdf(double x) {
        return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }
}
