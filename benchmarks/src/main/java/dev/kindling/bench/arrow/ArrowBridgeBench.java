package dev.kindling.bench.arrow;

import dev.kindling.arrow.ArrowView;
import dev.kindling.arrow.ArrowViews;
import dev.kindling.arrow.NullPolicy;
import dev.kindling.arrow.TensorBatch;
import dev.kindling.arrow.TensorBatchReader;
import dev.kindling.arrow.TensorBatchWriter;
import dev.kindling.arrow.TensorToArrow;
import dev.kindling.arrow.ViewOptions;
import dev.kindling.bench.JmhSampler;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.compression.CompressionUtil.CodecType;
import org.apache.arrow.vector.ipc.ArrowFileReader;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Measures the Arrow bridge against the floor for each job: how long creating a view takes for a
 * small and a large column (it should not grow with the column, apart from the null scan), how
 * fast an Arrow IPC file becomes tensors next to reading the same bytes with a plain
 * {@link FileChannel}, and how fast a tensor becomes an Arrow vector next to one
 * {@link MemorySegment#copy} of the same bytes. Prints a Markdown table; run with
 * {@code bash benchmarks/run-arrow.sh}.
 *
 * <p>Each throughput is the median of JMH iterations after JMH's warm-up ({@link JmhSampler}, in one
 * JVM); view creation and close, too short and too paired for JMH's loop, are medians of 2,001
 * timed calls after as many warm-up calls. Files are in the OS page cache (the IPC comparison is memory bandwidth plus the reader's work, not
 * disk speed).
 */
public final class ArrowBridgeBench {
    private static final int[] VIEW_ROWS = {1_000, 10_000_000};
    private static final int IPC_BATCHES = 4;
    private static final int IPC_ROWS_PER_BATCH = 1 << 20;   // 4 x 2^20 rows of 16 + 1 floats + 1 long: ~300 MB
    private static final int[] COPY_ELEMENTS = {1 << 19, 1 << 24}; // 2 MB and 64 MB of float32

    private final List<String[]> rows = new ArrayList<>();

    public static void main(String[] args) throws IOException {
        new ArrowBridgeBench().run();
    }

    private void run() throws IOException {
        try (BufferAllocator allocator = new RootAllocator()) {
            viewCreation(allocator);
            ipcRead(allocator);
            tensorToArrow(allocator);
            if (allocator.getAllocatedMemory() != 0) {
                throw new IllegalStateException("benchmark leaked " + allocator.getAllocatedMemory() + " bytes of Arrow memory");
            }
        }
        print();
    }

    // ------------------------------------------------------------------ view creation

    private void viewCreation(BufferAllocator allocator) {
        for (int n : VIEW_ROWS) {
            try (Float4Vector v = floats(allocator, n)) {
                for (NullPolicy policy : new NullPolicy[] {NullPolicy.UNCHECKED, NullPolicy.REJECT}) {
                    ViewOptions o = ViewOptions.defaults().nulls(policy);
                    long[] create = new long[2001];
                    long[] close = new long[create.length];
                    for (int warm = 0; warm < 2; warm++) {
                        for (int i = 0; i < create.length; i++) {
                            long t0 = System.nanoTime();
                            ArrowView view = ArrowViews.view(v, o);
                            long t1 = System.nanoTime();
                            view.close();
                            long t2 = System.nanoTime();
                            create[i] = t1 - t0;
                            close[i] = t2 - t1;
                        }
                    }
                    rows.add(new String[] {"view of a Float4 column, " + fmtRows(n) + " rows, NullPolicy." + policy,
                            "create " + micros(median(create)) + ", close " + micros(median(close)), ""});
                }
            }
        }
    }

    private static Float4Vector floats(BufferAllocator allocator, int n) {
        Float4Vector v = new Float4Vector("x", allocator);
        v.allocateNew(n);
        for (int i = 0; i < n; i++) v.set(i, i * 0.5f);
        v.setValueCount(n);
        return v;
    }

    // ------------------------------------------------------------------ IPC file to tensors

