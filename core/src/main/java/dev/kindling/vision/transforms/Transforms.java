package dev.kindling.vision.transforms;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.List;

/**
 * The torchvision transforms Kindling's vision models need: toTensor, normalize, randomCrop with
 * padding, randomHorizontalFlip and compose. Random transforms draw from the generator they are
 * given, so a seeded pipeline repeats (with DataLoader workers, the order in which samples draw
 * from a shared generator depends on scheduling: give workers-free loaders or per-run seeds when
 * augmentation must repeat exactly).
 */
public final class Transforms {
    private Transforms() {}

    /** uint8 [H, W] or [H, W, C] (or an already float [C, H, W]) to float32 [C, H, W] in [0, 1]. */
    public static Transform toTensor() {
        return x -> {
            if (x.dtype().isFloatingPoint()) return x;
            Tensor f = x.to(DType.FLOAT32).div(255.0);
            if (f.dim() == 2) return f.unsqueeze(0);
            if (f.dim() == 3) return f.permute(2, 0, 1).contiguous();
            throw new IllegalArgumentException("toTensor: expected an image of 2 or 3 dims but got shape " + Shapes.str(x.shape()));
        };
    }

    /** (x - mean[c]) / std[c] per channel of a [C, H, W] tensor. */
    public static Transform normalize(double[] mean, double[] std) {
        if (mean.length != std.length) throw new IllegalArgumentException("normalize: mean and std must have the same length");
        for (double s : std) if (s == 0) throw new IllegalArgumentException("normalize: std evaluated to zero, leading to division by zero");
        Tensor m = Tensors.fromArray(mean.clone()).to(DType.FLOAT32).view(mean.length, 1, 1);
        Tensor s = Tensors.fromArray(std.clone()).to(DType.FLOAT32).view(std.length, 1, 1);
        return x -> {
            if (x.dim() != 3 || (x.size(0) != mean.length && mean.length != 1)) {
                throw new IllegalArgumentException("normalize: expected a [C, H, W] image with C = " + mean.length + " but got "
                        + Shapes.str(x.shape()));
            }
            return x.sub(m).div(s);
        };
    }

    /** Pads by {@code padding} zeros on every side, then crops a random size x size window. */
    public static Transform randomCrop(int size, int padding, Generator g) {
        return x -> {
            Tensor p = padding > 0 ? x.pad(new int[] {padding, padding, padding, padding}, 0.0) : x;
            int h = p.size(-2);
            int w = p.size(-1);
            if (h < size || w < size) {
                throw new IllegalArgumentException("randomCrop: required crop size " + size + " is larger than the (padded) input "
                        + h + "x" + w);
            }
            int top = (int) g.nextLong(h - size + 1);
            int left = (int) g.nextLong(w - size + 1);
            return p.narrow(-2, top, size).narrow(-1, left, size).contiguous();
        };
    }

    /** Mirrors the image left-right with probability p. */
    public static Transform randomHorizontalFlip(double p, Generator g) {
        return x -> g.nextDouble() < p ? x.flip(x.dim() - 1).contiguous() : x;
    }

    /** The transforms applied in order. */
    public static Transform compose(List<Transform> transforms) {
        return x -> {
            Tensor y = x;
            for (Transform t : transforms) y = t.apply(y);
            return y;
        };
    }

    public static Transform compose(Transform... transforms) { return compose(List.of(transforms)); }
}
