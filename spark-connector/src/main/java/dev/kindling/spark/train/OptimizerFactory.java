package dev.kindling.spark.train;

import dev.kindling.optim.Optimizer;
import dev.kindling.tensor.Tensor;

import java.io.Serializable;
import java.util.List;
import java.util.function.Function;

/** Builds any Kindling optimizer for a list of parameters, e.g. {@code params -> new Adam(params, 1e-3)}. */
@FunctionalInterface
public interface OptimizerFactory extends Function<List<Tensor>, Optimizer>, Serializable {}
