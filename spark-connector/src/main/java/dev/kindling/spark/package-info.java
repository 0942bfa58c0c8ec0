/**
 * Kindling on Spark, top level: {@code TrainJob} and {@code PredictJob}, the spark-submit entry
 * points that train and score from a command line (their class names are public), and
 * {@code TrainingReport}; {@code jobs} holds their command-line parsing, session and data formats.
 * The library lives in the sub-packages, in layers: {@code ml} (Spark ML stages) on {@code train}
 * (the distributed trainer) on {@code data} (DataFrames to Arrow partitions) on {@code internal};
 * {@code serde} (Kryo) beside them. May use every sub-package, core, arrow-bridge and Spark.
 */
package dev.kindling.spark;
