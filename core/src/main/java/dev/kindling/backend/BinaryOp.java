package dev.kindling.backend;

/**
 * An elementwise function of two broadcast tensors, with one scalar parameter where the function
 * takes one ({@code alpha} in {@code a + alpha * b}, the slope in a leaky-relu gradient...).
 *
 * <p>Besides arithmetic, comparisons and logic, a few kinds are the fused gradients of activations
 * ({@code *_BACKWARD(grad, x)}): one pass instead of three for the hot activations' backward.
 */
public record BinaryOp(Kind kind, double p, double q) {

    public static BinaryOp of(Kind kind) {
        return new BinaryOp(kind, kind == Kind.ADD || kind == Kind.SUB ? 1.0 : 0.0, 0);
    }

    public static BinaryOp of(Kind kind, double p) { return new BinaryOp(kind, p, 0); }

    public static BinaryOp of(Kind kind, double p, double q) { return new BinaryOp(kind, p, q); }

    /** Applies the function to one pair of values. */
    public double apply(double a, double b) { return kind.apply(a, b, p, q); }

    /** The functions. */
    public enum Kind {
        /** a + p * b. */
        ADD(true) { public double apply(double a, double b, double p, double q) { return a + p * b; } },
        /** a - p * b. */
        SUB(true) { public double apply(double a, double b, double p, double q) { return a - p * b; } },
        MUL(true) { public double apply(double a, double b, double p, double q) { return a * b; } },
        DIV(false) { public double apply(double a, double b, double p, double q) { return a / b; } },
        POW(false) { public double apply(double a, double b, double p, double q) { return Math.pow(a, b); } },
        /** Elementwise max; NaN wins, as torch.maximum. */
        MAXIMUM(true) { public double apply(double a, double b, double p, double q) { return a != a || b != b ? Double.NaN : Math.max(a, b); } },
        MINIMUM(true) { public double apply(double a, double b, double p, double q) { return a != a || b != b ? Double.NaN : Math.min(a, b); } },
        /** Python-style modulus (sign of the divisor), as torch.remainder. */
        REMAINDER(true) {
            public double apply(double a, double b, double p, double q) {
                double r = a % b;
                return r != 0 && (r < 0) != (b < 0) ? r + b : r;
            }
        },
        FLOOR_DIVIDE(true) { public double apply(double a, double b, double p, double q) { return Math.floor(a / b); } },
        /** C-style remainder (sign of the dividend), as torch.fmod. */
        FMOD(true) { public double apply(double a, double b, double p, double q) { return a % b; } },
        HYPOT(false) { public double apply(double a, double b, double p, double q) { return Math.hypot(a, b); } },
        /** |a| with the sign bit of b, as torch.copysign. */
        COPYSIGN(false) { public double apply(double a, double b, double p, double q) { return Math.copySign(a, b); } },
        ATAN2(false) { public double apply(double a, double b, double p, double q) { return Math.atan2(a, b); } },
        EQ(true) { public double apply(double a, double b, double p, double q) { return a == b ? 1 : 0; } },
        NE(true) { public double apply(double a, double b, double p, double q) { return a != b ? 1 : 0; } },
        LT(true) { public double apply(double a, double b, double p, double q) { return a < b ? 1 : 0; } },
        LE(true) { public double apply(double a, double b, double p, double q) { return a <= b ? 1 : 0; } },
        GT(true) { public double apply(double a, double b, double p, double q) { return a > b ? 1 : 0; } },
        GE(true) { public double apply(double a, double b, double p, double q) { return a >= b ? 1 : 0; } },
        LOGICAL_AND(true) { public double apply(double a, double b, double p, double q) { return a != 0 && b != 0 ? 1 : 0; } },
        LOGICAL_OR(true) { public double apply(double a, double b, double p, double q) { return a != 0 || b != 0 ? 1 : 0; } },
        LOGICAL_XOR(true) { public double apply(double a, double b, double p, double q) { return (a != 0) != (b != 0) ? 1 : 0; } },
        /** grad where x > p or x is NaN, else 0 (PyTorch's threshold_backward: x <= p ? 0 : grad); relu's gradient with p = 0. */
        THRESHOLD_BACKWARD(false) { public double apply(double g, double x, double p, double q) { return x <= p ? 0.0 : g; } },
        /** grad * y * (1 - y), with y = sigmoid(x) the saved output. */
        SIGMOID_BACKWARD(false) { public double apply(double g, double y, double p, double q) { return g * y * (1.0 - y); } },
        /** grad * (1 - y^2), with y = tanh(x) the saved output. */
        TANH_BACKWARD(false) { public double apply(double g, double y, double p, double q) { return g * (1.0 - y * y); } },
        /** grad * gelu'(x), exact gelu. */
        GELU_BACKWARD(false) {
            public double apply(double g, double x, double p, double q) {
                double cdf = 0.5 * (1.0 + SpecialFunctions.erf(x * SpecialFunctions.SQRT1_2));
                return g * (cdf + x * SpecialFunctions.normalPdf(x));
            }
        },
        /** grad * gelu'(x), tanh approximation. */
        GELU_TANH_BACKWARD(false) {
            public double apply(double g, double x, double p, double q) {
                double k = SpecialFunctions.SQRT_2_OVER_PI;
                double inner = k * (x + 0.044715 * x * x * x);
                double t = Math.tanh(inner);
                double dInner = k * (1.0 + 3 * 0.044715 * x * x);
                return g * (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * dInner);
            }
        },
        /** grad * silu'(x). */
        SILU_BACKWARD(false) {
            public double apply(double g, double x, double p, double q) {
                double s = UnaryOp.Kind.SIGMOID.apply(x, 0, 0);
                return g * s * (1.0 + x * (1.0 - s));
            }
        },
        /** grad * leaky_relu'(x) with slope p. */
        LEAKY_RELU_BACKWARD(false) { public double apply(double g, double x, double p, double q) { return x > 0 ? g : g * p; } },
        /** grad * elu'(x) with alpha p. */
        ELU_BACKWARD(false) { public double apply(double g, double x, double p, double q) { return x > 0 ? g : g * p * Math.exp(x); } },
        /** grad * softplus'(x) with beta p, threshold q. */
        SOFTPLUS_BACKWARD(false) {
            public double apply(double g, double x, double p, double q) {
                double bx = p * x;
                return bx > q ? g : g * UnaryOp.Kind.SIGMOID.apply(bx, 0, 0);
            }
        };

        private final boolean integral;

        Kind(boolean integral) { this.integral = integral; }

        /** Whether integer inputs keep an integer result (add, mul...) rather than needing floats. */
        public boolean integral() { return integral; }

        public abstract double apply(double a, double b, double p, double q);

        /** Comparisons and logic produce bool tensors. */
        public boolean returnsBool() {
            return switch (this) {
                case EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR -> true;
                default -> false;
            };
        }
    }
}
