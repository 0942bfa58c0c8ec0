package dev.kindling.reference;

import java.util.Map;

/**
 * Reference entries for {@code torch.nn.functional}, registered once {@code dev.kindling.nn.functional} exists.
 */
final class FunctionalOps {
    private FunctionalOps() {}

    static void register(Map<String, ReferenceOps.Op> ops) {
        // filled by the autograd/nn.functional work
    }
}
