/**
 * Define-by-run automatic differentiation: graph nodes recorded by ops, the backward engine (reverse
 * topological order, gradient accumulation into leaves), {@code GradMode} scopes and
 * {@code Gradcheck} (float64 finite differences). May use tensor; ops call into it, not the
 * reverse.
 */
package dev.kindling.autograd;
