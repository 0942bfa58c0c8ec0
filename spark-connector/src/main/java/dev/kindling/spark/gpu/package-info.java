/**
 * Device selection inside Spark tasks: maps the GPU address Spark assigned to a task to a Kindling
 * {@code Device}, and decides what "auto" falls back to. May use Spark's TaskContext and core's
 * device types; not the training loop, ML stages or the CUDA module (the backend registry finds it).
 */
package dev.kindling.spark.gpu;
