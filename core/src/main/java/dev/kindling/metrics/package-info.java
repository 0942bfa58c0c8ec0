/**
 * What a training run reports while it runs and keeps afterwards: {@link dev.kindling.metrics.TrainingProgress}
 * (a bar on a terminal, quarter-epoch lines elsewhere) and {@link dev.kindling.metrics.TrainingHistory}
 * (rows every few steps and per epoch, written as CSV, JSON and a PNG chart through XChart).
 * Used by the single-JVM examples and by kindling-spark's trainer; depends on nothing else in
 * Kindling.
 */
package dev.kindling.metrics;
