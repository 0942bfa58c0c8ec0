/**
 * What {@code TrainJob} and {@code PredictJob} share: command-line parsing and validation, the
 * Spark session they start (Kryo with Kindling's registrator), and reading and writing their data
 * formats. May use the top-level package, {@code ml}, {@code serde}, core and Spark.
 */
package dev.kindling.spark.jobs;