    private void ipcRead(BufferAllocator allocator) throws IOException {
        Path dir = Files.createTempDirectory("kindling-arrow-bench");
        Path file = dir.resolve("batches.arrow");
        try {
            writeIpcFile(file, allocator);
            long bytes = Files.size(file);
            ByteBuffer sink = ByteBuffer.allocateDirect(1 << 22);
            LongSupplier plainRead = () -> {
                long total = 0;
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                    while (true) {
                        sink.clear();
                        int n = ch.read(sink);
                        if (n < 0) break;
                        total += n;
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
                return total;
            };
            LongSupplier arrowReaderOnly = () -> {
                long total = 0;
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                     ArrowFileReader r = new ArrowFileReader(ch, allocator)) {
                    while (r.loadNextBatch()) total += r.getVectorSchemaRoot().getRowCount();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
                return total;
            };
            LongSupplier toTensors = () -> {
                long total = 0;
                try (TensorBatchReader r = TensorBatchReader.open(file, allocator)) {
                    while (true) {
                        try (TensorBatch b = r.next()) {
                            if (b == null) break;
                            total += b.tensor("features").numel();
                        }
                    }
                }
                return total;
            };
            LongSupplier freshRead = () -> {
                long total = 0;
                try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                    ByteBuffer all = arena.allocate(bytes, 64).asByteBuffer();
                    while (all.hasRemaining() && ch.read(all) >= 0) total = all.position();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
                return total;
            };
            double plain = gbPerSecond(bytes, plainRead);
            double fresh = gbPerSecond(bytes, freshRead);
            double arrow = gbPerSecond(bytes, arrowReaderOnly);
            double tensors = gbPerSecond(bytes, toTensors);
            String what = "IPC file (" + mb(bytes) + ", " + IPC_BATCHES + " batches: [2^20, 16] float32 + float32 + int64)";
            rows.add(new String[] {what + ": plain FileChannel read into one reused 4 MB buffer", gbs(plain), "1.00"});
            rows.add(new String[] {what + ": plain FileChannel read into fresh native memory (Arena) of the file's size", gbs(fresh),
                    ratio(fresh, plain)});
            rows.add(new String[] {what + ": Arrow's ArrowFileReader alone, no tensors", gbs(arrow), ratio(arrow, plain)});
            rows.add(new String[] {what + " -> tensors (TensorBatchReader, views)", gbs(tensors), ratio(tensors, plain)});
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private static void writeIpcFile(Path file, BufferAllocator allocator) {
        Generator g = new Generator(1);
        try (TensorBatchWriter w = TensorBatchWriter.file(file, allocator, CodecType.NO_COMPRESSION)) {
            for (int b = 0; b < IPC_BATCHES; b++) {
                Map<String, Tensor> m = new LinkedHashMap<>();
                m.put("features", Tensors.randn(g, IPC_ROWS_PER_BATCH, 16));
                m.put("weight", Tensors.rand(g, IPC_ROWS_PER_BATCH));
                m.put("label", Tensors.randint(0, 10, g, IPC_ROWS_PER_BATCH));
                w.write(TensorBatch.of(m));
            }
        }
    }

    // ------------------------------------------------------------------ tensor to Arrow

    private void tensorToArrow(BufferAllocator allocator) {
        for (int elements : COPY_ELEMENTS) {
            Tensor heap = Tensors.randn(new Generator(2), elements);
            long bytes = (long) elements * 4;
            MemorySegment src = heap.dataSegment();
            double reused;
            // Shared, not confined: JMH runs the timed call on a thread of its own.
            try (Arena arena = Arena.ofShared()) {
                MemorySegment dst = arena.allocate(bytes, 64);
                reused = gbPerSecond(bytes, () -> {
                    MemorySegment.copy(src, 0, dst, 0, bytes);
                    return dst.get(ValueLayout.JAVA_BYTE, bytes - 1);
                });
            }
            double fresh = gbPerSecond(bytes, () -> {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment dst = arena.allocate(bytes, 64);
                    MemorySegment.copy(src, 0, dst, 0, bytes);
                    return dst.get(ValueLayout.JAVA_BYTE, bytes - 1);
                }
            });
            double oneD = gbPerSecond(bytes, () -> {
                try (FieldVector v = TensorToArrow.toVector("x", heap, allocator)) {
                    return v.getValueCount();
                }
            });
            Tensor matrix = heap.view(elements / 16, 16);
            double twoD = gbPerSecond(bytes, () -> {
                try (FieldVector v = TensorToArrow.toVector("x", matrix, allocator)) {
                    return v.getValueCount();
                }
            });
            String what = "float32 tensor, " + mb(bytes);
            rows.add(new String[] {what + ": MemorySegment.copy heap -> one reused native segment", gbs(reused), "1.00"});
            rows.add(new String[] {what + ": MemorySegment.copy heap -> fresh native segment (Arena, allocate + copy + free)",
                    gbs(fresh), ratio(fresh, reused)});
            rows.add(new String[] {what + " [" + elements + "] -> new Float4Vector (allocate + copy + close)", gbs(oneD), ratio(oneD, reused)});
            rows.add(new String[] {what + " [" + elements / 16 + ", 16] -> new FixedSizeList<Float4>[16] (allocate + copy + close)",
                    gbs(twoD), ratio(twoD, reused)});
        }

        // A tensor that already lives in Arrow memory is handed over without copying.
        int elements = COPY_ELEMENTS[COPY_ELEMENTS.length - 1];
        try (Float4Vector source = floats(allocator, elements); ArrowView view = ArrowViews.view(source)) {
            long[] t = new long[201];
            for (int warm = 0; warm < 2; warm++) {
                for (int i = 0; i < t.length; i++) {
                    long t0 = System.nanoTime();
                    FieldVector v = TensorToArrow.toVector("x", view.tensor(), allocator);
                    t[i] = System.nanoTime() - t0;
                    v.close();
                }
            }
            rows.add(new String[] {"float32 tensor, " + mb(elements * 4L) + ", viewing Arrow memory -> new Float4Vector (zero-copy transfer; "
                    + "Arrow still allocates and fills an all-valid validity bitmap)",
                    "per call " + micros(median(t)), ""});
        }
    }

    // ------------------------------------------------------------------ timing helpers

    /** Median GB/s of nine JMH iterations after JMH's warm-up; the supplier's result keeps the work alive. */
    private static double gbPerSecond(long bytes, LongSupplier work) {
        long[] sink = new long[1];
        double[] seconds = JmhSampler.sample(() -> sink[0] += work.getAsLong(), 0.6, 3, 0.25, 9);
        if (sink[0] == 42) System.out.print("");
        Arrays.sort(seconds);
        return bytes / seconds[seconds.length / 2] / 1e9;
    }

    private static long median(long[] t) {
        long[] s = t.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static String micros(long nanos) { return String.format(Locale.ROOT, "%.2f us", nanos / 1e3); }

    private static String gbs(double gbPerS) { return String.format(Locale.ROOT, "%.2f GB/s", gbPerS); }

    private static String ratio(double x, double floor) { return String.format(Locale.ROOT, "%.2f", x / floor); }

    private static String mb(long bytes) { return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6); }

    /** 1000 as 1e3, 10000000 as 1e7 (the sizes the issue names); other numbers as they are. */
    private static String fmtRows(int n) {
        int zeros = 0;
        int m = n;
        while (m >= 10 && m % 10 == 0) {
            m /= 10;
            zeros++;
        }
        return zeros >= 3 ? m + "e" + zeros : String.valueOf(n);
    }

    private void print() {
        System.out.println("| measurement | result | vs. floor |");
        System.out.println("|---|---|---|");
        for (String[] r : rows) System.out.println("| " + r[0] + " | " + r[1] + " | " + r[2] + " |");
        System.out.println();
        System.out.println("JVM " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cores; medians of repeated runs after warm-up.");
    }
}
