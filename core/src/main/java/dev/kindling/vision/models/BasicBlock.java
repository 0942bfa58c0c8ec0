package dev.kindling.vision.models;

import dev.kindling.nn.BatchNorm2d;
import dev.kindling.nn.Conv2d;
import dev.kindling.nn.Module;
import dev.kindling.nn.Sequential;
import dev.kindling.tensor.Tensor;

/**
 * ResNet's basic residual block: two 3x3 convolutions with batch norm, added to the input (through
 * a 1x1 convolution and batch norm when the shape changes), then ReLU. Names match torchvision's
 * ({@code conv1}, {@code bn1}, {@code conv2}, {@code bn2}, {@code downsample.0/1}).
 */
public final class BasicBlock extends Module {
    public BasicBlock(int inPlanes, int planes, int stride) {
        registerModule("conv1", new Conv2d(inPlanes, planes, 3, stride, 1, 1, 1, false));
        registerModule("bn1", new BatchNorm2d(planes));
        registerModule("conv2", new Conv2d(planes, planes, 3, 1, 1, 1, 1, false));
        registerModule("bn2", new BatchNorm2d(planes));
        if (stride != 1 || inPlanes != planes) {
            registerModule("downsample", new Sequential(new Conv2d(inPlanes, planes, 1, stride, 0, 1, 1, false), new BatchNorm2d(planes)));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = module("bn1").forward(module("conv1").forward(x)).relu();
        out = module("bn2").forward(module("conv2").forward(out));
        Tensor shortcut = namedChildren().containsKey("downsample") ? module("downsample").forward(x) : x;
        return out.add(shortcut).relu();
    }
}
