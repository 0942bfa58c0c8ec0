package dev.kindling.vision.models;

import dev.kindling.nn.ModelSpec;

import java.util.Map;

import static dev.kindling.nn.ModelSpec.intArg;

/**
 * The vision models a {@link ModelSpec} line may name: {@code LeNet5[(in_channels, input_size,
 * num_classes)]}. Found by {@code ModelSpec} through {@link java.util.ServiceLoader}, so nn knows
 * nothing of the models built on it.
 */
public final class VisionLayers implements ModelSpec.LayerProvider {
    @Override
    public Map<String, ModelSpec.Rule> layers() {
        return Map.of("LeNet5", new ModelSpec.Rule(0, 3, "[(in_channels, input_size, num_classes)]", true,
                a -> a.length == 0 ? new LeNet5() : new LeNet5(intArg(a, 0), a.length > 1 ? intArg(a, 1) : 28, a.length > 2 ? intArg(a, 2) : 10)));
    }
}
