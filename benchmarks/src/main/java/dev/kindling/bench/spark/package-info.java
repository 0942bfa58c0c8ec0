/**
 * Spark benchmarks: DataFrame-to-Arrow conversion on the executor's allocator, synchronous step
 * overhead and time to accuracy against Spark MLlib. May use everything Kindling ships and Spark.
 */
package dev.kindling.bench.spark;
