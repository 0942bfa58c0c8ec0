package dev.kindling.vision.models;

import dev.kindling.nn.AdaptiveAvgPool2d;
import dev.kindling.nn.BatchNorm2d;
import dev.kindling.nn.Conv2d;
import dev.kindling.nn.Init;
import dev.kindling.nn.Linear;
import dev.kindling.nn.Module;
import dev.kindling.nn.Sequential;
import dev.kindling.tensor.Tensor;

/**
 * A small ResNet of {@link BasicBlock}s for 28x28 or 32x32 images (MNIST, CIFAR): a 3x3 stem, three
 * stages (widths 16, 32, 64 by default; stride 2 between stages), global average pooling and a
 * linear classifier. Convolutions start kaiming-normal (fan_out, relu) and batch norms at weight 1,
 * bias 0, as torchvision does.
 */
public final class ResNet extends Module {

    public ResNet(int inChannels, int numClasses) { this(inChannels, numClasses, new int[] {2, 2, 2}, new int[] {16, 32, 64}); }

    public ResNet(int inChannels, int numClasses, int[] blocksPerStage, int[] widths) {
        if (blocksPerStage.length != widths.length || widths.length == 0) {
            throw new IllegalArgumentException("ResNet: blocksPerStage and widths must be non-empty and of equal length");
        }
        registerModule("conv1", new Conv2d(inChannels, widths[0], 3, 1, 1, 1, 1, false));
        registerModule("bn1", new BatchNorm2d(widths[0]));
        int in = widths[0];
        for (int s = 0; s < widths.length; s++) {
            Sequential stage = new Sequential();
            for (int b = 0; b < blocksPerStage[s]; b++) {
                stage.add(new BasicBlock(in, widths[s], b == 0 && s > 0 ? 2 : 1));
                in = widths[s];
            }
            registerModule("layer" + (s + 1), stage);
        }
        registerModule("avgpool", new AdaptiveAvgPool2d(1));
        registerModule("fc", new Linear(in, numClasses));
        for (Module m : modules()) {
            if (m instanceof Conv2d c) Init.kaimingNormal_(c.weight(), 0, Init.FanMode.FAN_OUT, "relu", dev.kindling.tensor.Generator.defaultGenerator());
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = module("bn1").forward(module("conv1").forward(x)).relu();
        for (String name : namedChildren().keySet()) {
            if (name.startsWith("layer")) h = module(name).forward(h);
        }
        h = module("avgpool").forward(h).flatten(1, -1);
        return module("fc").forward(h);
    }
}
