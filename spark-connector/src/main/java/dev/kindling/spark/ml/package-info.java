/**
 * Kindling's Spark ML stages: {@code KindlingClassifier} and {@code KindlingRegressor} (estimators
 * with the params of a distributed fit), the models they fit ({@code KindlingClassificationModel},
 * {@code KindlingRegressionModel}, whose {@code transform} runs the network on every partition),
 * and their persistence (weights as safetensors with PyTorch keys, params in Spark's metadata
 * layout). May use {@code train}, {@code data}, {@code internal}, core and Spark (ML included);
 * never {@code serde} or the jobs.
 */
package dev.kindling.spark.ml;
