package dev.kindling.spark.data;

import dev.kindling.spark.internal.SparkInternals;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A DataFrame converted to Arrow batches on the executors and cached there for a whole fit: one
 * {@link PartitionData} per partition, kept in Spark's block manager (so later jobs run where the
 * data is), with the row count of every partition known on the driver. {@link #close()} frees the
 * Arrow memory on the executors and unpersists the RDD.
 *
 * <p>Conversion happens once, in the first job, and validates every row: bad data fails here,
 * before any training step, with the {@link IllegalArgumentException} raised on the executor.
 */
public final class CachedDataset implements AutoCloseable {
    private final JavaRDD<PartitionData> rdd;
    private final int[] rows;
    private final long total;
    private final int[] sampleShape;
    private final int maxClassLabel;
    private final FeatureSpec features;
    private final LabelSpec label;
    private boolean closed;

    private CachedDataset(JavaRDD<PartitionData> rdd, int[] rows, int[] sampleShape, int maxClassLabel, FeatureSpec features,
                          LabelSpec label) {
        this.rdd = rdd;
        this.maxClassLabel = maxClassLabel;
        this.rows = rows;
        long t = 0;
        for (int r : rows) t += r;
        this.total = t;
        this.sampleShape = sampleShape;
        this.features = features;
        this.label = label;
    }

    /**
     * Projects, converts and caches df (label may be null for inference); runs one Spark job. role
     * ("training", "validation") names the DataFrame in every error.
     */
    public static CachedDataset convert(Dataset<Row> df, String role, FeatureSpec features, LabelSpec label, int rowsPerBatch,
                                        boolean checkNaN) {
        return convert(df, role, features, label, null, rowsPerBatch, checkNaN);
    }

    /** As {@link #convert(Dataset, String, FeatureSpec, LabelSpec, int, boolean)} with instance weights (weight may be null). */
    public static CachedDataset convert(Dataset<Row> df, String role, FeatureSpec features, LabelSpec label, WeightSpec weight,
                                        int rowsPerBatch, boolean checkNaN) {
        List<Column> cols = new ArrayList<>();
        for (String c : features.columns()) cols.add(functions.col(c));
        if (label != null) cols.add(functions.col(label.column()));
        if (weight != null) cols.add(functions.col(weight.column()));
        Dataset<Row> projected = df.select(cols.toArray(new Column[0]));
        PartitionWriter writer = new PartitionWriter(features, label, weight, projected.schema(), rowsPerBatch, checkNaN);
        JavaRDD<InternalRow> internal = SparkInternals.internalRows(projected);
        JavaRDD<PartitionData> data = internal.mapPartitionsWithIndex(
                (idx, it) -> List.of(writer.write(idx, it)).iterator(), true);
        data.persist(StorageLevel.MEMORY_ONLY());
        List<int[]> info;
        try {
            df.sparkSession().sparkContext().setJobDescription("Kindling: convert '" + features.columns() + "' to Arrow and cache");
            info = data.map(d -> {
                int[] shape = d.sampleShape();
                int[] out = new int[2 + (shape == null ? 0 : shape.length)];
                out[0] = d.rows();
                out[1] = (int) Math.min(Integer.MAX_VALUE, d.maxClassLabel());
                if (shape != null) System.arraycopy(shape, 0, out, 2, shape.length);
                return out;
            }).collect();
        } catch (Exception e) {
            // collect() is Scala: it throws the checked SparkException without declaring it.
            data.unpersist(true);
            RuntimeException cause = SparkErrors.unwrap(e);
            if (cause instanceof IllegalArgumentException) throw new IllegalArgumentException(role + " DataFrame: " + cause.getMessage(), cause);
            if (cause instanceof OffHeapMemoryException) throw new OffHeapMemoryException("caching the " + role + " DataFrame", cause.getCause());
            throw cause;
        }
        int[] rows = new int[info.size()];
        int[] shape = null;
        int maxLabel = -1;
        for (int p = 0; p < info.size(); p++) {
            int[] i = info.get(p);
            rows[p] = i[0];
            maxLabel = Math.max(maxLabel, i[1]);
            if (i[0] == 0) continue;
            int[] s = Arrays.copyOfRange(i, 2, i.length);
            if (shape == null) shape = s;
            else if (!Arrays.equals(shape, s)) {
                CachedDataset partial = new CachedDataset(data, rows, shape, maxLabel, features, label);
                partial.close();
                throw new IllegalArgumentException(role + " DataFrame: features column '" + features.columns().get(0) + "': partition " + p
                        + " has samples of shape " + Arrays.toString(s) + " but earlier partitions have " + Arrays.toString(shape)
                        + " (ragged arrays)");
            }
        }
        CachedDataset cached = new CachedDataset(data, rows, shape, maxLabel, features, label);
        if (cached.total == 0) {
            cached.close();
            throw new IllegalArgumentException("the " + role + " DataFrame has no rows (its " + rows.length + " partitions are all empty)");
        }
        return cached;
    }

    /** The cached partitions, one {@link PartitionData} each, for the jobs of a fit. */
    public JavaRDD<PartitionData> rdd() { return rdd; }

    public int numPartitions() { return rows.length; }

    /** Rows in each partition. */
    public int[] rowsPerPartition() { return rows.clone(); }

    public long rows() { return total; }

    /** The per-sample feature shape, e.g. [784] or [1, 28, 28]. */
    public int[] sampleShape() { return sampleShape.clone(); }

    /** The largest class index among the labels, or -1 without class labels. */
    public int maxClassLabel() { return maxClassLabel; }

    public FeatureSpec features() { return features; }

    public LabelSpec label() { return label; }

    /**
     * Unpersists the cached partitions; Spark's memory store closes each {@link PartitionData} as it
     * drops the block, which frees its Arrow memory on the executor that holds it. (A job that
     * closed each partition instead could run on an executor without the block and fetch or even
     * recompute it just to close a copy.) Waits until every executor has dropped its blocks.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        rdd.unpersist(true);
    }
}
