package dev.kindling.cuda;

import dev.kindling.backend.AdamStep;
import dev.kindling.backend.Backend;
import dev.kindling.backend.Backends;
import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.Conv2dGeometry;
import dev.kindling.backend.ReduceOp;
import dev.kindling.backend.SgdStep;
import dev.kindling.backend.StridedView;
import dev.kindling.backend.UnaryOp;
import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.nn.functional.F;
import dev.kindling.optim.Adam;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Storage;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every CUDA primitive against the CPU backend on the same inputs (skipped, with the reason, where
 * no CUDA device can be used). Float64 results agree to 1e-12 relative, optimizer steps and random
 * fills bit for bit (they are defined op by op), integer and indexing results exactly.
 */
class CudaBackendGpuTest {
    private static final Backend CPU = Backends.of(Device.CPU);
    private static CudaBackend gpu;
    private final Random random = new Random(11);

    @BeforeEach
    void needsAGpu() {
        assumeTrue(CudaAvailability.isAvailable(), () -> "skipped: " + CudaAvailability.unavailableReason().orElse(""));
        if (gpu == null) gpu = (CudaBackend) Backends.of(Device.cuda(0));
    }

    @Test
    void copiesCastBetweenEveryDtypeAndLayout() {
        for (DType from : DType.values()) {
            StridedView host = randomHost(from, 3, 4);
            StridedView dev = up(host);
            for (DType to : DType.values()) {
                StridedView expected = StridedView.allocate(to, 4, 3);
                CPU.copy(transposed(host), expected);
                StridedView out = StridedView.of(gpu.allocate(to, 12), 4, 3);
                gpu.copy(transposed(dev), out);
                assertArrayEquals(doubles(expected), doubles(down(out)), from + " -> " + to);
            }
        }
    }

    @Test
    void unaryFunctionsMatchTheCpu() {
        for (DType t : List.of(DType.FLOAT64, DType.FLOAT32)) {
            for (UnaryOp.Kind k : UnaryOp.Kind.values()) {
                StridedView x = uniform(t, k == UnaryOp.Kind.ACOSH ? 1.1 : -0.9, 0.9, 5, 7);
                UnaryOp op = UnaryOp.of(k, k == UnaryOp.Kind.SOFTPLUS ? 1.0 : k == UnaryOp.Kind.POW_SCALAR ? 3.0 : 0.1, 20);
                DType outType = k.returnsBool() ? DType.BOOL : t;
                StridedView expected = StridedView.allocate(outType, 5, 7);
                CPU.unary(op, x, expected);
                StridedView out = deviceEmpty(outType, 5, 7);
                gpu.unary(op, up(x), out);
                assertClose(doubles(expected), doubles(down(out)), t == DType.FLOAT64 ? 1e-12 : 2e-6, t + " " + k);
            }
        }
    }

    @Test
    void binaryFunctionsMatchTheCpuOnBroadcastViews() {
        for (BinaryOp.Kind k : BinaryOp.Kind.values()) {
            StridedView a = uniform(DType.FLOAT64, 0.5, 1.5, 4, 6);
            StridedView row = uniform(DType.FLOAT64, 0.5, 1.5, 1, 6);
            StridedView b = row.viewOf(new int[] {4, 6}, new int[] {0, 1}, 0);   // broadcast along dim 0
            BinaryOp op = BinaryOp.of(k, 0.5, 2.0);
            DType outType = k.returnsBool() ? DType.BOOL : DType.FLOAT64;
            StridedView expected = StridedView.allocate(outType, 4, 6);
            CPU.binary(op, a, b, expected);
            StridedView out = deviceEmpty(outType, 4, 6);
            StridedView db = up(row).viewOf(new int[] {4, 6}, new int[] {0, 1}, 0);
            gpu.binary(op, up(a), db, out);
            assertClose(doubles(expected), doubles(down(out)), 1e-12, k.toString());
        }
    }

