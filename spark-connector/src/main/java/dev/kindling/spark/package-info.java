/**
 * Kindling on Spark: {@code DistributedTrainer} (data-parallel training with a driver-side
 * optimizer and tree aggregation), the Spark ML stages {@code KindlingClassifier} /
 * {@code KindlingRegressor} and their models, DataFrame-to-Arrow conversion per partition, and the
 * Kryo registrator. May use core, arrow-bridge and Spark.
 */
package dev.kindling.spark;
