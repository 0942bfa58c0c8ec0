package dev.kindling.spark.train;

import dev.kindling.optim.LRScheduler;
import dev.kindling.optim.Optimizer;

import java.io.Serializable;
import java.util.function.Function;

/** Builds a learning-rate scheduler for the driver's optimizer, e.g. {@code opt -> new StepLR(opt, 2, 0.5)}. */
@FunctionalInterface
public interface SchedulerFactory extends Function<Optimizer, LRScheduler>, Serializable {}
