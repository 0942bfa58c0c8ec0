/**
 * Side-by-side benchmarks of Kindling's tensor core and training steps against the peers users
 * would pick instead (OpenBLAS called directly, libtorch through DJL, plain Java loops), timed with
 * JMH and reported as Markdown tables of medians and ratios. May use everything in core and the
 * peers' libraries; never examples. One documented command per suite lives in benchmarks/README.md.
 */
package dev.kindling.bench;
