package dev.kindling.ops;

import dev.kindling.backend.Backend;
import dev.kindling.backend.Conv2dGeometry;
import dev.kindling.backend.cpu.CpuBackend;
import dev.kindling.nn.functional.F;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * conv2d's single node ({@link Conv2dFunction}) against the composed definition (unfold, bmm, fold,
 * all recorded ops) on a batch of 17 images with stride, padding and dilation: the same output and
 * the same gradients for x, w and the bias, through the CPU backend's image-parallel kernels and
 * through {@link Backend}'s chunked defaults (three chunks at these sizes). GradcheckTest checks
 * the node against finite differences on small batches, first and second order.
 */
class Conv2dFunctionTest {
    private static final int N = 17;
    private static final int[] STRIDE = {1, 2};
    private static final int[] PADDING = {1, 2};
    private static final int[] DILATION = {2, 1};

    @Test
    void cpuKernelsMatchTheComposedDefinition() {
        checkAgainstComposed(CpuBackend.INSTANCE);
    }

    @Test
    void backendDefaultsMatchTheComposedDefinition() {
        Conv2dGeometry g = geometry();
        long perImage = (long) g.columnRows() * g.columnCols() * 8;
        assertEquals(7, Backend.CONV_CHUNK_BYTES / perImage, "images per chunk at these sizes (chunks of 7, 7, 3)");
        // The CPU backend, except that conv2d and conv2dBackward are the interface's defaults.
        InvocationHandler h = (proxy, method, args) -> method.getName().startsWith("conv2d")
                ? InvocationHandler.invokeDefault(proxy, method, args)
                : method.invoke(CpuBackend.INSTANCE, args);
        Backend defaults = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, h);
        checkAgainstComposed(defaults);
    }

    private static Conv2dGeometry geometry() {
        return Conv2dGeometry.of("conv2d", 16, 32, 32, new int[] {3, 3}, STRIDE, PADDING, DILATION, false);
    }

    /** conv2d through backend's kernels (forward and backward) against unfold-bmm-fold on CPU. */
    private static void checkAgainstComposed(Backend backend) {
        Generator gen = new Generator(3);
        Tensor x = Tensors.randn(gen, DType.FLOAT64, N, 16, 32, 32).requiresGrad_(true);
        Tensor w = Tensors.randn(gen, DType.FLOAT64, 8, 16, 3, 3).requiresGrad_(true);
        Tensor b = Tensors.randn(gen, DType.FLOAT64, 8).requiresGrad_(true);
        Conv2dGeometry g = geometry();
        int o = 8;
        int k = g.columnRows();
        int l = g.columnCols();

        Tensor out = F.conv2d(x, w, b, STRIDE, PADDING, DILATION, 1);
        assertEquals("ConvolutionBackward0", out.gradFn().name());
        Tensor upstream = Tensors.randn(gen, DType.FLOAT64, out.shape());

        Tensor composed = w.reshape(1, o, k).bmm(Convolution.unfold(x, g)).add(b.view(1, o, 1)).view(out.shape());
        composed.backward(upstream);
        Tensor[] reference = {composed.detach(), x.grad(), w.grad().reshape(o, k)};

        Tensor viaBackend = Tensors.empty(DType.FLOAT64, x.device(), N, o, l);
        backend.conv2d(x.detach(), w.detach().reshape(o, k), g, viaBackend);
        Tensor gradX = Tensors.zeros(DType.FLOAT64, x.device(), x.shape());
        Tensor gradWPerImage = Tensors.empty(DType.FLOAT64, x.device(), N, o, k);
        backend.conv2dBackward(x.detach(), w.detach().reshape(o, k), upstream.reshape(N, o, l).contiguous(), g, gradX, gradWPerImage);
        Tensor[] kernels = {viaBackend.add(b.detach().view(1, o, 1)).view(out.shape()), gradX, gradWPerImage.sum(0)};

        String[] names = {"output", "grad x", "grad w"};
        for (int i = 0; i < names.length; i++) {
            assertTrue(kernels[i].allclose(reference[i], 1e-12, 1e-12), names[i] + " of " + backend + " differs from the composed definition");
        }
        assertTrue(out.detach().allclose(reference[0], 1e-12, 1e-12), "F.conv2d output differs from the composed definition");
    }
}
