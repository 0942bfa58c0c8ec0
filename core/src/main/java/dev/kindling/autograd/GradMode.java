package dev.kindling.autograd;

/**
 * Whether operations on this thread record the autograd graph, as {@code torch.no_grad()} /
 * {@code torch.enable_grad()}. Scopes are try-with-resources blocks and restore the previous mode
 * when closed, so they nest:
 *
 * <pre>{@code
 * try (var g = GradMode.noGrad()) {
 *     w.sub_(w.grad().mul(lr));   // not recorded
 * }
 * }</pre>
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {}

    /** True when operations on this thread are being recorded. */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Turns recording off until the returned scope is closed. */
    public static Scope noGrad() {
        return set(false);
    }

    /** Turns recording on until the returned scope is closed (e.g. inside a noGrad block). */
    public static Scope enableGrad() {
        return set(true);
    }

    /** Sets the mode until the scope is closed. */
    public static Scope set(boolean enabled) {
        boolean[] state = ENABLED.get();
        boolean previous = state[0];
        state[0] = enabled;
        return new Scope(state, previous);
    }

    /** Restores the mode that was in force when it was opened. */
    public static final class Scope implements AutoCloseable {
        private final boolean[] state;
        private final boolean previous;

        private Scope(boolean[] state, boolean previous) {
            this.state = state;
            this.previous = previous;
        }

        @Override
        public void close() {
            state[0] = previous;
        }
    }
}
