package dev.kindling.backend;

/**
 * Scalar definitions of the gamma-family special functions and the inverse error function, in
 * double precision (about 1e-14 relative or better): lgamma by a Lanczos sum with reflection,
 * digamma and polygamma by recurrence up to a large argument then their asymptotic (Bernoulli)
 * series, erfinv by Halley iterations on erf/erfc from a closed-form first guess. Poles follow
 * PyTorch: lgamma is +inf at non-positive integers, digamma is -inf at 0 and NaN at negative
 * integers, polygamma(n) is +-inf there.
 */
public final class GammaFunctions {
    private GammaFunctions() {}

    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7};
    private static final double HALF_LOG_2PI = 0.91893853320467274178;

    /** log |Gamma(x)|. */
    public static double lgamma(double x) {
        if (Double.isNaN(x)) return x;
        if (Double.isInfinite(x)) return Double.POSITIVE_INFINITY;
        if (x <= 0 && x == Math.rint(x)) return Double.POSITIVE_INFINITY;
        if (x < 0.5) return Math.log(Math.PI / Math.abs(sinPi(x))) - lgamma(1.0 - x);
        double z = x - 1.0;
        double a = LANCZOS[0];
        for (int i = 1; i < LANCZOS.length; i++) a += LANCZOS[i] / (z + i);
        double t = z + 7.5;
        return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /** sin(pi x), exact at integers and accurate for large |x| (reduces x mod 2 first). */
    private static double sinPi(double x) {
        double r = x % 2.0;
        return Math.sin(Math.PI * r);
    }

    /** Bernoulli numbers B2, B4, ..., B16. */
    private static final double[] BERNOULLI = {1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730, 7.0 / 6, -3617.0 / 510};

    /** The logarithmic derivative of Gamma. */
    public static double digamma(double x) {
        if (Double.isNaN(x) || x == Double.POSITIVE_INFINITY) return x;
        if (x == 0) return Math.copySign(Double.POSITIVE_INFINITY, -x);
        if (x < 0) {
            if (x == Math.rint(x)) return Double.NaN;
            return digamma(1.0 - x) - Math.PI / Math.tan(Math.PI * (x % 1.0));
        }
        double result = 0;
        while (x < 10) {
            result -= 1.0 / x;
            x += 1;
        }
        double inv2 = 1.0 / (x * x);
        double series = 0;
        double pow = inv2;
        for (int k = 1; k <= BERNOULLI.length; k++) {
            series += BERNOULLI[k - 1] / (2 * k) * pow;
            pow *= inv2;
        }
        return result + Math.log(x) - 0.5 / x - series;
    }

    /** The n-th derivative of digamma (n >= 0). */
    public static double polygamma(int n, double x) {
        if (n < 0) throw new IllegalArgumentException("polygamma: n must be non-negative but got " + n);
        if (n == 0) return digamma(x);
        double factorial = Math.exp(lgamma(n + 1.0));
        double sign = n % 2 == 1 ? 1.0 : -1.0;
        return sign * factorial * hurwitzZeta(n + 1.0, x);
    }

    /** zeta(s, q) = sum over k >= 0 of (q + k)^-s for integer s >= 2; +inf at non-positive integer q. */
    static double hurwitzZeta(double s, double q) {
        if (Double.isNaN(q)) return q;
        if (q <= 0 && q == Math.rint(q)) return Double.POSITIVE_INFINITY;
        double sum = 0;
        double a = q;
        while (a < 20 + s) {
            sum += Math.pow(a, -s);
            a += 1;
        }
        // Euler-Maclaurin tail from a: a^(1-s)/(s-1) + a^-s/2 + sum_j B2j/(2j)! s(s+1)..(s+2j-2) a^(-s-2j+1)
        double tail = Math.pow(a, 1 - s) / (s - 1) + 0.5 * Math.pow(a, -s);
        double rising = s;             // s (s+1) ... (s + 2j - 2)
        double factorial = 2;          // (2j)!
        double pw = Math.pow(a, -s - 1);
        for (int j = 1; j <= BERNOULLI.length; j++) {
            double term = BERNOULLI[j - 1] / factorial * rising * pw;
            tail += term;
            if (Math.abs(term) < 1e-17 * Math.abs(tail)) break;
            rising *= (s + 2 * j - 1) * (s + 2 * j);
            factorial *= (2 * j + 1) * (2 * j + 2);
            pw /= a * a;
        }
        return sum + tail;
    }

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955125739;

    /** The inverse of erf on [-1, 1]: +-inf at +-1, NaN outside. */
    public static double erfinv(double y) {
        if (Double.isNaN(y) || y < -1 || y > 1) return Double.NaN;
        if (y == 1) return Double.POSITIVE_INFINITY;
        if (y == -1) return Double.NEGATIVE_INFINITY;
        if (y == 0) return y;
        if (y < 0) return -erfinv(-y);
        // Winitzki's closed form (relative error ~2e-3) as the first guess
        double a = 0.147;
        double ln = Math.log((1 - y) * (1 + y));
        double b = 2 / (Math.PI * a) + ln / 2;
        double x = Math.sqrt(Math.sqrt(b * b - ln / a) - b);
        boolean tail = y > 0.5;
        double r = 1 - y; // exact for y in [0.5, 1]
        for (int i = 0; i < 6; i++) {
            // Halley's step for f(x) = erf(x) - y (or r - erfc(x) in the tail, the same function with less cancellation)
            double f = tail ? r - SpecialFunctions.erfc(x) : SpecialFunctions.erf(x) - y;
            double fp = TWO_OVER_SQRT_PI * Math.exp(-x * x);
            double step = f / (fp + x * f);
            x -= step;
            if (Math.abs(step) <= 1e-16 * Math.abs(x)) break;
        }
        return x;
    }
}
