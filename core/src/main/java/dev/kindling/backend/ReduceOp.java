package dev.kindling.backend;

/**
 * Reductions a backend implements along any set of dims. Everything else (mean, var, std, norm,
 * logsumexp) is composed from these by the ops.
 */
public enum ReduceOp {
    SUM, PROD, MAX, MIN, ARGMAX, ARGMIN, ANY, ALL
}
