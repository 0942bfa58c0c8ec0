package dev.kindling.autograd;

import dev.kindling.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A tensor's autograd state: whether it requires grad, its accumulated gradient, the node that
 * produced it (null for leaves), whether a non-leaf retains its gradient, and hooks on a leaf.
 * Created only for tensors that take part in autograd, so plain tensors carry no overhead.
 */
public final class AutogradMeta {
    boolean requiresGrad;
    Tensor grad;
    /**
     * True while {@link #grad} is a tensor backward allocated for this leaf alone and nobody has
     * been handed it: replacing it (zeroGrad's set-to-null) may then give its storage back to the
     * pool, as PyTorch's allocator gets it back when the last reference goes.
     */
    boolean gradPrivate;
    Node gradFn;
    boolean retainsGrad;
    List<UnaryOperator<Tensor>> leafHooks;

    /** True for a leaf that requires grad, or any tensor computed from one. */
    public boolean requiresGrad() { return requiresGrad || gradFn != null; }

    /** The accumulated gradient, handed out: the caller may keep it, so it is never released. */
    public Tensor grad() {
        gradPrivate = false;
        return grad;
    }

    /**
     * t's accumulated gradient (null when t has none) for library code that uses it during the
     * call and keeps no reference (an optimizer step, gradient clipping, copying into a flat
     * buffer): unlike {@link #grad()} it leaves the gradient releasable.
     */
    public static Tensor peekGrad(Tensor t) {
        AutogradMeta m = t.autogradMeta();
        return m == null ? null : m.grad;
    }

    /**
     * Replaces the gradient. A gradient backward allocated and nobody was handed goes back to the
     * buffer pool now rather than when the garbage collector finds it.
     */
    public void setGrad(Tensor g) {
        if (gradPrivate && grad != g) grad.storage().release();
        gradPrivate = false;
        this.grad = g;
    }

    /** Sets a gradient backward allocated for this leaf alone (adopted or cloned), nobody else holding it. */
    void setPrivateGrad(Tensor g) {
        this.grad = g;
        gradPrivate = true;
    }

    /** The node that produced this tensor, or null for a leaf. */
    public Node gradFn() { return gradFn; }

    public boolean retainsGrad() { return retainsGrad; }

    /** Sets requires_grad on a leaf; a computed tensor's flag follows its inputs. */
    public void setRequiresGrad(boolean value, Tensor owner) {
        if (gradFn != null && !value) {
            throw new IllegalArgumentException("requiresGrad(false): you can only change requires_grad flags of leaf "
                    + "tensors; use detach() to get a tensor that does not require grad");
        }
        if (value && !owner.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("requiresGrad(true): only floating point tensors can require gradients, got "
                    + owner.dtype());
        }
        requiresGrad = value;
    }

    /** Marks a non-leaf tensor to keep its gradient in {@code grad()} after backward. */
    public void retainGrad(Tensor owner) {
        if (!requiresGrad()) throw new IllegalStateException("retainGrad: can't retain_grad on a tensor that doesn't require gradients");
        if (gradFn == null || retainsGrad) return;
        retainsGrad = true;
        Node node = gradFn;
        node.addPreHook(g -> {
            // Only while this tensor is still the node's output (an in-place op re-points gradFn).
            if (owner.autogradMeta() != null && owner.autogradMeta().gradFn == node) {
                grad = grad == null ? g.detach().clone() : grad.add(g.detach());
            }
            return g;
        });
    }

    /** Registers a hook on this tensor's gradient; it may return a replacement gradient or null. */
    public void registerHook(UnaryOperator<Tensor> hook, Tensor owner) {
        if (!requiresGrad()) throw new IllegalStateException("registerHook: cannot register a hook on a tensor that doesn't require gradient");
        if (gradFn != null) {
            gradFn.addPreHook(hook);
        } else {
            if (leafHooks == null) leafHooks = new ArrayList<>();
            leafHooks.add(hook);
        }
    }

    Tensor runLeafHooks(Tensor g) {
        if (leafHooks == null) return g;
        for (UnaryOperator<Tensor> h : leafHooks) {
            Tensor r = h.apply(g);
            if (r != null) g = r;
        }
        return g;
    }
}
