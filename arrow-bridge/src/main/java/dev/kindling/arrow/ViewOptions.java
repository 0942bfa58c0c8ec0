package dev.kindling.arrow;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How Arrow columns become tensors: which columns (all, in schema order, by default), what to do
 * with nulls ({@link NullPolicy#REJECT} by default), and whether a column whose type has no
 * same-layout Kindling dtype may be converted by copying. Immutable; each {@code with} method
 * returns a new instance.
 *
 * <p>Copies are off by default so that "I got a tensor from Arrow" means "I got a view" unless
 * the caller asked otherwise. With {@link #allowCopies(boolean) allowCopies(true)}: Bit columns
 * are unpacked into bool tensors (Arrow packs 8 booleans per byte, Kindling stores one per byte)
 * and SmallInt/TinyInt columns are widened into int32 tensors (Kindling has no int16 or int8).
 */
public final class ViewOptions {
    private static final ViewOptions DEFAULTS = new ViewOptions(null, NullPolicy.REJECT, false);

    private final List<String> columns;
    private final NullPolicy nulls;
    private final boolean allowCopies;

    private ViewOptions(List<String> columns, NullPolicy nulls, boolean allowCopies) {
        this.columns = columns;
        this.nulls = nulls;
        this.allowCopies = allowCopies;
    }

    /** All columns, nulls rejected, no copies. */
    public static ViewOptions defaults() { return DEFAULTS; }

    /** Only these columns, in this order (for batches; ignored when viewing a single vector). */
    public ViewOptions columns(String... names) {
        if (names.length == 0) throw new IllegalArgumentException("columns: expected at least one column name but got none");
        for (String n : names) Objects.requireNonNull(n, "columns: a column name is null");
        return new ViewOptions(List.copyOf(Arrays.asList(names)), nulls, allowCopies);
    }

    public ViewOptions nulls(NullPolicy policy) {
        return new ViewOptions(columns, Objects.requireNonNull(policy, "nulls"), allowCopies);
    }

    /** Whether Bit (to bool) and SmallInt/TinyInt (to int32) columns may be converted by copying. */
    public ViewOptions allowCopies(boolean allow) { return new ViewOptions(columns, nulls, allow); }

    /** The selected column names, or null for all columns. */
    public List<String> columns() { return columns; }

    public NullPolicy nulls() { return nulls; }

    public boolean allowCopies() { return allowCopies; }
}
