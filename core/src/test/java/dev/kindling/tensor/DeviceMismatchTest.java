package dev.kindling.tensor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kindling.tensor.TestSupport.assertBadInput;

/**
 * Ops on tensors of two devices fail naming both, before any kernel runs. The GPU-side tensors
 * here are storage descriptors on cuda:0 and cuda:1 with no memory behind them (core has no CUDA
 * backend): the check must refuse them before a backend is ever asked for.
 */
class DeviceMismatchTest {

    private static Tensor on(Device device) {
        return Tensor.of(Storage.onDevice(DType.FLOAT32, device, 6, new Object()), 2, 3);
    }

    private static final Tensor CPU = Tensors.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);

    @Test
    void binaryOpsNameBothDevices() {
        Tensor gpu = on(Device.cuda(0));
        assertBadInput(() -> CPU.add(gpu), "same device", "cpu", "cuda:0");
        assertBadInput(() -> gpu.mul(CPU), "same device", "cuda:0", "cpu");
        assertBadInput(() -> on(Device.cuda(0)).sub(on(Device.cuda(1))), "same device", "cuda:0", "cuda:1");
    }

    @Test
    void inPlaceMatmulCatAndWhereNameBothDevices() {
        Tensor gpu = on(Device.cuda(1));
        assertBadInput(() -> CPU.clone().add_(gpu), "add_", "cpu", "cuda:1");
        assertBadInput(() -> CPU.matmul(gpu.t()), "cpu", "cuda:1");
        assertBadInput(() -> Tensors.cat(List.of(CPU, gpu), 0), "cat", "cpu", "cuda:1");
        assertBadInput(() -> Tensors.where(Tensors.fromArray(new float[6], 2, 3).gt(0), CPU, gpu), "where", "cpu", "cuda:1");
    }
}
