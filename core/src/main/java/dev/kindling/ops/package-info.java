/**
 * Every differentiable op, one place each: the forward computed with backend primitives on strided
 * views, the backward written in Tensor ops (so it runs on any device and is itself
 * differentiable). {@code Tensor}'s methods call in here. May use tensor, autograd and backend.
 */
package dev.kindling.ops;
