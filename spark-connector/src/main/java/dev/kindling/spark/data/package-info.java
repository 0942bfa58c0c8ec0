/**
 * DataFrames as Arrow partitions on the executors: which columns are features and label and how
 * they become tensors ({@code FeatureSpec}, {@code LabelSpec}), the writer that turns a partition's
 * rows into Arrow record batches and checks every row ({@code PartitionWriter}), the cached result
 * per partition ({@code PartitionData}) and per DataFrame ({@code CachedDataset}), and the JVM's
 * Arrow allocator. May use {@code internal}, core, arrow-bridge, Spark core and SQL; never Spark ML
 * or the packages above it.
 */
package dev.kindling.spark.data;
