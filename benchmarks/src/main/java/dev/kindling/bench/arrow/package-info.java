/**
 * Arrow-bridge benchmarks: zero-copy tensor views of Arrow vectors and batch conversion throughput.
 * May use core, arrow-bridge, Arrow and the shared reporting of {@code dev.kindling.bench}; no Spark.
 */
package dev.kindling.bench.arrow;
