/**
 * Data-parallel training on Spark: {@code DistributedTrainer} (the optimizer on the driver, one
 * Spark job per step or per round of local steps), the tasks each partition runs
 * ({@code SyncStepTask}, {@code LocalRoundTask}, {@code EvaluateTask}), the partition-ordered tree
 * sum that makes fits reproducible ({@code TreeSum}), the broadcast state, checkpoints on Hadoop
 * paths, the result ({@code FitResult}, {@code EpochMetrics}), and {@code StepAnatomy}, which times
 * each part of a step apart for the scaling benchmark. May use {@code data},
 * {@code internal}, core, Spark core and SQL; never Spark ML, {@code ml}, {@code serde} or the jobs.
 */
package dev.kindling.spark.train;
