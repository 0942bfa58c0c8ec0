/**
 * Vision datasets: MNIST and Fashion-MNIST from their IDX files (checked against the file before
 * anything is allocated). Transforms and a small model zoo live in the subpackages. May use
 * tensor, data and nn.
 */
package dev.kindling.vision;
