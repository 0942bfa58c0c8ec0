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

    /** ln 2. */
    public static final double LN2 = 0.69314718055994530942;

    /** 1 - erf(x); the continued fraction in the upper tail keeps its relative accuracy there. */
    public static double erfc(double x) {
        if (Double.isNaN(x)) return x;
        if (x >= 2.0) return erfcLarge(x);
        if (x <= -2.0) return 2.0 - erfcLarge(-x);
        return 1.0 - erf(x);
    }

    /** Inverse hyperbolic sine, accurate near zero and for large |x|. */
    public static double asinh(double x) {
        double ax = Math.abs(x);
        double r = ax > 1e8 ? Math.log(ax) + LN2 : Math.log1p(ax + ax * ax / (1.0 + Math.sqrt(1.0 + ax * ax)));
        return Math.copySign(r, x);
    }

    /** Inverse hyperbolic cosine; NaN below 1. */
    public static double acosh(double x) {
        if (x < 1.0) return Double.NaN;
        if (x > 1e8) return Math.log(x) + LN2;
        double t = x - 1.0;
        return Math.log1p(t + Math.sqrt(2.0 * t + t * t));
    }

    /** Inverse hyperbolic tangent; NaN outside [-1, 1], infinite at the ends. */
    public static double atanh(double x) {
        double ax = Math.abs(x);
        if (ax > 1.0) return Double.NaN;
        return Math.copySign(0.5 * Math.log1p(2.0 * ax / (1.0 - ax)), x);
    }

    /** The standard normal density. */
    public static double normalPdf(double x) {
        return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }
}
