/**
 * Files that hold tensors: safetensors (read and written as PyTorch and Hugging Face do, strictly
 * checked against the format), training checkpoints (model, optimizer and scheduler state
 * written to a temporary name, then renamed) and {@code TensorCodec}, the one byte form of a tensor
 * that everything shipping tensors between JVMs uses. May use tensor, nn and optim.
 */
package dev.kindling.io;
