package dev.kindling.vision.transforms;

import dev.kindling.tensor.Tensor;

/** A per-sample image transformation, as a torchvision transform. */
@FunctionalInterface
public interface Transform {
    Tensor apply(Tensor image);

    /** This transform followed by another. */
    default Transform then(Transform next) {
        return x -> next.apply(apply(x));
    }
}
