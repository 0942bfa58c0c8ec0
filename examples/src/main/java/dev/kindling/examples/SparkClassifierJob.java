package dev.kindling.examples;

import dev.kindling.data.Csv;
import dev.kindling.spark.EpochMetrics;
import dev.kindling.spark.KindlingClassificationModel;
import dev.kindling.spark.KindlingClassifier;
import dev.kindling.spark.KindlingKryoRegistrator;
import dev.kindling.tensor.Tensor;
import dev.kindling.vision.MNIST;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
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
 * then an MLP. With {@code --data DIR} it reads MNIST's IDX files on the driver into a DataFrame
 * of raw 28x28 images ({@code binary}) and trains the same kind of network on them (or LeNet-5).
 * Under {@code spark-submit} the master comes from {@code --master} and the class runs unchanged.
 * Each epoch logs a line (loss, accuracy, samples/s, time split) as it ends; the examples' log4j
 * configuration shows Kindling's lines and Spark's warnings.
 */
@Command(name = "spark-train", mixinStandardHelpOptions = true,
        description = "Train a Kindling classifier in a Spark ML Pipeline (embedded local[*] unless spark-submit sets a master).")
public final class SparkClassifierJob implements Callable<Integer> {
    @Mixin
    TrainingOptions options = new TrainingOptions();

    @Option(names = "--local-steps", defaultValue = "1", description = "optimizer steps per partition per Spark job; 1 = synchronous (default: ${DEFAULT-VALUE})")
    int localSteps;

    @Option(names = "--partitions", defaultValue = "0", description = "partitions of the training DataFrame (default: Spark's default parallelism)")
    int partitions;

    @Option(names = "--save", description = "directory to save the fitted PipelineModel to (any Hadoop path)")
    String save;

    /** What a run measured. */
    public record Result(double testAccuracy, List<EpochMetrics> history) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkClassifierJob()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        SparkSession.Builder builder = SparkSession.builder().appName("kindling-spark-classifier")
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrator", KindlingKryoRegistrator.class.getName());
        // spark-submit passes the master as the spark.master system property; run embedded otherwise.
        if (System.getProperty("spark.master") == null) builder.master("local[*]").config("spark.ui.enabled", "false");
        SparkSession spark = builder.getOrCreate();
        try {
            Result r = run(spark);
            System.out.printf(Locale.ROOT, "test accuracy (MulticlassClassificationEvaluator): %.2f%%%n", 100 * r.testAccuracy());
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
            train = mnistFrame(spark, o.data, true, parts);
            test = mnistFrame(spark, o.data, false, parts);
            classifier.setFeaturesCol("image").setLabelCol("label").setImageShape(new int[] {1, 28, 28})
                    .setModel(switch (o.model) {
                        case "mlp" -> "Flatten Linear(784,256) ReLU Linear(256,128) ReLU Linear(128,10)";
                        case "lenet5" -> "LeNet5(1,28,10)";
                        default -> throw new IllegalArgumentException("--model must be mlp or lenet5 but got '" + o.model + "'");
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
        return new Result(accuracy, km.history());
    }

    /** sklearn's digits: 64 pixel columns (0..16, as doubles) and the digit, from the CSV in this jar. */
    static Dataset<Row> digitsFrame(SparkSession spark, int partitions) throws IOException {
        Tensor table;
        try (InputStream in = SparkClassifierJob.class.getResourceAsStream("digits.csv.gz")) {
            if (in == null) throw new IllegalStateException("digits.csv.gz is missing from the examples jar");
            table = Csv.readNumeric(in, "digits.csv.gz", false);
        }
        double[] values = table.toDoubleArray();
        int cols = table.size(1);
        List<StructField> fields = new ArrayList<>();
        for (int i = 0; i < 64; i++) fields.add(DataTypes.createStructField("pixel" + i, DataTypes.DoubleType, false));
        fields.add(DataTypes.createStructField("digit", DataTypes.IntegerType, false));
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < table.size(0); r++) {
            Object[] row = new Object[65];
            for (int i = 0; i < 64; i++) row[i] = values[r * cols + i] / 16.0;
            row[64] = (int) values[r * cols + 64];
            rows.add(RowFactory.create(row));
        }
        return spark.createDataFrame(rows, new StructType(fields.toArray(new StructField[0]))).repartition(partitions);
    }

    /** MNIST's training or test set as (image binary[784], label int), read on the driver. */
    static Dataset<Row> mnistFrame(SparkSession spark, Path dir, boolean train, int partitions) throws IOException {
        MNIST set = MNIST.load(dir, train);
        byte[] pixels = new byte[set.images().numel()];
        java.lang.foreign.MemorySegment.copy(set.images().contiguous().dataSegment(), java.lang.foreign.ValueLayout.JAVA_BYTE, 0,
                pixels, 0, pixels.length);
        long[] labels = set.labels().toLongArray();
        int size = 28 * 28;
        List<Row> rows = new ArrayList<>(labels.length);
        for (int r = 0; r < labels.length; r++) {
            rows.add(RowFactory.create(java.util.Arrays.copyOfRange(pixels, r * size, (r + 1) * size), (int) labels[r]));
        }
        StructType schema = new StructType(new StructField[] {
                DataTypes.createStructField("image", DataTypes.BinaryType, false),
                DataTypes.createStructField("label", DataTypes.IntegerType, false)});
        return spark.createDataFrame(rows, schema).repartition(partitions);
    }
}
