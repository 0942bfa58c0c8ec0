package dev.kindling.vision.models;

import dev.kindling.nn.Conv2d;
import dev.kindling.nn.Linear;
import dev.kindling.nn.Module;
import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;

/**
 * LeNet-5: two 5x5 convolutions with ReLU and 2x2 max pooling, then three fully connected layers
 * (400-120-84-classes). For 28x28 inputs (MNIST) the first convolution pads by 2, for 32x32
 * (CIFAR) it does not, so both reach the same 16x5x5 features.
 */
public final class LeNet5 extends Module {
    private final int inputSize;

    /** MNIST-sized: one channel, 28x28, ten classes. */
    public LeNet5() { this(1, 28, 10); }

    public LeNet5(int inChannels, int inputSize, int numClasses) {
        if (inputSize != 28 && inputSize != 32) {
            throw new IllegalArgumentException("LeNet5: input size must be 28 or 32 but got " + inputSize);
        }
        this.inputSize = inputSize;
        registerModule("conv1", new Conv2d(inChannels, 6, 5, 1, inputSize == 28 ? 2 : 0));
        registerModule("conv2", new Conv2d(6, 16, 5));
        registerModule("fc1", new Linear(16 * 5 * 5, 120));
        registerModule("fc2", new Linear(120, 84));
        registerModule("fc3", new Linear(84, numClasses));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4 || x.size(-1) != inputSize || x.size(-2) != inputSize) {
            throw new IllegalArgumentException("LeNet5: expected input [N, C, " + inputSize + ", " + inputSize + "] but got "
                    + Shapes.str(x.shape()));
        }
        Tensor h = F.maxPool2d(module("conv1").forward(x).relu(), 2);
        h = F.maxPool2d(module("conv2").forward(h).relu(), 2);
        h = h.flatten(1, -1);
        h = module("fc1").forward(h).relu();
        h = module("fc2").forward(h).relu();
        return module("fc3").forward(h);
    }
}
