/**
 * Reference models (LeNet-5, a small ResNet) built from nn layers with PyTorch's initialisation
 * and state-dict keys, and {@code VisionLayers}, which lets a {@code ModelSpec} line name LeNet5.
 * May use nn and tensor.
 */
package dev.kindling.vision.models;
