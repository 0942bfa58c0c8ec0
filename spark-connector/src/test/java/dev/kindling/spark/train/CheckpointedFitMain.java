package dev.kindling.spark.train;

import dev.kindling.io.Checkpoint;
import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.Adam;
import dev.kindling.spark.SparkTestSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.Map;

/**
 * The driver program {@link CrashResumeTest} runs in a JVM of its own: a small fit on local[2]
 * with a checkpoint every 3 steps into args[0], printing {@code KINDLING-STEP n} after every step
 * and, at the end, {@code KINDLING-START s} (the step it started from) and {@code KINDLING-DONE},
 * after writing the final model and optimizer state to args[1].
 */
public final class CheckpointedFitMain {
    static final String STEP = "KINDLING-STEP ";
    static final String START = "KINDLING-START ";
    static final String DONE = "KINDLING-DONE";
    static final int EVERY = 3;

    private CheckpointedFitMain() {}

    public static void main(String[] args) throws Exception {
        SparkSession spark = SparkTestSupport.session("local[2]");
        try {
            Dataset<Row> data = SparkTestSupport.wide(spark, 400, 16, 4).cache();
            FitResult r = DistributedTrainer.builder()
                    .model(() -> new Sequential(new Linear(16, 8), new ReLU(), new Linear(8, 10)))
                    .optimizer(params -> new Adam(params, 0.01))
                    .features("features").label("label", true)
                    .batchSize(50).epochs(3).seed(5)
                    .checkpoint(args[0], EVERY)
                    .onStep(step -> {
                        System.out.println(STEP + step);
                        System.out.flush();
                    })
                    .build().fit(data, null);
            Checkpoint.save(Path.of(args[1]), r.model(), r.optimizer(), null, r.steps(), Map.of());
            System.out.println(START + r.startStep());
            System.out.println(DONE);
            System.out.flush();
        } finally {
            spark.stop();
        }
    }
}
