/**
 * Runnable jobs: {@code SparkClassifierJob} (the README's main job, a Spark ML pipeline),
 * {@code TrainClassifier} (one JVM) and {@code TensorDemo}, with their shared command-line options
 * ({@code TrainingOptions}, {@code Cli}) and task-side DataFrames. The README's programs are in
 * {@code readme}. May use every Kindling module and Spark.
 */
package dev.kindling.examples;
