package dev.kindling.autograd;

import dev.kindling.tensor.Storage;
import dev.kindling.tensor.Tensor;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The gradients one backward pass allocates, and what the pass does with them once they are used:
 * an intermediate gradient that no pending gradient shares storage with any more goes back to the
 * {@link dev.kindling.tensor.BufferPool} at once (PyTorch's caching allocator frees it the same way
 * when its reference count drops), and a leaf's first gradient is kept as it is rather than copied
 * when nothing else holds its storage.
 *
 * <p>Counting is by storage, because backward functions return views and the very tensor they were
 * given (an addition passes its gradient to both inputs). Only storage allocated during the pass
 * ({@link Storage#allocationSerial}) is ever released or adopted: the gradients a caller passes
 * to {@code backward}, saved forward values and wrapped arrays are never touched. A gradient that a
 * hook saw may be kept by the hook, so it "escapes" and is left to the garbage collector, as are
 * gradients adopted as a leaf's {@code grad}. Passes that build a graph ({@code createGraph}) or
 * return their gradients ({@link Autograd#grad}) use {@link #NONE}, which keeps every gradient.
 */
class GradientBuffers {
    /** Keeps every gradient: nothing is released or adopted. */
    static final GradientBuffers NONE = new GradientBuffers(Long.MAX_VALUE);

    private final long firstSerial;
    private final Map<Storage, Integer> holders = new IdentityHashMap<>();
    private final Map<Storage, Boolean> escaped = new IdentityHashMap<>();

    /** Tracks the gradients allocated from now on. */
    static GradientBuffers startingNow() {
        return new GradientBuffers(Storage.nextAllocationSerial());
    }

    private GradientBuffers(long firstSerial) {
        this.firstSerial = firstSerial;
    }

    /** Counts one more pending use of g's storage (g may be null). */
    void hold(Tensor g) {
        if (g == null || !tracks(g.storage())) return;
        holders.merge(g.storage(), 1, Integer::sum);
    }

    /** Ends one use of g's storage; the last use of storage this pass allocated gives it back to the pool. */
    void drop(Tensor g) {
        if (g == null || !tracks(g.storage())) return;
        Storage s = g.storage();
        Integer left = holders.merge(s, -1, Integer::sum);
        if (left != null && left <= 0) {
            holders.remove(s);
            if (!escaped.containsKey(s)) s.release();
        }
    }

    /** g's storage may be kept outside the pass (a hook saw it, a leaf adopted it): never release it. */
    void escape(Tensor g) {
        if (g != null && tracks(g.storage())) escaped.put(g.storage(), Boolean.TRUE);
    }

    /**
     * True when g can become a leaf's gradient as it is: this pass allocated its storage, g covers
     * all of it contiguously, and g is its only pending use.
     */
    boolean adoptable(Tensor g) {
        Storage s = g.storage();
        return tracks(s) && !escaped.containsKey(s) && holders.getOrDefault(s, 0) == 1 && g.storageOffset() == 0
                && g.numel() == s.numel() && g.isContiguous() && !g.requiresGrad();
    }

    private boolean tracks(Storage s) {
        return s != null && s.allocationSerial() >= firstSerial;
    }
}
