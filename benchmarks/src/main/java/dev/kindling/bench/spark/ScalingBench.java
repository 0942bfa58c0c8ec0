package dev.kindling.bench.spark;

import dev.kindling.bench.results.CurveChart;
import dev.kindling.nn.Linear;
import dev.kindling.nn.Module;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.Adam;
import dev.kindling.spark.serde.KindlingKryoRegistrator;
import dev.kindling.spark.train.DistributedTrainer;
import dev.kindling.spark.train.EpochMetrics;
import dev.kindling.spark.train.FitResult;
import dev.kindling.spark.train.StepAnatomy;
import dev.kindling.spark.train.TrainingLoss;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import dev.kindling.vision.MNIST;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The scaling table of {@code benchmarks/run-scaling.sh}: for MLPs of about 0.1M, 1M, 10M and 50M
 * parameters on {@code local-cluster[P,1,...]} (P executor processes, one partition each), the
 * synchronous step of {@link DistributedTrainer} with tree and sharded aggregation, split into its
 * parts, with the bytes each part moves and the time it would take at the machine's memory
 * bandwidth; then the MNIST trajectory with float32 and bfloat16 gradients.
 *
 * <p>The parts are timed by the trainer's own code through {@link StepAnatomy}.
 *
 * <p>How each part is measured (medians of {@code --reps} repetitions after one warm-up):
 * <ul>
 * <li>step: a real fit, {@code epochs(2)} of {@code --steps} steps each; the second epoch's wall
 *     time per step (the first warms the executors' models and JITs up);</li>
 * <li>executor compute: forward and backward of the model on the partition's rows, timed inside
 *     each task, slowest partition (all P tasks run at once, as in a step);</li>
 * <li>broadcast: a job whose tasks receive the state of n floats as a step ships it (in the task
 *     when small, as a broadcast otherwise) and load it into the model, minus the same job with a
 *     1-float state: the size-dependent cost only;</li>
 * <li>aggregation: the trainer's tree or sharded sum of P partials of n floats, minus the same
 *     sum of 1-float partials;</li>
 * <li>driver: writing the summed gradient into the model, Adam's step and building the next
 *     broadcast state, on the driver.</li>
 * </ul>
 * Step minus the four parts is Spark's per-job fixed cost (scheduling, task launch), which is in
 * none of them by construction.
 */
public final class ScalingBench {
    private static final int INPUT = 1024;
    private static final int CLASSES = 10;

    private ScalingBench() {}

    /** MLP INPUT-h-h-10: (INPUT + 1) h + (h + 1) h + (h + 1) 10 parameters. */
    static Module mlp(int h) {
        return new Sequential(new Linear(INPUT, h), new ReLU(), new Linear(h, h), new ReLU(), new Linear(h, CLASSES));
    }

    static long params(int h) { return (long) (INPUT + 1) * h + (long) (h + 1) * h + (long) (h + 1) * CLASSES; }

    public static void main(String[] args) throws Exception {
        int[] hidden = {90, 610, 2700, 6600};
        int[] partitions = {2, 4, 8};
        int steps = 2;
        int reps = 1;
        int batch = 64;
        int mnistSteps = 100;
        int executorMb = 1400;
        long memoryBudgetMb = 6000;
        Path out = Path.of("benchmarks/target/results");
        Path mnistDir = Path.of(System.getProperty("kindling.shared", "../shared"), "data", "mnist");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--hidden" -> hidden = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--partitions" -> partitions = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--mnist-steps" -> mnistSteps = Integer.parseInt(args[++i]);
                case "--executor-mb" -> executorMb = Integer.parseInt(args[++i]);
                case "--memory-budget-mb" -> memoryBudgetMb = Long.parseLong(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (expected --hidden H,.. --partitions P,.. "
                        + "--steps N --reps N --batch B --mnist-steps N --executor-mb MB --memory-budget-mb MB --out DIR)");
            }
        }
        long started = System.nanoTime();
        StringBuilder md = new StringBuilder();
        double bandwidth = copyBandwidth();
        md.append(String.format(Locale.ROOT, "## Synchronous step scaling on local-cluster%n%n- date: %s%n- machine: %d cores, load average at start %s%n"
                        + "- JVM: %s%n- memory copy bandwidth (System.arraycopy of 256 MiB, best of 5, bytes copied per second): %.2f GB/s%n"
                        + "- model: MLP %d-h-h-%d, Adam; global batch %d; %d timed steps (after a warm-up epoch), parts medians of %d%n"
                        + "- sharded: K = P shards; bytes per step: broadcast P x 4n, tree P x 4n (+ groups x 4n for a two-level tree), "
                        + "sharded P x 4n (2n in bfloat16) shuffled + 4n to the driver; compute bound P x 12n (read W forward and backward, "
                        + "write dW); driver bound 40n (Adam reads p, g, m, v and writes p, m, v; the next state copy)%n%n",
                java.time.Instant.now(), Runtime.getRuntime().availableProcessors(), loadAverage(), Runtime.version(), bandwidth / 1e9,
                INPUT, CLASSES, batch, steps, reps));
        md.append("| params | P | aggregation | step ms | compute ms (bound) | broadcast ms (bound) | aggregation ms (bound) | driver ms (bound) "
                + "| fixed ms | MB moved / step | load avg |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        System.out.print(md);
        String mnistTable = "";
        // Step time per model size, one curve per (aggregation, P): drawn to scaling.png after each row.
        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        for (int p : partitions) {
            SparkSession spark = cluster(p, executorMb);
            try {
                JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                waitForExecutors(jsc, p);
                // MNIST first: its figures are wanted even when a slow machine cuts the table short.
                if (p == partitions[0] && mnistSteps > 0) {
                    mnistTable = mnist(spark, mnistDir, p, mnistSteps);
                    Files.createDirectories(out);
                    Files.writeString(out.resolve("scaling-mnist.md"), mnistTable);
                }
                for (int h : hidden) {
                    // An executor holds about seven copies of the parameters at once (broadcast blocks and value,
                    // model, gradient, its copy in the partial, slices, the serialised result): 50M parameters ran
                    // out of a 1400 MB executor in the first run. Rows over either budget are skipped, not risked.
                    long perExecutorMb = 7 * 4 * params(h) / (1 << 20);
                    long needMb = perExecutorMb > executorMb ? Long.MAX_VALUE : perExecutorMb * p;
                    for (String mode : List.of("tree", "sharded")) {
                        String row;
                        double stepMs = Double.NaN;
                        if (needMb > memoryBudgetMb) {
                            row = String.format(Locale.ROOT, "| %.2fM | %d | %s | skipped: needs ~%d MB per executor (--executor-mb %d) and %d MB in all (--memory-budget-mb %d) |||||||",
                                    params(h) / 1e6, p, mode, perExecutorMb, executorMb, perExecutorMb * p, memoryBudgetMb);
                        } else {
                            try {
                                ScalingRow r = row(spark, jsc, h, p, mode, steps, params(h) > 20_000_000 ? 1 : reps, batch, bandwidth);
                                row = r.markdown();
                                stepMs = r.stepMs();
                            } catch (RuntimeException | OutOfMemoryError e) {
                                String why = String.valueOf(e).lines().findFirst().orElse("").replace('|', '/');
                                row = String.format(Locale.ROOT, "| %.2fM | %d | %s | failed: %s |||||||", params(h) / 1e6, p, mode,
                                        why.length() > 300 ? why.substring(0, 300) + "..." : why);
                            }
                        }
                        md.append(row).append('\n');
                        System.out.println(row);
                        Files.createDirectories(out);
                        Files.writeString(out.resolve("scaling.md"), md + "\n(run in progress)\n");
                        if (!Double.isNaN(stepMs)) {
                            curves.computeIfAbsent(mode + ", P = " + p, k -> new ArrayList<>()).add(new double[] {params(h), stepMs});
                            CurveChart.write(curves, "Synchronous Spark step on local-cluster: step time vs model size",
                                    "parameters", "ms per step", true, true, out.resolve("scaling.png"));
                        }
                    }
                }
            } finally {
                spark.stop();
            }
        }
        md.append('\n').append(mnistTable);
        md.append(String.format(Locale.ROOT, "%nWhole run: %.0f s; load average at the end %s.%n", (System.nanoTime() - started) / 1e9, loadAverage()));
        System.out.println();
        System.out.print(mnistTable);
        Files.createDirectories(out);
        Files.writeString(out.resolve("scaling.md"), md.toString());
        System.out.println("wrote " + out.resolve("scaling.md"));
    }

    // ------------------------------------------------------------------ one row

    /** One table row and the step time it reports, for the chart. */
    private record ScalingRow(String markdown, double stepMs) {}

    private static ScalingRow row(SparkSession spark, JavaSparkContext jsc, int h, int p, String mode, int steps, int reps, int batch,
                              double bw) {
        double load0 = loadAverage1();
        long n = params(h);
        int shards = mode.equals("sharded") ? p : 0;
        double step = fitStepSeconds(spark, h, p, mode, shards, steps, batch);
        double compute;
        double broadcast;
        double aggregation;
        double driver;
        try (StepAnatomy anatomy = new StepAnatomy(jsc, () -> mlp(h), p)) {
            int rows = (batch + p - 1) / p;
            compute = median(reps, () -> anatomy.computeSeconds(rows, INPUT));
            broadcast = median(reps, () -> anatomy.shipmentSeconds(true)) - median(reps, () -> anatomy.shipmentSeconds(false));
            aggregation = median(reps, () -> anatomy.aggregationSeconds((int) n, mode, shards, "float32"))
                    - median(reps, () -> anatomy.aggregationSeconds(1, mode, shards, "float32"));
            driver = median(reps, anatomy.driverStep(ps -> new Adam(ps, 1e-3), batch)::getAsDouble);
        }
        double fixed = step - compute - broadcast - aggregation - driver;
        int fanIn = Math.max(2, (int) Math.ceil(Math.sqrt(p)));
        long bBroadcast = 4L * n * p;
        long bAggregation = shards > 0 ? 4L * n * p + 4L * n : 4L * n * p + (p > fanIn ? 4L * n * ((p + fanIn - 1) / fanIn) : 0);
        long bCompute = 12L * n * p;
        long bDriver = 40L * n;
        double load1 = loadAverage1();
        return new ScalingRow(String.format(Locale.ROOT, "| %.2fM | %d | %s | %.1f | %.1f (%.1f) | %.1f (%.1f) | %.1f (%.1f) | %.1f (%.1f) | %.1f | %.0f | %.1f |",
                n / 1e6, p, shards > 0 ? "sharded K=" + shards : "tree depth 2", 1e3 * step, 1e3 * compute, 1e3 * bCompute / bw,
                1e3 * broadcast, 1e3 * bBroadcast / bw, 1e3 * aggregation, 1e3 * bAggregation / bw, 1e3 * driver, 1e3 * bDriver / bw, 1e3 * fixed,
                (bBroadcast + bAggregation) / 1e6, (load0 + load1) / 2), 1e3 * step);
    }

    /** Wall seconds per step of the second epoch of a real fit. */
    private static double fitStepSeconds(SparkSession spark, int h, int p, String mode, int shards, int steps, int batch) {
        Dataset<Row> df = wide(spark, batch * steps, p).cache();
        df.count();
        try {
            FitResult r = DistributedTrainer.builder()
                    .model(() -> mlp(h))
                    .optimizer(ps -> new Adam(ps, 1e-3))
                    .features("features").label("label", true)
                    .batchSize(batch).epochs(2).seed(1).checkNaN(false)
                    .aggregation(mode, shards)
                    .build().fit(df, null);
            EpochMetrics m = r.history().get(1);
            return m.seconds() / m.steps();
        } finally {
            df.unpersist();
        }
    }

    // ------------------------------------------------------------------ MNIST, float32 vs bfloat16 gradients

    private static String mnist(SparkSession spark, Path dir, int p, int steps) throws IOException {
        MNIST train = MNIST.load(dir, true);
        MNIST test = MNIST.load(dir, false);
        Dataset<Row> df = mnistFrame(spark, train, p).cache();
        df.count();
        Tensor testX = test.images().to(dev.kindling.tensor.DType.FLOAT32).div(255.0).reshape(-1, 784);
        long[] testY = test.labels().toLongArray();
        Tensor trainX = train.images().to(dev.kindling.tensor.DType.FLOAT32).div(255.0).reshape(-1, 784).narrow(0, 0, 10_000);
        Tensor trainY = train.labels().narrow(0, 0, 10_000);
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "### MNIST MLP 784-256-128-10, Adam 1e-3, batch 128, %d steps on local-cluster[%d,1,...], sharded K=%d%n%n"
                        + "| gradients | train loss (first 10k rows) | test accuracy | seconds |%n|---|---|---|---|%n", steps, p, p));
        // Both precisions once untimed first: the first fit of a JVM pays the JIT and the executors'
        // model set-up, which float32, timed first, used to carry alone.
        for (String precision : List.of("float32", "bfloat16")) mnistFit(df, p, Math.min(steps, 20), precision);
        for (String precision : List.of("float32", "bfloat16")) {
            long t0 = System.nanoTime();
            FitResult r = mnistFit(df, p, steps, precision);
            double sec = (System.nanoTime() - t0) / 1e9;
            Module m = r.model();
            m.eval();
            double loss;
            double acc;
            try (var g = dev.kindling.autograd.GradMode.noGrad()) {
                loss = TrainingLoss.crossEntropy().sum(m.forward(trainX), trainY, null).item() / 10_000;
                long[] pred = m.forward(testX).argmax(1).toLongArray();
                int right = 0;
                for (int i = 0; i < pred.length; i++) if (pred[i] == testY[i]) right++;
                acc = (double) right / pred.length;
            }
            String line = String.format(Locale.ROOT, "| %s | %.4f | %.2f%% | %.1f |", precision, loss, 100 * acc, sec);
            s.append(line).append('\n');
            System.out.println(line);
        }
        df.unpersist();
        return s.toString();
    }

    private static FitResult mnistFit(Dataset<Row> df, int p, int steps, String precision) {
        return DistributedTrainer.builder()
                .model(() -> new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, 10)))
                .optimizer(ps -> new Adam(ps, 1e-3))
                .features("features").label("label", true)
                .batchSize(128).epochs(1).maxSteps(steps).seed(0)
                .aggregation("sharded", p).gradientPrecision(precision)
                .build().fit(df, null);
    }

    private static Dataset<Row> mnistFrame(SparkSession spark, MNIST set, int p) {
        float[] px = set.images().to(dev.kindling.tensor.DType.FLOAT32).div(255.0).contiguous().toFloatArray();
        long[] labels = set.labels().toLongArray();
        List<Row> rows = new ArrayList<>(labels.length);
        for (int r = 0; r < labels.length; r++) rows.add(RowFactory.create(Arrays.copyOfRange(px, r * 784, (r + 1) * 784), (int) labels[r]));
        return spark.createDataFrame(rows, schema()).repartition(p);
    }

    // ------------------------------------------------------------------ helpers

    private static StructType schema() {
        return new StructType(new StructField[] {
                DataTypes.createStructField("features", DataTypes.createArrayType(DataTypes.FloatType, false), false),
                DataTypes.createStructField("label", DataTypes.IntegerType, false)});
    }

    /** rows synthetic rows of INPUT floats with labels 0..9, in p partitions. */
    private static Dataset<Row> wide(SparkSession spark, int rows, int p) {
        List<Row> list = new ArrayList<>(rows);
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < rows; i++) {
            float[] x = new float[INPUT];
            for (int k = 0; k < INPUT; k++) x[k] = r.nextFloat();
            list.add(RowFactory.create(x, i % CLASSES));
        }
        return spark.createDataFrame(list, schema()).repartition(p);
    }

    private static double median(int reps, Supplier<Double> run) {
        run.get(); // warm-up
        double[] v = new double[reps];
        for (int i = 0; i < reps; i++) v[i] = run.get();
        Arrays.sort(v);
        return v[reps / 2];
    }

    /** Bytes copied per second by System.arraycopy between two 256 MiB arrays, best of 5. */
    static double copyBandwidth() {
        float[] a = new float[64 << 20];
        float[] b = new float[64 << 20];
        Arrays.fill(a, 1f);
        System.arraycopy(a, 0, b, 0, a.length); // touch b
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            System.arraycopy(a, 0, b, 0, a.length);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return 4.0 * a.length / best;
    }

    private static SparkSession cluster(int p, int executorMb) throws IOException {
        Path home = Path.of("benchmarks/target/spark-home").toAbsolutePath();
        Path jars = home.resolve("jars");
        Files.createDirectories(jars);
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path f = Path.of(entry);
            if (!entry.endsWith(".jar") || !Files.isRegularFile(f)) continue;
            Path link = jars.resolve(f.getFileName());
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(link, f.toAbsolutePath());
        }
        return SparkSession.builder()
                .master("local-cluster[" + p + ",1," + executorMb + "]")
                .appName("kindling-scaling-bench")
                .config("spark.home", home.toString())
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                // The worker's memory (local-cluster's third number) only caps its executors; their heap is
                // spark.executor.memory, 1 GiB unless set, which is what ran out under the 50M model.
                .config("spark.executor.memory", executorMb + "m")
                .config("spark.executor.extraClassPath", absoluteClassPath())
                .config("spark.executor.extraJavaOptions", System.getProperty("kindling.executor.flags", ""))
                .config("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1")
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrator", KindlingKryoRegistrator.class.getName())
                .config("spark.kryoserializer.buffer.max", "1g")
                .config("spark.driver.maxResultSize", "0")
                .config("spark.sql.shuffle.partitions", Integer.toString(p))
                .getOrCreate();
    }

    /** The driver's class path with absolute entries: executors run in the worker's own directory. */
    private static String absoluteClassPath() {
        StringBuilder cp = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (cp.length() > 0) cp.append(File.pathSeparator);
            cp.append(Path.of(entry).toAbsolutePath());
        }
        return cp.toString();
    }

    private static void waitForExecutors(JavaSparkContext jsc, int p) throws InterruptedException {
        for (int i = 0; i < 600 && jsc.sc().getExecutorIds().size() < p; i++) Thread.sleep(100);
    }

    /** The 1-minute load average of the whole machine (this benchmark's own driver and executors included). */
    private static double loadAverage1() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "n/a";
        }
    }
}
