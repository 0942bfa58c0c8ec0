package dev.kindling.arrow;

/**
 * What a view does with null entries, which a tensor cannot represent. The default,
 * {@link #REJECT}, fails with the column and the first null row; the others are explicit choices.
 */
public enum NullPolicy {
    /**
     * Scan the validity bitmap and fail on the first null with an {@link IllegalArgumentException}
     * naming the column and the row. The scan reads one bit per element (rows / 8 bytes for a
     * scalar column), so it is the only part of view creation that grows with the column's size.
     */
    REJECT,

    /**
     * In float32 and float64 columns, read nulls as NaN. Because the Arrow memory under a null is
     * left as it is, a column that holds nulls is <em>copied</em> (the view is then not zero-copy;
     * {@link ArrowView#isZeroCopy()} and {@link TensorBatch#isZeroCopy(String)} say so). Columns
     * without nulls are still viewed in place. Nulls in integer or bool columns, or null lists,
     * are still rejected: they have no NaN.
     */
    NAN,

    /**
     * Do not look at validity at all: the caller vouches that there are no nulls (a null element
     * would read as whatever bytes Arrow left under it, usually 0). This makes creating a view of a
     * fixed-width or FixedSizeList column take the same time for any number of rows.
     */
    UNCHECKED
}
