/**
 * Plumbing under the other packages, not user API: {@code SparkInternals}, the only class that
 * uses Spark's non-public API (the place to look when Spark is upgraded, and what has no
 * equivalent under Spark Connect), and {@code HadoopFiles} (whole-file reads and writes through a
 * temporary name on any Hadoop file system). May use core, Arrow and Spark; nothing else in
 * spark-connector.
 */
package dev.kindling.spark.internal;
