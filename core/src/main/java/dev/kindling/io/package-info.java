/**
 * Files that hold tensors: safetensors (read and written as PyTorch and Hugging Face do, strictly
 * checked against the format) and training checkpoints (model, optimizer and scheduler state
 * written to a temporary name, then renamed). May use tensor, nn and optim.
 */
package dev.kindling.io;
