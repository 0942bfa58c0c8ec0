/**
 * {@code torch.utils.data} in Kindling: datasets ({@code Dataset}, {@code TensorDataset},
 * {@code Subset}, {@code ConcatDataset}), samplers, the batching {@code DataLoader} with its
 * collate step, and small readers (CSV). Everything here produces tensors and knows nothing of
 * training. May use tensor; not autograd internals, nn, optim, Arrow or Spark (the Spark side
 * feeds batches through {@code dev.kindling.spark.data} instead).
 */
package dev.kindling.data;
