/**
 * Kindling's bridge to Apache Arrow (19.0.0, the version Spark 4.2 ships): Arrow columns and
 * record batches as tensors without copying ({@link dev.kindling.arrow.ArrowViews}), tensors back
 * into Arrow vectors ({@link dev.kindling.arrow.TensorToArrow}), and Arrow IPC files and streams
 * in and out ({@link dev.kindling.arrow.TensorBatchReader}, {@link dev.kindling.arrow.TensorBatchWriter}).
 *
 * <p>Views are safe by construction: a view retains the Arrow buffers it reads through Arrow's
 * reference counting and releases them when closed (or, failing that, when unreachable); a tensor
 * used after its view was closed throws {@link java.lang.IllegalStateException} instead of
 * reading freed memory. Every conversion that copies says so in its name or Javadoc, and
 * {@code isZeroCopy} reports it per column. This package knows nothing of Spark.
 */
package dev.kindling.arrow;
