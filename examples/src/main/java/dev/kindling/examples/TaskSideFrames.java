package dev.kindling.examples;

import dev.kindling.data.Csv;
import dev.kindling.tensor.Tensor;
import dev.kindling.vision.MNIST;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.SoftReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The examples' DataFrames, made by the tasks that read them: each partition of a
 * {@code spark.range} turns its share of row indices into rows where it runs, reading sklearn's
 * digits from the jar or MNIST's IDX files from the data directory. So no data travels inside a
 * task closure (Spark would warn of a "task of very large size" and ship it with every task), and
 * on a cluster each executor reads the files itself: the directory must be one every executor
 * sees (a shared file system). Each JVM parses a file once and keeps it while memory allows.
 */
final class TaskSideFrames {
    private static final Map<String, SoftReference<Object>> PARSED = new ConcurrentHashMap<>();

    private TaskSideFrames() {}

    /** sklearn's digits: pixel0..pixel63 (scaled to [0, 1], double) and digit (int). */
    static Dataset<Row> digits(SparkSession spark, int partitions) {
        StructField[] fields = new StructField[65];
        for (int i = 0; i < 64; i++) fields[i] = DataTypes.createStructField("pixel" + i, DataTypes.DoubleType, false);
        fields[64] = DataTypes.createStructField("digit", DataTypes.IntegerType, false);
        int rows = digitsTable().size(0);
        return spark.range(0, rows, 1, partitions).mapPartitions(new DigitRows(), Encoders.row(new StructType(fields)));
    }

    /** MNIST's training or test set: image (784 raw bytes, binary) and label (int). */
    static Dataset<Row> mnist(SparkSession spark, Path dir, boolean train, int partitions) {
        StructType schema = new StructType(new StructField[] {
                DataTypes.createStructField("image", DataTypes.BinaryType, false),
                DataTypes.createStructField("label", DataTypes.IntegerType, false)});
        String where = dir.toAbsolutePath().toString();
        int rows = mnist(where, train).labels().size(0);
        return spark.range(0, rows, 1, partitions).mapPartitions(new MnistRows(where, train), Encoders.row(schema));
    }

    /** Turns the row indices of one partition into digit rows. */
    private static final class DigitRows implements MapPartitionsFunction<Long, Row> {
        @Override
        public Iterator<Row> call(Iterator<Long> indices) {
            Tensor table = digitsTable();
            double[] values = table.toDoubleArray();
            int cols = table.size(1);
            List<Row> rows = new ArrayList<>();
            while (indices.hasNext()) {
                int r = indices.next().intValue();
                Object[] row = new Object[65];
                for (int i = 0; i < 64; i++) row[i] = values[r * cols + i] / 16.0;
                row[64] = (int) values[r * cols + 64];
                rows.add(RowFactory.create(row));
            }
            return rows.iterator();
        }
    }

    /** Turns the row indices of one partition into MNIST rows read from the directory. */
    private record MnistRows(String dir, boolean train) implements MapPartitionsFunction<Long, Row> {
        @Override
        public Iterator<Row> call(Iterator<Long> indices) {
            MNIST set = mnist(dir, train);
            MemorySegment pixels = set.images().contiguous().dataSegment();
            long[] labels = set.labels().toLongArray();
            int size = 28 * 28;
            List<Row> rows = new ArrayList<>();
            while (indices.hasNext()) {
                int r = indices.next().intValue();
                byte[] image = new byte[size];
                MemorySegment.copy(pixels, ValueLayout.JAVA_BYTE, (long) r * size, image, 0, size);
                rows.add(RowFactory.create(image, (int) labels[r]));
            }
            return rows.iterator();
        }
    }

    private static Tensor digitsTable() {
        return parsed("digits", () -> {
            try (InputStream in = TaskSideFrames.class.getResourceAsStream("digits.csv.gz")) {
                if (in == null) throw new IllegalStateException("digits.csv.gz is missing from the examples jar");
                return Csv.readNumeric(in, "digits.csv.gz", false);
            }
        });
    }

    private static MNIST mnist(String dir, boolean train) {
        return parsed("mnist " + train + " " + dir, () -> MNIST.load(Path.of(dir), train));
    }

    private interface Parser<T> {
        T parse() throws IOException;
    }

    @SuppressWarnings("unchecked")
    private static <T> T parsed(String key, Parser<T> parser) {
        SoftReference<Object> ref = PARSED.get(key);
        Object value = ref == null ? null : ref.get();
        if (value == null) {
            try {
                value = parser.parse();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            PARSED.put(key, new SoftReference<>(value));
        }
        return (T) value;
    }
}
