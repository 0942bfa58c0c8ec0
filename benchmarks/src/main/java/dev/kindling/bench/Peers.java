package dev.kindling.bench;

/** The column names of the peers Kindling is measured against, shared by all suites. */
final class Peers {
    static final String OPENBLAS = "OpenBLAS direct";
    static final String TORCH = "PyTorch";
    static final String LOOP = "Java loop 1T";
    static final String LOOP2 = "Java loop 2T";

    private Peers() {}
}
