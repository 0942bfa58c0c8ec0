package dev.kindling.nn;

import dev.kindling.autograd.GradMode;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.Locale;

/**
 * {@code torch.nn.init}: in-place initialisers with PyTorch's fan and gain rules. Each fills the
 * tensor outside autograd and returns it; the generator defaults to the process-wide one
 * ({@link Generator#defaultGenerator()}, reseeded by {@link Generator#seedDefault}).
 */
public final class Init {
    private Init() {}

    /** Which fan kaiming initialisation preserves. */
    public enum FanMode { FAN_IN, FAN_OUT }

    public static Tensor uniform_(Tensor t, double a, double b, Generator g) {
        try (var s = GradMode.noGrad()) {
            return t.uniform_(a, b, g);
        }
    }

    public static Tensor uniform_(Tensor t, double a, double b) { return uniform_(t, a, b, Generator.defaultGenerator()); }

    public static Tensor normal_(Tensor t, double mean, double std, Generator g) {
        try (var s = GradMode.noGrad()) {
            return t.normal_(mean, std, g);
        }
    }

    public static Tensor normal_(Tensor t, double mean, double std) { return normal_(t, mean, std, Generator.defaultGenerator()); }

    public static Tensor constant_(Tensor t, double value) {
        try (var s = GradMode.noGrad()) {
            return t.fill_(value);
        }
    }

    public static Tensor zeros_(Tensor t) { return constant_(t, 0); }

    public static Tensor ones_(Tensor t) { return constant_(t, 1); }

    /** fan_in and fan_out of a weight: [out, in, *kernel] gives (in * receptive, out * receptive). */
    public static int[] fans(Tensor t) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException("fan in and fan out can not be computed for a tensor with fewer than 2 dimensions, got shape "
                    + Shapes.str(t.shape()));
        }
        int receptive = 1;
        for (int d = 2; d < t.dim(); d++) receptive *= t.size(d);
        return new int[] {t.size(1) * receptive, t.size(0) * receptive};
    }

    /** {@code nn.init.calculate_gain}. */
    public static double calculateGain(String nonlinearity, double param) {
        return switch (nonlinearity.toLowerCase(Locale.ROOT)) {
            case "linear", "conv1d", "conv2d", "conv3d", "sigmoid" -> 1.0;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> Math.sqrt(2.0 / (1 + param * param));
            case "selu" -> 3.0 / 4;
            default -> throw new IllegalArgumentException("calculateGain: unsupported nonlinearity '" + nonlinearity + "'");
        };
    }

    public static Tensor xavierUniform_(Tensor t, double gain, Generator g) {
        int[] f = fans(t);
        double std = gain * Math.sqrt(2.0 / (f[0] + f[1]));
        double a = Math.sqrt(3.0) * std;
        return uniform_(t, -a, a, g);
    }

    public static Tensor xavierUniform_(Tensor t) { return xavierUniform_(t, 1.0, Generator.defaultGenerator()); }

    public static Tensor xavierNormal_(Tensor t, double gain, Generator g) {
        int[] f = fans(t);
        return normal_(t, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])), g);
    }

    public static Tensor xavierNormal_(Tensor t) { return xavierNormal_(t, 1.0, Generator.defaultGenerator()); }

    /** {@code kaiming_uniform_(t, a, mode, nonlinearity)}: bound = gain * sqrt(3 / fan). */
    public static Tensor kaimingUniform_(Tensor t, double a, FanMode mode, String nonlinearity, Generator g) {
        int[] f = fans(t);
        int fan = mode == FanMode.FAN_IN ? f[0] : f[1];
        double gain = calculateGain(nonlinearity, a);
        double bound = Math.sqrt(3.0) * gain / Math.sqrt(fan);
        return uniform_(t, -bound, bound, g);
    }

    public static Tensor kaimingUniform_(Tensor t) { return kaimingUniform_(t, 0, FanMode.FAN_IN, "leaky_relu", Generator.defaultGenerator()); }

    public static Tensor kaimingNormal_(Tensor t, double a, FanMode mode, String nonlinearity, Generator g) {
        int[] f = fans(t);
        int fan = mode == FanMode.FAN_IN ? f[0] : f[1];
        return normal_(t, 0, calculateGain(nonlinearity, a) / Math.sqrt(fan), g);
    }

    public static Tensor kaimingNormal_(Tensor t) { return kaimingNormal_(t, 0, FanMode.FAN_IN, "leaky_relu", Generator.defaultGenerator()); }

    /**
     * A (semi-)orthogonal matrix from the QR decomposition of a normal matrix, with R's diagonal
     * signs folded in so the distribution is uniform (Haar), as {@code nn.init.orthogonal_}.
     */
    public static Tensor orthogonal_(Tensor t, double gain, Generator g) {
        if (t.dim() < 2) throw new IllegalArgumentException("orthogonal_: only tensors with 2 or more dimensions are supported, got shape " + Shapes.str(t.shape()));
        int rows = t.size(0);
        int cols = t.numel() / rows;
        boolean transpose = rows < cols;
        int m = transpose ? cols : rows;
        int n = transpose ? rows : cols;
        double[] a = Tensors.randn(g, DType.FLOAT64, m, n).toDoubleArray();
        double[] q = householderQ(a, m, n);
        double[] out = new double[rows * cols];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double v = q[i * n + j] * gain;
                if (transpose) out[j * cols + i] = v;
                else out[i * cols + j] = v;
            }
        }
        try (var s = GradMode.noGrad()) {
            t.copy_(Tensors.fromArray(out).view(t.shape()));
        }
        return t;
    }

    public static Tensor orthogonal_(Tensor t) { return orthogonal_(t, 1.0, Generator.defaultGenerator()); }

    /** Thin Q (m x n, m >= n) of A = QR by Householder reflections, columns signed so diag(R) > 0. */
    static double[] householderQ(double[] a, int m, int n) {
        double[] r = a.clone();
        double[][] vs = new double[n][];
        double[] rDiagSign = new double[n];
        for (int k = 0; k < n; k++) {
            double norm = 0;
            for (int i = k; i < m; i++) norm += r[i * n + k] * r[i * n + k];
            norm = Math.sqrt(norm);
            double alpha = r[k * n + k] > 0 ? -norm : norm;
            double[] v = new double[m];
            for (int i = k; i < m; i++) v[i] = r[i * n + k];
            v[k] -= alpha;
            double vn = 0;
            for (int i = k; i < m; i++) vn += v[i] * v[i];
            if (vn > 0) {
                for (int j = k; j < n; j++) {
                    double dot = 0;
                    for (int i = k; i < m; i++) dot += v[i] * r[i * n + j];
                    double f = 2 * dot / vn;
                    for (int i = k; i < m; i++) r[i * n + j] -= f * v[i];
                }
            }
            vs[k] = vn > 0 ? v : null;
            rDiagSign[k] = r[k * n + k] >= 0 ? 1 : -1;
        }
        // Q = H_0 ... H_{n-1} applied to the first n columns of the identity.
        double[] q = new double[m * n];
        for (int j = 0; j < n; j++) q[j * n + j] = 1;
        for (int k = n - 1; k >= 0; k--) {
            double[] v = vs[k];
            if (v == null) continue;
            double vn = 0;
            for (int i = k; i < m; i++) vn += v[i] * v[i];
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int i = k; i < m; i++) dot += v[i] * q[i * n + j];
                double f = 2 * dot / vn;
                for (int i = k; i < m; i++) q[i * n + j] -= f * v[i];
            }
        }
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) q[i * n + j] *= rDiagSign[j];
        return q;
    }
}
