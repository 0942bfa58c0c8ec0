package dev.kindling.spark.gpu;

import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.Adam;
import dev.kindling.spark.SparkTestSupport;
import dev.kindling.spark.train.DistributedTrainer;
import dev.kindling.spark.train.FitResult;
import dev.kindling.tensor.Tensor;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.Map;

/**
 * The Spark step of {@code scripts/gpu-check.sh} (a program, not a unit test: it needs a GPU): on
 * {@code local[1]}, what the discovery script reports, the GPU a task is given and the device
 * "auto" picks, then the same small fit with {@code device("cpu")} and {@code device("cuda")}: time,
 * final loss and the largest weight difference. Exits 1 when the CUDA fit fails, printing why.
 * Spark's GPU scheduling itself (addresses reaching tasks) is tested on a local cluster
 * ({@code GpuAssignmentClusterTest}); local mode cannot schedule tasks that ask for a GPU.
 *
 * <p>Arguments: the discovery script (default {@code scripts/gpu-discovery.sh}).
 */
public final class GpuFitCheck {
    private GpuFitCheck() {}

    public static void main(String[] args) throws Exception {
        String discovery = args.length > 0 ? args[0] : "scripts/gpu-discovery.sh";
        Process p = new ProcessBuilder(discovery).redirectErrorStream(true).start();
        System.out.println("spark fit: discovery script says " + new String(p.getInputStream().readAllBytes()).trim());
        SparkSession spark = SparkSession.builder()
                .master("local[1]")
                .appName("kindling-gpu-fit-check")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                // Spark's local scheduler offers tasks no resources: with spark.task.resource.gpu.amount set
                // the first job waits forever (tried here: 5 minutes, no task started). So the GPU is not
                // requested from Spark; "cuda" without an assignment is device 0. The discovery script's
                // output is printed for the record.
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrator", dev.kindling.spark.serde.KindlingKryoRegistrator.class.getName())
                .getOrCreate();
        int status = 0;
        try {
            String task = spark.range(0, 1, 1, 1).javaRDD()
                    .map(x -> "task gpu address " + GpuAssignment.assignedAddress(TaskContext.get()).orElse("none")
                            + ", device(\"auto\") -> " + GpuAssignment.forCurrentTask("auto")).first();
            System.out.println("spark fit: " + task);
            Dataset<Row> df = SparkTestSupport.wide(spark, 8192, 64, 2).cache();
            df.count();
            FitResult cpu = timedFit(df, "cpu");
            try {
                FitResult cuda = timedFit(df, "cuda");
                System.out.printf("spark fit: max |w_cuda - w_cpu| = %.3g%n", maxDifference(cpu.model().stateDict(), cuda.model().stateDict()));
            } catch (RuntimeException e) {
                System.out.println("spark fit: device cuda FAILED: " + e.getMessage());
                status = 1;
            }
        } finally {
            spark.stop();
        }
        System.exit(status);
    }

    private static FitResult timedFit(Dataset<Row> df, String device) {
        long t0 = System.nanoTime();
        FitResult r = DistributedTrainer.builder()
                .model(() -> new Sequential(new Linear(64, 256), new ReLU(), new Linear(256, 10)))
                .optimizer(params -> new Adam(params, 1e-3))
                .features("features").label("label", true)
                .batchSize(256).epochs(2).seed(5)
                .device(device)
                .build().fit(df, null);
        System.out.printf("spark fit: device %s: %d steps in %.2f s, last epoch train loss %.6f%n", device, r.steps(),
                (System.nanoTime() - t0) / 1e9, r.last().trainLoss());
        return r;
    }

    private static double maxDifference(Map<String, Tensor> a, Map<String, Tensor> b) {
        double max = 0;
        for (String k : a.keySet()) {
            float[] x = a.get(k).toFloatArray();
            float[] y = b.get(k).to(dev.kindling.tensor.Device.CPU).toFloatArray();
            for (int i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] - y[i]));
        }
        return max;
    }
}