    @Test
    void reductionsMatchTheCpu() {
        StridedView x = uniform(DType.FLOAT64, -1, 1, 4, 5, 300);
        for (int[] dims : List.of(new int[] {1}, new int[] {0, 2}, new int[] {0, 1, 2})) {
            int[] outShape = x.shape();
            for (int d : dims) outShape[d] = 1;
            for (ReduceOp op : ReduceOp.values()) {
                DType outType = switch (op) { case ARGMAX, ARGMIN -> DType.INT64; case ANY, ALL -> DType.BOOL; default -> DType.FLOAT64; };
                StridedView expected = StridedView.allocate(outType, outShape);
                CPU.reduce(op, x, dims, expected);
                StridedView out = deviceEmpty(outType, outShape);
                gpu.reduce(op, up(x), dims, out);
                assertClose(doubles(expected), doubles(down(out)), 1e-12, op + " over " + java.util.Arrays.toString(dims));
            }
        }
        StridedView flags = randomHost(DType.BOOL, 1000);
        StridedView count = StridedView.allocate(DType.INT64, 1);
        CPU.reduce(ReduceOp.SUM, flags, new int[] {0}, count);
        StridedView gcount = deviceEmpty(DType.INT64, 1);
        gpu.reduce(ReduceOp.SUM, up(flags), new int[] {0}, gcount);
        assertArrayEquals(doubles(count), doubles(down(gcount)));
    }

    @Test
    void softmaxAndItsGradientMatchTheCpu() {
        for (boolean log : new boolean[] {false, true}) {
            for (int dim : new int[] {0, 1}) {
                StridedView x = uniform(DType.FLOAT64, -5, 5, 7, 300);
                StridedView g = uniform(DType.FLOAT64, -1, 1, 7, 300);
                StridedView y = StridedView.allocate(DType.FLOAT64, 7, 300);
                CPU.softmax(x, dim, log, y);
                StridedView gy = deviceEmpty(DType.FLOAT64, 7, 300);
                gpu.softmax(up(x), dim, log, gy);
                assertClose(doubles(y), doubles(down(gy)), 1e-12, "softmax log=" + log + " dim=" + dim);
                StridedView dx = StridedView.allocate(DType.FLOAT64, 7, 300);
                CPU.softmaxBackward(g, y, dim, log, dx);
                StridedView gdx = deviceEmpty(DType.FLOAT64, 7, 300);
                gpu.softmaxBackward(up(g), up(y), dim, log, gdx);
                assertClose(doubles(dx), doubles(down(gdx)), 1e-12, "softmax backward log=" + log + " dim=" + dim);
            }
        }
    }

    @Test
    void matmulMatchesTheCpuThroughTheEngineAndTheKernel() {
        for (DType t : List.of(DType.FLOAT64, DType.FLOAT32)) {
            StridedView a = uniform(t, -1, 1, 3, 70, 33);
            StridedView bt = uniform(t, -1, 1, 3, 129, 33);
            StridedView b = bt.viewOf(new int[] {3, 33, 129}, new int[] {33 * 129, 1, 33}, 0);   // transposed
            StridedView expected = StridedView.allocate(t, 3, 70, 129);
            CPU.matmul(a, b, expected);
            StridedView da = up(a);
            StridedView db = up(bt).viewOf(new int[] {3, 33, 129}, new int[] {33 * 129, 1, 33}, 0);
            StridedView viaEngine = deviceEmpty(t, 3, 70, 129);
            gpu.matmul(da, db, viaEngine);
            StridedView viaKernel = deviceEmpty(t, 3, 70, 129);
            gpu.kernelMatmul(da, db, viaKernel);
            double tol = t == DType.FLOAT64 ? 1e-12 : 1e-5;
            assertClose(doubles(expected), doubles(down(viaEngine)), tol, t + " " + gpu.gemmEngine());
            assertClose(doubles(expected), doubles(down(viaKernel)), tol, t + " kernel");
        }
    }

    @Test
    void indexingMatchesTheCpu() {
        StridedView x = uniform(DType.FLOAT64, -1, 1, 6, 5);
        StridedView index = StridedView.of(Storage.ofArray(new long[] {4, 0, 4, 2}, DType.INT64), 4);
        StridedView sel = StridedView.allocate(DType.FLOAT64, 6, 4);
        CPU.indexSelect(x, 1, index, sel);
        StridedView gsel = deviceEmpty(DType.FLOAT64, 6, 4);
        gpu.indexSelect(up(x), 1, up(index), gsel);
        assertArrayEquals(doubles(sel), doubles(down(gsel)));

        StridedView gi = StridedView.of(Storage.ofArray(new long[] {0, 5, 5, 1, 2, 3}, DType.INT64), 3, 2);
        StridedView gathered = StridedView.allocate(DType.FLOAT64, 3, 2);
        CPU.gather(x, 0, gi, gathered);
        StridedView ggathered = deviceEmpty(DType.FLOAT64, 3, 2);
        gpu.gather(up(x), 0, up(gi), ggathered);
        assertArrayEquals(doubles(gathered), doubles(down(ggathered)));

        for (boolean acc : new boolean[] {false, true}) {
            StridedView target = uniform(DType.FLOAT64, -1, 1, 6, 5);
            StridedView gtarget = up(target);
            StridedView src = uniform(DType.FLOAT64, -1, 1, 3, 2);
            CPU.scatter(target, 0, gi, src, acc);
            gpu.scatter(gtarget, 0, up(gi), up(src), acc);
            assertArrayEquals(doubles(target), doubles(down(gtarget)), 1e-15);
        }
        StridedView target = uniform(DType.FLOAT64, -1, 1, 6, 5);
        StridedView gtarget = up(target);
        StridedView src = uniform(DType.FLOAT64, -1, 1, 4, 5);
        StridedView rows = StridedView.of(Storage.ofArray(new long[] {1, 3, 1, 1}, DType.INT64), 4);
        CPU.indexAdd(target, 0, rows, src);
        gpu.indexAdd(gtarget, 0, up(rows), up(src));
        assertArrayEquals(doubles(target), doubles(down(gtarget)), 1e-15);
    }

