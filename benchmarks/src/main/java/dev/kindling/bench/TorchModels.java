package dev.kindling.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.List;

/**
 * The forward passes of the benchmarked networks written with libtorch's ops, each the exact
 * counterpart of the Kindling module it is compared with ({@code F.linear} is
 * {@code torch.nn.functional.linear}, {@code F.conv2d} is {@code torch.nn.functional.conv2d},
 * {@code F.maxPool2d} is {@code max_pool2d}, ...). Parameters come in Kindling's
 * {@code namedParameters()} order.
 */
final class TorchModels {
    private TorchModels() {}

    private static final Shape ONE = new Shape(1, 1);
    private static final Shape NO_PAD = new Shape(0, 0);
    private static final Shape POOL = new Shape(2, 2);

    /** Flatten, then Linear-ReLU pairs and a final Linear: {@link Networks#mnistMlp()} in libtorch. */
    static NDArray mlp(List<PtNDArray> p, PtNDArray x) {
        PtNDArray h = (PtNDArray) x.reshape(x.getShape().get(0), -1);
        int layers = p.size() / 2;
        for (int i = 0; i < layers; i++) {
            h = JniUtils.linear(h, p.get(2 * i), p.get(2 * i + 1));
            if (i < layers - 1) h = JniUtils.relu(h);
        }
        return h;
    }

    /** LeNet-5 as {@code dev.kindling.vision.models.LeNet5} for 28x28 inputs (first convolution padded by 2). */
    static NDArray lenet5(List<PtNDArray> p, PtNDArray x) {
        PtNDArray h = JniUtils.convolution(x, p.get(0), p.get(1), ONE, new Shape(2, 2), ONE, 1);
        h = JniUtils.maxPool(JniUtils.relu(h), POOL, POOL, NO_PAD, false);
        h = JniUtils.convolution(h, p.get(2), p.get(3), ONE, NO_PAD, ONE, 1);
        h = JniUtils.maxPool(JniUtils.relu(h), POOL, POOL, NO_PAD, false);
        h = (PtNDArray) h.reshape(h.getShape().get(0), -1);
        h = JniUtils.relu(JniUtils.linear(h, p.get(4), p.get(5)));
        h = JniUtils.relu(JniUtils.linear(h, p.get(6), p.get(7)));
        return JniUtils.linear(h, p.get(8), p.get(9));
    }

    /** One Linear layer: weight, bias. */
    static NDArray linear(List<PtNDArray> p, PtNDArray x) {
        return JniUtils.linear(x, p.get(0), p.get(1));
    }

    /** One convolution with bias, stride 1, the given padding. */
    static PtNDArray conv2d(PtNDArray x, PtNDArray w, PtNDArray b, int padding) {
        return JniUtils.convolution(x, w, b, ONE, new Shape(padding, padding), ONE, 1);
    }
}
