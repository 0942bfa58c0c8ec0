package dev.kindling.reference;

/**
 * Optimizer and lr-scheduler reference cases: replayed once {@code dev.kindling.optim} exists.
 */
final class OptimCases {
    private OptimCases() {}

    static String run(ReferenceFile.Case c) {
        throw new ReferenceRunner.Skip(c.op() + " cases need dev.kindling.optim");
    }
}