    @Test
    void windowsMatchTheCpu() {
        StridedView x = uniform(DType.FLOAT64, -1, 1, 2, 3, 9, 8);
        Conv2dGeometry g = Conv2dGeometry.of("test", 3, 9, 8, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 1},
                new int[] {1, 2}, false);
        int[] colsShape = {2, g.columnRows(), g.columnCols()};
        StridedView cols = StridedView.allocate(DType.FLOAT64, colsShape);
        CPU.im2col(x, g, cols);
        StridedView gcols = deviceEmpty(DType.FLOAT64, colsShape);
        gpu.im2col(up(x), g, gcols);
        assertArrayEquals(doubles(cols), doubles(down(gcols)));

        StridedView back = StridedView.allocate(DType.FLOAT64, 2, 3, 9, 8);
        CPU.col2im(cols, g, back);
        StridedView gback = StridedView.of(gpu.allocate(DType.FLOAT64, back.numel()), back.shape());
        gpu.col2im(gcols, g, gback);
        assertClose(doubles(back), doubles(down(gback)), 1e-12, "col2im");

        Conv2dGeometry pool = Conv2dGeometry.of("pool", 3, 9, 8, new int[] {2, 2}, new int[] {2, 2}, new int[] {1, 0},
                new int[] {1, 1}, true);
        int[] outShape = {2, 3, pool.outH(), pool.outW()};
        StridedView idx = StridedView.allocate(DType.INT64, outShape);
        CPU.maxPool2dIndices(x, pool, idx);
        StridedView gidx = deviceEmpty(DType.INT64, outShape);
        gpu.maxPool2dIndices(up(x), pool, gidx);
        assertArrayEquals(doubles(idx), doubles(down(gidx)));
    }

    @Test
    void optimizerStepsMatchTheCpuBitForBit() {
        for (boolean decoupled : new boolean[] {false, true}) {
            AdamStep s = AdamStep.of(1e-3, 0.9, 0.999, 1e-8, 0.01, decoupled, false, true, 3);
            StridedView[] cpu = {uniform(DType.FLOAT32, -1, 1, 1000), uniform(DType.FLOAT32, -1, 1, 1000),
                    uniform(DType.FLOAT32, -1, 1, 1000), uniform(DType.FLOAT32, 0, 1, 1000), uniform(DType.FLOAT32, 0, 1, 1000)};
            StridedView[] dev = new StridedView[5];
            for (int i = 0; i < 5; i++) dev[i] = up(cpu[i]);
            CPU.adamStep(s, cpu[0], cpu[1], cpu[2], cpu[3], cpu[4]);
            gpu.adamStep(s, dev[0], dev[1], dev[2], dev[3], dev[4]);
            for (int i : new int[] {0, 2, 3, 4}) assertArrayEquals(floats(cpu[i]), floats(down(dev[i])), "adam tensor " + i);
        }
        SgdStep s = new SgdStep(0.1, 0.9, 0.1, 1e-4, true, false);
        StridedView p = uniform(DType.FLOAT32, -1, 1, 1000), g = uniform(DType.FLOAT32, -1, 1, 1000), buf = uniform(DType.FLOAT32, -1, 1, 1000);
        StridedView dp = up(p), dg = up(g), dbuf = up(buf);
        CPU.sgdStep(s, p, g, buf, false);
        gpu.sgdStep(s, dp, dg, dbuf, false);
        assertArrayEquals(floats(p), floats(down(dp)));
        assertArrayEquals(floats(buf), floats(down(dbuf)));
    }

    @Test
    void randomFillsGiveTheCpusNumbers() {
        for (Backend.RandomKind kind : Backend.RandomKind.values()) {
            DType t = kind == Backend.RandomKind.RANDINT ? DType.INT64 : DType.FLOAT64;
            StridedView expected = StridedView.allocate(t, 999);
            CPU.random(kind, expected, new Generator(5), -3, 7);
            StridedView out = deviceEmpty(t, 999);
            gpu.random(kind, out, new Generator(5), -3, 7);
            assertClose(doubles(expected), doubles(down(out)), 1e-14, kind.toString());
        }
        StridedView p = uniform(DType.FLOAT32, 0, 1, 500);
        StridedView expected = StridedView.allocate(DType.FLOAT32, 500);
        CPU.bernoulli(p, expected, new Generator(9));
        StridedView out = deviceEmpty(DType.FLOAT32, 500);
        gpu.bernoulli(up(p), out, new Generator(9));
        assertArrayEquals(doubles(expected), doubles(down(out)));
    }

    @Test
    void integerUnaryAndWhereMatchTheCpu() {
        StridedView x = StridedView.of(Storage.ofArray(new long[] {-3, 0, 2, 7, -1, 5}, DType.INT64), 2, 3);
        for (UnaryOp.Kind k : UnaryOp.Kind.values()) {
            if (!k.returnsBool() && !OpCodes.integerUnary(k)) continue;
            UnaryOp op = UnaryOp.of(k, -2, 4);
            DType outType = k.returnsBool() ? DType.BOOL : DType.INT64;
            StridedView expected = StridedView.allocate(outType, 2, 3);
            CPU.unary(op, x, expected);
            StridedView out = deviceEmpty(outType, 2, 3);
            gpu.unary(op, up(x), out);
            assertArrayEquals(doubles(expected), doubles(down(out)), k.toString());
        }
        StridedView cond = StridedView.of(Storage.ofArray(new byte[] {1, 0, 0, 1, 1, 0}, DType.BOOL), 2, 3);
        StridedView other = StridedView.of(Storage.ofArray(new long[] {-100}, DType.INT64), 1).viewOf(new int[] {2, 3}, new int[] {0, 0}, 0);
        StridedView expected = StridedView.allocate(DType.INT64, 2, 3);
        CPU.where(cond, x, other, expected);
        StridedView out = deviceEmpty(DType.INT64, 2, 3);
        gpu.where(up(cond), up(x), up(StridedView.of(Storage.ofArray(new long[] {-100}, DType.INT64), 1))
                .viewOf(new int[] {2, 3}, new int[] {0, 0}, 0), out);
        assertArrayEquals(doubles(expected), doubles(down(out)));
    }

    @Test
    void sortAndNonzeroMatchTheCpu() {
        for (boolean descending : new boolean[] {false, true}) {
            double[] values = {3, Double.NaN, -0.0, 1, 0.0, 3, Double.NaN, -7, 1, 2, 2, 0};
            StridedView x = StridedView.of(Storage.ofArray(values, DType.FLOAT64), 3, 4);
            for (int dim : new int[] {0, 1}) {
                StridedView expected = StridedView.allocate(DType.INT64, 3, 4);
                CPU.sortIndices(x, dim, descending, expected);
                StridedView out = deviceEmpty(DType.INT64, 3, 4);
                gpu.sortIndices(up(x), dim, descending, out);
                assertArrayEquals(doubles(expected), doubles(down(out)), "dim " + dim + " descending " + descending);
            }
            StridedView nz = CPU.nonzero(x);
            StridedView gnz = gpu.nonzero(up(x));
            assertArrayEquals(nz.shape(), gnz.shape());
            assertArrayEquals(doubles(nz), doubles(down(gnz)));
        }
        StridedView long1d = uniform(DType.FLOAT32, -1, 1, 5000);
        StridedView expected = StridedView.allocate(DType.INT64, 5000);
        CPU.sortIndices(long1d, 0, false, expected);
        StridedView out = deviceEmpty(DType.INT64, 5000);
        gpu.sortIndices(up(long1d), 0, false, out);
        assertArrayEquals(doubles(expected), doubles(down(out)));
    }

    @Test
    void primitivesWithoutAKernelSaySo() {
        StridedView x = up(StridedView.of(Storage.ofArray(new long[] {3, 1, 2}, DType.INT64), 3));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> gpu.unary(UnaryOp.of(UnaryOp.Kind.EXP), x, deviceEmpty(DType.INT64, 3)));
        assertTrue(e.getMessage().contains("unary EXP") && e.getMessage().contains("INT64"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> gpu.cumsum(x, 0, deviceEmpty(DType.INT64, 3)));
    }

    @Test
    void anMlpTrainsOnTheGpuAsOnTheCpuWithSteadyMemory() {
        Device cuda = Device.cuda(0);
        Generator.seedDefault(1);
        Sequential cpuNet = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, 10));
        Generator.seedDefault(1);
        Sequential gpuNet = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, 10));
        gpuNet.to(DType.FLOAT64).to(cuda);
        cpuNet.to(DType.FLOAT64);
        Adam cpuOpt = new Adam(cpuNet.parameters(), 1e-3);
        Adam gpuOpt = new Adam(gpuNet.parameters(), 1e-3);
        Tensor x = Tensors.rand(new Generator(2), DType.FLOAT64, 128, 784);
        Tensor y = Tensors.fromArray(labels(128), 128);
        Tensor gx = x.to(cuda), gy = y.to(cuda);
        long reservedAfterWarmup = 0;
        double cpuLoss = 0, gpuLoss = 0;
        for (int step = 0; step < 30; step++) {
            cpuOpt.zeroGrad();
            Tensor l = F.crossEntropy(cpuNet.forward(x), y);
            l.backward();
            cpuOpt.step();
            cpuLoss = l.item();
            gpuOpt.zeroGrad();
            Tensor gl = F.crossEntropy(gpuNet.forward(gx), gy);
            gl.backward();
            gpuOpt.step();
            gpuLoss = gl.item();
            if (step == 5) { System.gc(); reservedAfterWarmup = gpu.memoryStats().reserved(); }
        }
        assertEquals(cpuLoss, gpuLoss, 1e-6 * Math.abs(cpuLoss));
        System.gc();
        System.out.println("after 30 MLP steps: " + gpu.memoryStats());
        assertTrue(gpu.memoryStats().reserved() <= reservedAfterWarmup * 2, gpu.memoryStats().toString());
    }

    private static long[] labels(int n) {
        long[] l = new long[n];
        for (int i = 0; i < n; i++) l[i] = (i * 7L) % 10;
        return l;
    }

    private static StridedView transposed(StridedView v) {
        int[] s = v.shape(), st = v.strides();
        return v.viewOf(new int[] {s[1], s[0]}, new int[] {st[1], st[0]}, v.storageOffset());
    }

    private static StridedView up(StridedView host) {
        StridedView d = StridedView.of(gpu.allocate(host.dtype(), host.numel()), host.shape());
        gpu.copy(host, d);
        return d;
    }

    private static StridedView down(StridedView dev) {
        StridedView h = StridedView.allocate(dev.dtype(), dev.shape());
        gpu.copy(dev, h);
        return h;
    }

    private static StridedView deviceEmpty(DType t, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return StridedView.of(gpu.allocate(t, n), shape);
    }

    private StridedView uniform(DType t, double lo, double hi, int... shape) {
        StridedView v = StridedView.allocate(DType.FLOAT64, shape);
        double[] a = (double[]) v.storage().array();
        for (int i = 0; i < a.length; i++) a[i] = lo + (hi - lo) * random.nextDouble();
        StridedView out = StridedView.allocate(t, shape);
        CPU.copy(v, out);
        return out;
    }

    private StridedView randomHost(DType t, int... shape) {
        // Non-negative: a negative float cast to uint8 is undefined in C, so the CPU and GPU may differ.
        return uniform(t, 0, t == DType.BOOL || t == DType.UINT8 ? 2 : 50, shape);
    }

    private static double[] doubles(StridedView v) {
        StridedView d = StridedView.allocate(DType.FLOAT64, v.shape());
        CPU.copy(v, d);
        return (double[]) d.storage().array();
    }

    private static float[] floats(StridedView v) {
        StridedView d = StridedView.allocate(DType.FLOAT32, v.shape());
        CPU.copy(v, d);
        return (float[]) d.storage().array();
    }

    private static void assertClose(double[] expected, double[] actual, double rel, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (Double.isNaN(e) && Double.isNaN(a)) continue;
            if (e == a) continue;
            assertTrue(Math.abs(e - a) <= rel * Math.max(1, Math.abs(e)), what + " at " + i + ": expected " + e + " but got " + a);
        }
    }
}
