package dev.kindling.backend.cpu;

import dev.kindling.backend.Conv2dGeometry;
import dev.kindling.backend.StridedView;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Storage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which conv2d shapes the direct kernel takes. ConvolutionPathsTest checks its values against the
 * definition; this test makes sure those checks reach it: the build runs the tests with
 * {@code --add-modules=jdk.incubator.vector}, and without it they would silently test the GEMM
 * kernel only.
 */
class DirectConvKernelTest {

    private static Conv2dGeometry geometry(int c, int k, int stride, int pad, int dilation) {
        return Conv2dGeometry.of("conv2d", c, 12, 12, new int[] {k, k}, new int[] {stride, stride}, new int[] {pad, pad},
                new int[] {dilation, dilation}, false);
    }

    private static StridedView weights(DType dt, int o, int c, int k) {
        return StridedView.of(Storage.allocate(dt, o * c * k * k), o, c, k, k);
    }

    @Test
    void vectorModuleIsPresentInTheTestJvm() {
        assertTrue(DirectConvKernel.enabled(), "jdk.incubator.vector is missing: add --add-modules=jdk.incubator.vector");
    }

    @Test
    void takesFloat32WithSixteenOrMoreOutputChannels() {
        assertTrue(DirectConvKernel.supports(geometry(6, 5, 1, 0, 1), weights(DType.FLOAT32, 16, 6, 5)));
        assertFalse(DirectConvKernel.supports(geometry(4, 5, 2, 2, 1), weights(DType.FLOAT32, 6, 4, 5)), "6 channels, stride 2");
        assertFalse(DirectConvKernel.supports(geometry(4, 4, 1, 2, 1), weights(DType.FLOAT32, 6, 4, 4)), "6 channels, 4 wide");
        assertFalse(DirectConvKernel.supports(geometry(6, 5, 1, 0, 1), weights(DType.FLOAT64, 16, 6, 5)), "float64");
        assertFalse(DirectConvKernel.supports(geometry(16, 1, 1, 0, 1), weights(DType.FLOAT32, 16, 16, 1)), "1x1");
        assertFalse(DirectConvKernel.supports(geometry(8, 3, 1, 1, 1), weights(DType.FLOAT32, 16, 4, 3)), "two groups");
    }

    @Test
    void rowTilesTakeFourOrMoreOutputChannelsWithStrideOneAlongTheRow() {
        assertTrue(DirectConvKernel.supports(geometry(1, 5, 1, 2, 1), weights(DType.FLOAT32, 6, 1, 5)), "LeNet conv1");
        assertTrue(DirectConvKernel.supports(geometry(3, 3, 1, 1, 1), weights(DType.FLOAT32, 4, 3, 3)), "4 channels, 3x3");
        assertFalse(DirectConvKernel.supports(geometry(3, 3, 1, 1, 1), weights(DType.FLOAT32, 3, 3, 3)), "3 channels");
        assertFalse(DirectConvKernel.supports(geometry(3, 3, 1, 1, 2), weights(DType.FLOAT32, 8, 3, 3)), "8 channels, dilation 2");
        assertFalse(DirectConvKernel.supports(geometry(1, 5, 1, 2, 1), weights(DType.FLOAT64, 6, 1, 5)), "float64");
    }

    @Test
    void weightGradientNeedsSixteenOutputChannels() {
        assertTrue(DirectConvKernel.supportsBackward(geometry(6, 5, 1, 0, 1), weights(DType.FLOAT32, 16, 6, 5)), "LeNet conv2");
        assertFalse(DirectConvKernel.supportsBackward(geometry(1, 5, 1, 2, 1), weights(DType.FLOAT32, 6, 1, 5)), "LeNet conv1");
        assertFalse(DirectConvKernel.supportsBackward(geometry(6, 5, 1, 0, 1), weights(DType.FLOAT64, 16, 6, 5)), "float64");
    }

    @Test
    void inputGradientNeedsStrideOneAndSixteenInputChannels() {
        assertTrue(DirectConvKernel.supportsInputGradient(geometry(16, 3, 1, 1, 1)));
        assertTrue(DirectConvKernel.supportsInputGradient(geometry(16, 3, 1, 2, 1)), "padding k - 1");
        assertFalse(DirectConvKernel.supportsInputGradient(geometry(16, 3, 1, 3, 1)), "padding k");
        assertFalse(DirectConvKernel.supportsInputGradient(geometry(16, 3, 2, 1, 1)), "stride 2");
        assertFalse(DirectConvKernel.supportsInputGradient(geometry(16, 3, 1, 1, 2)), "dilation 2");
        assertFalse(DirectConvKernel.supportsInputGradient(geometry(6, 5, 1, 0, 1)), "6 input channels");
    }
}
