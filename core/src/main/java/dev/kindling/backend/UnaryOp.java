package dev.kindling.backend;

/**
 * An elementwise function of one tensor, with up to two scalar parameters (the slope of leakyRelu,
 * the bounds of clamp, the exponent of pow...). {@link Kind#apply} is the scalar definition every
 * backend must agree with; the CPU backend uses it directly for the functions it has no dedicated
 * loop for.
 */
public record UnaryOp(Kind kind, double p, double q) {

    public static UnaryOp of(Kind kind) { return new UnaryOp(kind, 0, 0); }

    public static UnaryOp of(Kind kind, double p) { return new UnaryOp(kind, p, 0); }

    public static UnaryOp of(Kind kind, double p, double q) { return new UnaryOp(kind, p, q); }

    /** Applies the function to one value. */
    public double apply(double x) { return kind.apply(x, p, q); }

    /** The functions. Those marked {@code integral} also run on integer tensors without promotion. */
    public enum Kind {
        NEG(true) { public double apply(double x, double p, double q) { return -x; } },
        ABS(true) { public double apply(double x, double p, double q) { return Math.abs(x); } },
        SQUARE(true) { public double apply(double x, double p, double q) { return x * x; } },
        SIGN(true) { public double apply(double x, double p, double q) { return Double.isNaN(x) ? x : Math.signum(x); } },
        RELU(true) { public double apply(double x, double p, double q) { return x > 0 || Double.isNaN(x) ? x : 0.0; } },
        /** clamp(x, p, q); NaN bounds mean "no bound". */
        CLAMP(true) {
            public double apply(double x, double p, double q) {
                if (Double.isNaN(x)) return x;
                if (!Double.isNaN(p) && x < p) x = p;
                if (!Double.isNaN(q) && x > q) x = q;
                return x;
            }
        },
        EXP(false) { public double apply(double x, double p, double q) { return Math.exp(x); } },
        LOG(false) { public double apply(double x, double p, double q) { return Math.log(x); } },
        LOG1P(false) { public double apply(double x, double p, double q) { return Math.log1p(x); } },
        EXPM1(false) { public double apply(double x, double p, double q) { return Math.expm1(x); } },
        SQRT(false) { public double apply(double x, double p, double q) { return Math.sqrt(x); } },
        RSQRT(false) { public double apply(double x, double p, double q) { return 1.0 / Math.sqrt(x); } },
        RECIPROCAL(false) { public double apply(double x, double p, double q) { return 1.0 / x; } },
        SIN(false) { public double apply(double x, double p, double q) { return Math.sin(x); } },
        COS(false) { public double apply(double x, double p, double q) { return Math.cos(x); } },
        TANH(false) { public double apply(double x, double p, double q) { return Math.tanh(x); } },
        SIGMOID(false) {
            public double apply(double x, double p, double q) {
                return x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
            }
        },
        /** gelu(x) = x * Phi(x), exact. */
        GELU(false) { public double apply(double x, double p, double q) { return 0.5 * x * (1.0 + SpecialFunctions.erf(x * SpecialFunctions.SQRT1_2)); } },
        /** gelu with the tanh approximation. */
        GELU_TANH(false) {
            public double apply(double x, double p, double q) {
                return 0.5 * x * (1.0 + Math.tanh(SpecialFunctions.SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
            }
        },
        SILU(false) { public double apply(double x, double p, double q) { return x * SIGMOID.apply(x, 0, 0); } },
        /** softplus with beta = p and threshold = q, as torch.nn.functional.softplus. */
        SOFTPLUS(false) {
            public double apply(double x, double p, double q) {
                double bx = p * x;
                return bx > q ? x : Math.log1p(Math.exp(bx)) / p;
            }
        },
        /** leaky_relu with negative slope p. */
        LEAKY_RELU(false) { public double apply(double x, double p, double q) { return x > 0 ? x : x * p; } },
        /** elu with alpha p. */
        ELU(false) { public double apply(double x, double p, double q) { return x > 0 ? x : p * Math.expm1(x); } },
        ERF(false) { public double apply(double x, double p, double q) { return SpecialFunctions.erf(x); } },
        /** 1 - erf(x), computed without cancellation for large x. */
        ERFC(false) { public double apply(double x, double p, double q) { return SpecialFunctions.erfc(x); } },
        TAN(false) { public double apply(double x, double p, double q) { return Math.tan(x); } },
        ASIN(false) { public double apply(double x, double p, double q) { return Math.asin(x); } },
        ACOS(false) { public double apply(double x, double p, double q) { return Math.acos(x); } },
        ATAN(false) { public double apply(double x, double p, double q) { return Math.atan(x); } },
        SINH(false) { public double apply(double x, double p, double q) { return Math.sinh(x); } },
        COSH(false) { public double apply(double x, double p, double q) { return Math.cosh(x); } },
        ASINH(false) { public double apply(double x, double p, double q) { return SpecialFunctions.asinh(x); } },
        ACOSH(false) { public double apply(double x, double p, double q) { return SpecialFunctions.acosh(x); } },
        ATANH(false) { public double apply(double x, double p, double q) { return SpecialFunctions.atanh(x); } },
        LOG2(false) { public double apply(double x, double p, double q) { return Math.log(x) / SpecialFunctions.LN2; } },
        LOG10(false) { public double apply(double x, double p, double q) { return Math.log10(x); } },
        EXP2(false) { public double apply(double x, double p, double q) { return Math.pow(2.0, x); } },
        ERFINV(false) { public double apply(double x, double p, double q) { return GammaFunctions.erfinv(x); } },
        LGAMMA(false) { public double apply(double x, double p, double q) { return GammaFunctions.lgamma(x); } },
        DIGAMMA(false) { public double apply(double x, double p, double q) { return GammaFunctions.digamma(x); } },
        /** polygamma of order p (an integer >= 0). */
        POLYGAMMA(false) { public double apply(double x, double p, double q) { return GammaFunctions.polygamma((int) p, x); } },
        /** Rounds toward zero, as torch.trunc. */
        TRUNC(true) { public double apply(double x, double p, double q) { return x < 0 ? Math.ceil(x) : Math.floor(x); } },
        /** x ** p. */
        POW_SCALAR(false) { public double apply(double x, double p, double q) { return p == 2.0 ? x * x : Math.pow(x, p); } },
        FLOOR(true) { public double apply(double x, double p, double q) { return Math.floor(x); } },
        CEIL(true) { public double apply(double x, double p, double q) { return Math.ceil(x); } },
        /** Round half to even, as torch.round. */
        ROUND(true) { public double apply(double x, double p, double q) { return Math.rint(x); } },
        LOGICAL_NOT(true) { public double apply(double x, double p, double q) { return x == 0 ? 1 : 0; } },
        ISNAN(true) { public double apply(double x, double p, double q) { return Double.isNaN(x) ? 1 : 0; } },
        ISINF(true) { public double apply(double x, double p, double q) { return Double.isInfinite(x) ? 1 : 0; } },
        ISFINITE(true) { public double apply(double x, double p, double q) { return Double.isFinite(x) ? 1 : 0; } };

        private final boolean integral;

        Kind(boolean integral) { this.integral = integral; }

        /** Whether integer tensors keep their dtype (neg, abs...) instead of needing a float input. */
        public boolean integral() { return integral; }

        /** The scalar definition. */
        public abstract double apply(double x, double p, double q);

        /** True for the predicates whose result is a bool tensor. */
        public boolean returnsBool() { return this == LOGICAL_NOT || this == ISNAN || this == ISINF || this == ISFINITE; }
    }
}
