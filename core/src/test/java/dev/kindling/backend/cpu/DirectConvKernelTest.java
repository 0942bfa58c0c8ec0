package dev.kindling.backend.cpu;

import dev.kindling.backend.Conv2dGeometry;
import dev.kindling.backend.StridedView;
import dev.kindling.tensor.DType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which shapes the direct kernel takes (its results against the definition are in
 * ConvolutionPathsTest, whose few-channel float32 shapes are these): LeNet-5's layers and the
 * test's small shapes yes; strides, dilation, padding of a whole kernel, float64 and wide layers no.
 */
class DirectConvKernelTest {

    private static Conv2dGeometry geometry(int c, int h, int k, int stride, int pad, int dilation) {
        return Conv2dGeometry.of("conv2d", c, h, h, new int[] {k, k}, new int[] {stride, stride}, new int[] {pad, pad},
                new int[] {dilation, dilation}, false);
    }

    private static StridedView f32(int... shape) {
        return StridedView.allocate(DType.FLOAT32, shape);
    }

    @Test
    void takesLeNetLayers() {
        assertTrue(DirectConvKernel.supports(geometry(1, 28, 5, 1, 2, 1), 6, f32(64, 1, 28, 28), f32(6, 1, 5, 5)));
        assertTrue(DirectConvKernel.supports(geometry(6, 14, 5, 1, 0, 1), 16, f32(64, 6, 14, 14), f32(16, 6, 5, 5)));
    }

    @Test
    void leavesOtherShapesToTheGemmPath() {
        assertFalse(DirectConvKernel.supports(geometry(32, 28, 3, 1, 1, 1), 64, f32(32, 32, 28, 28)), "wide layer");
        assertFalse(DirectConvKernel.supports(geometry(1, 28, 5, 2, 2, 1), 6, f32(1, 1, 28, 28)), "stride 2");
        assertFalse(DirectConvKernel.supports(geometry(1, 28, 3, 1, 1, 2), 6, f32(1, 1, 28, 28)), "dilation 2");
        assertFalse(DirectConvKernel.supports(geometry(1, 28, 3, 1, 3, 1), 6, f32(1, 1, 28, 28)), "padding 3 >= kernel 3");
        assertFalse(DirectConvKernel.supports(geometry(1, 28, 5, 1, 2, 1), 6,
                StridedView.allocate(DType.FLOAT64, 1, 1, 28, 28)), "float64");
    }
}
