/**
 * Image transforms applied per sample by datasets (normalisation, composition), as
 * torchvision.transforms names them. May use tensor.
 */
package dev.kindling.vision.transforms;
