package dev.kindling.backend.cpu;

import dev.kindling.backend.Backend.RandomKind;
import dev.kindling.backend.StridedView;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Storage;

/**
 * Random fills from the counter-based {@link Generator}: element i of a fill uses counters
 * {@code start + i} (two counters for normals), so chunks can be filled by any thread in any
 * order and the values depend only on the seed and the sequence of calls, not on the thread count.
 */
final class RandomKernels {
    private RandomKernels() {}

    static void random(RandomKind kind, StridedView out, Generator g, double a, double b) {
        int n = out.numel();
        int perElement = kind == RandomKind.NORMAL ? 2 : 1;
        long start = g.reserve((long) n * perElement);
        long seed = g.seed();
        StridedView target = out.isContiguous() && out.storage().isArrayBacked() ? out
                : StridedView.of(Storage.allocate(out.dtype(), n), out.shape());
        Object arr = target.storage().array();
        int off = target.storageOffset();
        Parallel.forRange(n, Parallel.GRAIN, (from, to) -> {
            int len = (int) (to - from);
            double[] buf = new double[Math.min(len, 4096)];
            long[] lbuf = kind == RandomKind.RANDINT ? new long[buf.length] : null;
            for (int s = 0; s < len; s += buf.length) {
                int m = Math.min(buf.length, len - s);
                long base = start + (from + s) * perElement;
                switch (kind) {
                    case UNIFORM -> { for (int i = 0; i < m; i++) buf[i] = a + (b - a) * Generator.uniform(seed, base + i); }
                    case NORMAL -> {
                        for (int i = 0; i < m; i++) {
                            double u1 = Generator.uniform(seed, base + 2L * i);
                            double u2 = Generator.uniform(seed, base + 2L * i + 1);
                            buf[i] = a + b * Math.sqrt(-2.0 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
                        }
                    }
                    case BERNOULLI -> { for (int i = 0; i < m; i++) buf[i] = Generator.uniform(seed, base + i) < a ? 1 : 0; }
                    case RANDINT -> {
                        long lo = (long) a;
                        long range = (long) b - lo;
                        for (int i = 0; i < m; i++) lbuf[i] = lo + Math.unsignedMultiplyHigh(Generator.word(seed, base + i), range);
                    }
                }
                int o = off + (int) from + s;
                if (lbuf != null) {
                    if (arr instanceof long[] la) System.arraycopy(lbuf, 0, la, o, m);
                    else if (target.dtype().isIntegral()) CopyKernels.writeLongs(lbuf, m, arr, target.dtype(), o, 1);
                    else { for (int i = 0; i < m; i++) buf[i] = lbuf[i]; CopyKernels.writeDoubles(buf, m, arr, target.dtype(), o, 1); }
                } else {
                    CopyKernels.writeDoubles(buf, m, arr, target.dtype(), o, 1);
                }
            }
        });
        if (target != out) CpuBackend.INSTANCE.copy(target, out);
    }

    /** out[i] = 1 with probability p[i]; p and out share a shape. */
    static void bernoulli(StridedView p, StridedView out, Generator g) {
        int n = out.numel();
        long start = g.reserve(n);
        long seed = g.seed();
        double[] probs = (double[]) CpuBackend.fresh(p, DType.FLOAT64).storage().array();
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = Generator.uniform(seed, start + i) < probs[i] ? 1 : 0;
        StridedView src = StridedView.of(Storage.ofArray(values, DType.FLOAT64), out.shape());
        CpuBackend.INSTANCE.copy(src, out);
    }
}
