package dev.kindling.spark;

import java.io.Serializable;
import java.util.Map;

/**
 * What the driver broadcasts each step: the parameters and float buffers as one flat float[]
 * (see {@link ParameterVector}), the integer buffers, and in local-steps mode the averaged
 * optimizer state and the groups' learning rates.
 */
record ModelState(float[] flat, Map<String, Long> intBuffers, OptimizerState optimizer, double[] lrs) implements Serializable {}
