package dev.kindling.cuda;

import dev.kindling.backend.Backends;
import dev.kindling.backend.StridedView;
import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.nn.functional.F;
import dev.kindling.optim.Adam;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;
import java.util.Locale;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * What scripts/gpu-check.sh runs on a GPU machine without Maven: the GPU tests through the JUnit
 * launcher, then SGEMM at n = 1024..8192 and an MLP train step (784-256-128-10, batch 128, Adam)
 * timed with CUDA events, and the allocator's statistics after 1,000 steps. Prints one line per
 * figure ("sgemm n=... tflops=..."), which the script sets beside PyTorch's.
 */
public final class GpuCheck {
    private GpuCheck() {}

    public static void main(String[] args) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request().selectors(selectClass(CudaBackendGpuTest.class), selectClass(CachingAllocatorTest.class))
                .build(), listener);
        TestExecutionSummary summary = listener.getSummary();
        summary.printTo(new PrintWriter(System.out));
        summary.printFailuresTo(new PrintWriter(System.out), 30);
        if (!CudaAvailability.isAvailable()) {
            System.out.println("no GPU: " + CudaAvailability.unavailableReason().orElse(""));
            return;
        }
        CudaBackend gpu = (CudaBackend) Backends.of(Device.cuda(0));
        System.out.println("matmul engine: " + gpu.gemmEngine());
        for (int n = 1024; n <= 8192; n *= 2) sgemm(gpu, n);
        mlp(gpu);
    }

    private static void sgemm(CudaBackend gpu, int n) {
        StridedView a = StridedView.of(gpu.allocate(DType.FLOAT32, n * n), 1, n, n);
        StridedView b = StridedView.of(gpu.allocate(DType.FLOAT32, n * n), 1, n, n);
        StridedView c = StridedView.of(gpu.allocate(DType.FLOAT32, n * n), 1, n, n);
        gpu.random(dev.kindling.backend.Backend.RandomKind.UNIFORM, a, new Generator(1), -1, 1);
        gpu.random(dev.kindling.backend.Backend.RandomKind.UNIFORM, b, new Generator(2), -1, 1);
        gpu.matmul(a, b, c);
        int reps = n >= 4096 ? 10 : 50;
        float ms = gpu.time(() -> { for (int i = 0; i < reps; i++) gpu.matmul(a, b, c); }) / reps;
        System.out.printf(Locale.ROOT, "sgemm n=%d ms=%.4f tflops=%.2f%n", n, ms, 2.0 * n * n * n / (ms * 1e9));
        if (n <= 4096) {   // Kindling's own kernel, the fallback without cuBLAS
            gpu.kernelMatmul(a, b, c);
            float kms = gpu.time(() -> { for (int i = 0; i < 5; i++) gpu.kernelMatmul(a, b, c); }) / 5;
            System.out.printf(Locale.ROOT, "sgemm-kernel n=%d ms=%.4f tflops=%.2f%n", n, kms, 2.0 * n * n * n / (kms * 1e9));
        }
    }

    private static void mlp(CudaBackend gpu) {
        Device cuda = Device.cuda(0);
        Generator.seedDefault(1);
        Sequential net = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, 10));
        net.to(cuda);
        Adam opt = new Adam(net.parameters(), 1e-3);
        Tensor x = Tensors.rand(new Generator(2), DType.FLOAT32, 128, 784).to(cuda);
        long[] labels = new long[128];
        for (int i = 0; i < 128; i++) labels[i] = (i * 7L) % 10;
        Tensor y = Tensors.fromArray(labels, 128).to(cuda);
        Runnable step = () -> {
            opt.zeroGrad();
            Tensor loss = F.crossEntropy(net.forward(x), y);
            loss.backward();
            opt.step();
        };
        for (int i = 0; i < 50; i++) step.run();
        gpu.synchronize();
        long reservedAfterWarmup = gpu.memoryStats().reserved();
        int steps = 1000;
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) step.run();
        gpu.synchronize();
        double msPerStep = (System.nanoTime() - t0) / 1e6 / steps;
        System.out.printf(Locale.ROOT, "mlp step_ms=%.4f (784-256-128-10, batch 128, Adam, %d steps)%n", msPerStep, steps);
        System.out.println("allocator after warm-up: reserved " + reservedAfterWarmup + " bytes; after " + steps
                + " more steps: " + gpu.memoryStats());
    }
}
