/**
 * {@code KindlingKryoRegistrator}, for {@code spark.kryo.registrator}: registers tensors (core's
 * {@code TensorCodec}), the wire forms that {@code train} and {@code data} keep next to their types
 * ({@code TrainingKryo}, {@code DataKryo}), and the Spark ML classes Spark sends through Kryo
 * unregistered. May use those two classes, {@code internal}, core and Spark; nothing else in
 * spark-connector uses it except the jobs.
 */
package dev.kindling.spark.serde;
