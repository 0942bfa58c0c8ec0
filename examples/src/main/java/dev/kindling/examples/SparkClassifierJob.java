package dev.kindling.examples;

import dev.kindling.metrics.TrainingHistory;
import dev.kindling.spark.ml.KindlingClassificationModel;
import dev.kindling.spark.ml.KindlingClassifier;
import dev.kindling.spark.serde.KindlingKryoRegistrator;
import dev.kindling.spark.train.EpochMetrics;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The README's main job: a Spark ML {@code Pipeline} whose last stage is {@link KindlingClassifier},
 * trained data-parallel on Spark and scored with {@code MulticlassClassificationEvaluator}.
 *
 * <p>By default it runs on an embedded {@code local[*]} Spark with sklearn's digits shipped in the
 * jar: 64 pixel columns go through {@code VectorAssembler}, the digit through {@code StringIndexer},
 * then an MLP. With {@code --data DIR} the tasks read MNIST's IDX files into a DataFrame of raw
 * 28x28 images ({@code binary}) and it trains the same kind of network on them (or LeNet-5).
 * Under {@code spark-submit} the master comes from {@code --master} and the class runs unchanged.
 * Progress shows within each epoch, a line follows each epoch (loss, accuracy, samples/s, time
 * split), and the run's history is written as CSV, JSON and a PNG chart under {@code --output}.
 */
@Command(mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a Kindling classifier in a Spark ML Pipeline (embedded local[*] unless spark-submit sets a master).")
public final class SparkClassifierJob implements Callable<Integer> {
    /** How the usage names this job when it runs outside Maven. */
    static final String SYNOPSIS = "spark-submit [SPARK OPTIONS] --class " + SparkClassifierJob.class.getName()
            + " kindling-examples-VERSION-job.jar [OPTIONS]";

    @Mixin
    TrainingOptions options = new TrainingOptions();

    @Option(names = "--local-steps", paramLabel = "K", defaultValue = "1", description = "optimizer steps per partition per Spark job; 1 = synchronous (default: ${DEFAULT-VALUE})")
    int localSteps;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0", description = "partitions of the training DataFrame (default: Spark's default parallelism)")
    int partitions;

    @Option(names = "--save", paramLabel = "PATH", description = "directory to save the fitted PipelineModel to (any Hadoop path)")
    String save;

    @Option(names = "--spark-log-level", defaultValue = "WARN", paramLabel = "LEVEL",
            description = "level of Spark's own log lines: ERROR, WARN, INFO, DEBUG (default: ${DEFAULT-VALUE}); Kindling's stay at INFO")
    String sparkLogLevel;

    /** What a run measured. */
    public record Result(double testAccuracy, List<EpochMetrics> history, TrainingHistory trainingHistory) {}

    public static void main(String[] args) {
        System.exit(Cli.run(new SparkClassifierJob(), SYNOPSIS, args));
    }

    @Override
    public Integer call() throws Exception {
        options.validate();
        if (localSteps < 1) Cli.invalid(options.spec, "--local-steps", Integer.toString(localSteps), "a positive integer");
        if (partitions < 0) Cli.invalid(options.spec, "--partitions", Integer.toString(partitions), "0 (Spark's default) or more");
        SparkLogLevels.apply(options.spec, sparkLogLevel);
        boolean embedded = System.getProperty("spark.master") == null;
        System.out.println("Kindling: starting Spark (" + (embedded ? "embedded local[*]" : System.getProperty("spark.master"))
                + "); Spark logs at " + sparkLogLevel.toUpperCase(Locale.ROOT) + " (--spark-log-level)");
        SparkSession.Builder builder = SparkSession.builder().appName("kindling-spark-classifier")
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrator", KindlingKryoRegistrator.class.getName());
        // spark-submit passes the master as the spark.master system property; run embedded otherwise.
        if (embedded) builder.master("local[*]").config("spark.ui.enabled", "false");
        SparkSession spark = builder.getOrCreate();
        try {
            Result r = run(spark);
            System.out.printf(Locale.ROOT, "test accuracy (MulticlassClassificationEvaluator): %.2f%%%n", 100 * r.testAccuracy());
            options.writeHistory(r.trainingHistory(), "spark-classifier");
        } finally {
            spark.stop();
        }
        return 0;
    }

    /** Builds the DataFrames and the pipeline, fits, evaluates on the held-out rows. */
    public Result run(SparkSession spark) throws IOException {
        int parts = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
        TrainingOptions o = options;
        boolean mnist = o.data != null;
        int e = o.epochs();
        Dataset<Row> train;
        Dataset<Row> test;
        List<PipelineStage> stages = new ArrayList<>();
        KindlingClassifier classifier = new KindlingClassifier()
                .setOptimizer("adam").setLearningRate(o.lr).setBatchSize(o.batchSize).setMaxIter(e)
                .setLocalSteps(localSteps).setSeed(o.seed);
        if (mnist) {
            train = TaskSideFrames.mnist(spark, o.data, true, parts);
            test = TaskSideFrames.mnist(spark, o.data, false, parts);
            classifier.setFeaturesCol("image").setLabelCol("label").setImageShape(new int[] {1, 28, 28})
                    .setModel(switch (o.model) {
                        case "mlp" -> "Flatten Linear(784,256) ReLU Linear(256,128) ReLU Linear(128,10)";
                        case "lenet5" -> "LeNet5(1,28,10)";
                        default -> throw new IllegalArgumentException("--model must be mlp or lenet5 on Spark but got '" + o.model + "'");
                    });
        } else {
            if (!o.model.equals("mlp")) throw new IllegalArgumentException("--model " + o.model + " needs image data: pass --data DIR with MNIST");
            Dataset<Row>[] split = digitsFrame(spark, parts).randomSplit(new double[] {0.8, 0.2}, o.seed);
            train = split[0];
            test = split[1];
            String[] pixels = new String[64];
            for (int i = 0; i < 64; i++) pixels[i] = "pixel" + i;
            stages.add(new VectorAssembler().setInputCols(pixels).setOutputCol("features"));
            stages.add(new StringIndexer().setInputCol("digit").setOutputCol("label"));
            classifier.setModel("Linear(64,128) ReLU Linear(128,64) ReLU Linear(64,10)");
        }
        stages.add(classifier);
        System.out.printf(Locale.ROOT, "Kindling on Spark %s (%s): %s, %s, Adam lr %s, global batch %d, %d epochs, %d partitions, local steps %d%n",
                spark.version(), spark.sparkContext().master(), o.model, mnist ? "MNIST" : "sklearn digits", o.lr, o.batchSize, e, parts, localSteps);
        PipelineModel fitted = new Pipeline().setStages(stages.toArray(new PipelineStage[0])).fit(train);
        KindlingClassificationModel km = (KindlingClassificationModel) fitted.stages()[stages.size() - 1];
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
                .setLabelCol("label").setPredictionCol("prediction").evaluate(fitted.transform(test));
        if (save != null) {
            fitted.write().overwrite().save(save);
            System.out.println("saved the fitted pipeline to " + save);
        }
        return new Result(accuracy, km.history(), km.trainingHistory());
    }

    /** sklearn's digits: 64 pixel columns (scaled to [0, 1], as doubles) and the digit, read by the tasks. */
    static Dataset<Row> digitsFrame(SparkSession spark, int partitions) {
        return TaskSideFrames.digits(spark, partitions);
    }
}
